import { z } from "zod";
import type { TrailState } from "../../state/types.js";
import type { Check } from "../types.js";
import { trailLabel } from "../util.js";
import { coverageVerdict } from "./coverage.js";
import { deliveryShortfall, maxDeliveryAgeHours } from "./delivery.js";

const params = z.strictObject({ maxDeliveryAgeHours });

export const check: Check<TrailState, z.infer<typeof params>> = {
  id: "cloudtrail_trail_cloudwatch_logs_delivery",
  title: "Trail delivers events to CloudWatch Logs, and recently",
  service: "cloudtrail",
  severity: "medium",
  resourceType: "cloudtrail_trail",
  description:
    "Events reach a CloudWatch Logs log group, where metric filters and alarms can react to them: a log group is configured, GetTrailStatus reports no LatestCloudWatchLogsDeliveryError, and LatestCloudWatchLogsDeliveryTime is at most maxDeliveryAgeHours old when the status is read.",
  remediation:
    "UpdateTrail with CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn; on a delivery error or stale delivery fix the role's trust and logs:PutLogEvents permission.",
  paramsSchema: params,
  evaluate(state, p) {
    const limited = coverageVerdict(state);
    if (limited) return limited;
    if (!state.cloudWatchLogsLogGroupArn)
      return { status: "FAIL", reason: `${trailLabel(state)} does not deliver to CloudWatch Logs` };
    if (!state.delivery) {
      return {
        status: "ERROR",
        reason: `${trailLabel(state)} is configured to deliver to ${state.cloudWatchLogsLogGroupArn}, but its delivery status (GetTrailStatus) is not in the evidence`,
      };
    }
    const v = deliveryShortfall(state.delivery, "CloudWatch Logs", p.maxDeliveryAgeHours);
    return {
      status: v.ok ? "PASS" : "FAIL",
      reason: `${trailLabel(state)} delivers to ${state.cloudWatchLogsLogGroupArn}: ${v.text}`,
    };
  },
};
