import { z } from "zod";
import type { TrailState } from "../../state/types.js";
import type { Check } from "../types.js";
import { trailLabel } from "../util.js";
import { coverageVerdict } from "./coverage.js";
import { deliveryShortfall, maxDeliveryAgeHours } from "./delivery.js";

const params = z.strictObject({ maxDeliveryAgeHours });

export const check: Check<TrailState, z.infer<typeof params>> = {
  id: "cloudtrail_trail_s3_delivery_current",
  title: "Trail log files reach their S3 bucket, recently and without error",
  service: "cloudtrail",
  severity: "high",
  resourceType: "cloudtrail_trail",
  description:
    "A configured trail is not yet a working one: GetTrailStatus reports no LatestDeliveryError and a LatestDeliveryTime at most maxDeliveryAgeHours old when the status is read, so log files are being written to the central store.",
  remediation:
    "Fix what LatestDeliveryError names (usually the bucket policy or the KMS key policy no longer lets CloudTrail write), then confirm LatestDeliveryTime advances.",
  paramsSchema: params,
  evaluate(state, p) {
    const limited = coverageVerdict(state);
    if (limited) return limited;
    if (!state.delivery)
      return {
        status: "ERROR",
        reason: `${trailLabel(state)}: delivery status (GetTrailStatus) not in the evidence`,
      };
    const v = deliveryShortfall(state.delivery, "S3", p.maxDeliveryAgeHours);
    return { status: v.ok ? "PASS" : "FAIL", reason: `${trailLabel(state)}: ${v.text}` };
  },
};
