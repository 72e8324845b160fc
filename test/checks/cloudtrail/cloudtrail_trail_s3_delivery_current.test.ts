import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_trail_s3_delivery_current.js";
import { trailDeliveryOf } from "../../../src/state/trail-delivery.js";
import { compliantTrail, standardCases } from "../harness.js";

const STATUS_AT = "2026-08-01T06:00:00.000Z";
/** GetTrailStatus response members (CloudTrail API reference), as the collector stores them. */
const trail = (status: Record<string, unknown>) =>
  compliantTrail({ delivery: trailDeliveryOf({ IsLogging: true, ...status }, STATUS_AT) });

describe("cloudtrail_trail_s3_delivery_current", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cloudtrail_trail_s3_delivery_current"));
  standardCases(check, {
    pass: [compliantTrail(), trail({ LatestDeliveryTime: "2026-08-01T05:57:41.000Z" })],
    fail: [
      trail({ LatestDeliveryTime: "2026-07-29T17:00:00.000Z" }),
      trail({
        LatestDeliveryTime: "2026-08-01T05:57:41.000Z",
        LatestDeliveryError: "AccessDenied",
      }),
      trail({}),
    ],
    failReason: /(was 61 h old|S3 delivery error "AccessDenied"|no delivery to S3)/,
  });

  it("names the stale delivery time and when the status was read", () => {
    const out = check.evaluate(
      trail({ LatestDeliveryTime: "2026-07-29T17:00:00.000Z" }),
      check.paramsSchema.parse({}),
    );
    expect(out.reason).toContain(
      "latest S3 delivery 2026-07-29T17:00:00.000Z was 61 h old (GetTrailStatus at 2026-08-01T06:00:00.000Z)",
    );
  });

  it("is ERROR when no trail status is in the evidence", () => {
    expect(check.evaluate(compliantTrail({ delivery: undefined }), check.paramsSchema.parse({})).status).toBe(
      "ERROR",
    );
  });
});
