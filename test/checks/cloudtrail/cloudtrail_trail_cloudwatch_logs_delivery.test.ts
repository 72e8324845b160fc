import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_trail_cloudwatch_logs_delivery.js";
import { compliantTrail, standardCases } from "../harness.js";

describe("cloudtrail_trail_cloudwatch_logs_delivery", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cloudtrail_trail_cloudwatch_logs_delivery"));
  standardCases(check, {
    pass: [compliantTrail()],
    fail: [compliantTrail({ cloudWatchLogsLogGroupArn: undefined })],
    failReason: /does not deliver/,
  });
});
