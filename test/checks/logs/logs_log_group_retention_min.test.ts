import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/logs/logs_log_group_retention_min.js";
import type { LogGroupState } from "../../../src/state/types.js";
import { base, standardCases } from "../harness.js";

const group = (over: Partial<LogGroupState> = {}): LogGroupState => ({
  ...base("/aws/cloudtrail/org-audit"),
  retentionInDays: 365,
  kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k1",
  deliveredBy: ["arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-audit"],
  ...over,
});

describe("logs_log_group_retention_min", () => {
  it("is registered under its file name", () => expect(check.id).toBe("logs_log_group_retention_min"));
  standardCases(check, {
    pass: [group(), group({ retentionInDays: undefined })],
    fail: [group({ retentionInDays: 30 })],
    failReason: /log group \/aws\/cloudtrail\/org-audit .* keeps events 30 days; 365 required/,
  });
  it("ignores log groups no trail delivers to unless a pattern names them", () => {
    const other = group({ name: "/app/web", deliveredBy: [] });
    expect(check.appliesTo!(other, check.paramsSchema.parse({}))).toBe(false);
    expect(check.appliesTo!(other, check.paramsSchema.parse({ logGroupPatterns: ["/app/*"] }))).toBe(true);
  });
});
