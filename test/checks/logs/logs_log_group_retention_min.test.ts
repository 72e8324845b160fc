import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/logs/logs_log_group_retention_min.js";
import { compliantLogGroup, standardCases } from "../harness.js";

describe("logs_log_group_retention_min", () => {
  it("is registered under its file name", () => expect(check.id).toBe("logs_log_group_retention_min"));
  standardCases(check, {
    pass: [compliantLogGroup(), compliantLogGroup({ retentionInDays: undefined })],
    fail: [compliantLogGroup({ retentionInDays: 30 })],
    failReason: /log group \/aws\/cloudtrail\/org-audit .* keeps events 30 days; 365 required/,
  });
  it("ignores log groups no trail delivers to unless a pattern names them", () => {
    const other = compliantLogGroup({ name: "/app/web", deliveredBy: [] });
    expect(check.appliesTo!(other, check.paramsSchema.parse({}))).toBe(false);
    expect(check.appliesTo!(other, check.paramsSchema.parse({ logGroupPatterns: ["/app/*"] }))).toBe(true);
  });
});
