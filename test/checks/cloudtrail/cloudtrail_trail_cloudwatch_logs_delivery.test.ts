import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_trail_cloudwatch_logs_delivery.js";
import { trailDeliveryOf } from "../../../src/state/trail-delivery.js";
import { compliantTrail, standardCases } from "../harness.js";

/** A GetTrailStatus answer (CloudTrail API reference, response syntax) as the collector stores it. */
const status = (over: Record<string, unknown> = {}) => ({
  IsLogging: true,
  LatestDeliveryTime: "2026-08-01T05:55:00.000Z",
  LatestCloudWatchLogsDeliveryTime: "2026-08-01T05:58:30.000Z",
  LatestDigestDeliveryTime: "2026-08-01T05:30:00.000Z",
  StartLoggingTime: "2026-01-10T09:00:00.000Z",
  TimeLoggingStarted: "2026-01-10T09:00:00Z",
  TimeLoggingStopped: "",
  ...over,
});
const STATUS_AT = "2026-08-01T06:00:00.000Z";
const withStatus = (over: Record<string, unknown>) =>
  compliantTrail({ delivery: trailDeliveryOf(status(over), STATUS_AT) });
const params = check.paramsSchema.parse({});

describe("cloudtrail_trail_cloudwatch_logs_delivery", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cloudtrail_trail_cloudwatch_logs_delivery"));
  standardCases(check, {
    pass: [compliantTrail(), withStatus({})],
    fail: [compliantTrail({ cloudWatchLogsLogGroupArn: undefined })],
    failReason: /does not deliver/,
  });

  it("fails a configured trail whose latest CloudWatch Logs delivery is two days old, naming the time", () => {
    const out = check.evaluate(
      withStatus({ LatestCloudWatchLogsDeliveryTime: "2026-07-30T06:00:00.000Z" }),
      params,
    );
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain("latest CloudWatch Logs delivery 2026-07-30T06:00:00.000Z was 48 h old");
    expect(out.reason).toContain("at most 24 h allowed");
  });

  it("takes the maximum age from the catalog parameter", () => {
    const stale = withStatus({ LatestCloudWatchLogsDeliveryTime: "2026-07-31T00:00:00.000Z" });
    expect(check.evaluate(stale, params).status).toBe("FAIL");
    expect(check.evaluate(stale, check.paramsSchema.parse({ maxDeliveryAgeHours: 48 })).status).toBe("PASS");
  });

  it("fails on LatestCloudWatchLogsDeliveryError, quoting it", () => {
    const out = check.evaluate(
      withStatus({
        LatestCloudWatchLogsDeliveryError:
          "AccessDeniedException: not authorized to perform logs:PutLogEvents",
      }),
      params,
    );
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain(
      'error "AccessDeniedException: not authorized to perform logs:PutLogEvents"',
    );
  });

  it("fails a trail that never delivered to CloudWatch Logs", () => {
    const out = check.evaluate(withStatus({ LatestCloudWatchLogsDeliveryTime: undefined }), params);
    expect(out).toMatchObject({
      status: "FAIL",
      reason: expect.stringContaining("no delivery to CloudWatch Logs"),
    });
  });

  it("is ERROR, not PASS, when the evidence has the configuration but no trail status", () => {
    expect(check.evaluate(compliantTrail({ delivery: undefined }), params).status).toBe("ERROR");
  });

  it("rejects a maximum age that is not a positive number of hours", () => {
    expect(() => check.paramsSchema.parse({ maxDeliveryAgeHours: 0 })).toThrow();
    expect(() => check.paramsSchema.parse({ maxDeliveryAgeHours: "1d" })).toThrow();
  });
});

describe("trailDeliveryOf", () => {
  it("reads wire-form epoch seconds and ISO strings alike, and treats empty strings as absent", () => {
    expect(trailDeliveryOf({ LatestDeliveryTime: 1785564900, LatestDeliveryError: "" }, STATUS_AT)).toEqual({
      statusAt: STATUS_AT,
      latestDeliveryTime: "2026-08-01T06:15:00.000Z",
      latestDeliveryError: undefined,
      latestCloudWatchLogsDeliveryTime: undefined,
      latestCloudWatchLogsDeliveryError: undefined,
    });
    expect(trailDeliveryOf(undefined)).toBeUndefined();
  });
});
