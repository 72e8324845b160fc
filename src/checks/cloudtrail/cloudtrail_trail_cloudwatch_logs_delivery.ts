import { z } from "zod";
import type { TrailState } from "../../state/types.js";
import type { Check } from "../types.js";
import { trailLabel } from "../util.js";

const params = z.strictObject({});

export const check: Check<TrailState, z.infer<typeof params>> = {
  id: "cloudtrail_trail_cloudwatch_logs_delivery",
  title: "Trail delivers events to CloudWatch Logs",
  service: "cloudtrail",
  severity: "medium",
  resourceType: "cloudtrail_trail",
  description: "Events reach a CloudWatch Logs log group, where metric filters and alarms can react to them.",
  remediation: "UpdateTrail with CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn.",
  paramsSchema: params,
  evaluate(state) {
    return state.cloudWatchLogsLogGroupArn
      ? { status: "PASS", reason: `${trailLabel(state)} delivers to ${state.cloudWatchLogsLogGroupArn}` }
      : { status: "FAIL", reason: `${trailLabel(state)} does not deliver to CloudWatch Logs` };
  },
};
