import { z } from "zod";
import type { LogGroupState } from "../../state/types.js";
import {
  isSecurityLogGroup,
  noSecurityLogGroups,
  securityLogGroupParams,
  whyInScope,
} from "../security-log-groups.js";
import type { Check } from "../types.js";

const params = z.strictObject({
  minDays: z.number().int().min(1).max(3653).default(365),
  ...securityLogGroupParams,
});

export const check: Check<LogGroupState, z.infer<typeof params>> = {
  id: "logs_log_group_retention_min",
  title: "Security log groups keep events long enough",
  service: "logs",
  severity: "high",
  resourceType: "logs_log_group",
  description:
    "Log groups holding security events (the trail's log group and configured ones) retain them for at least the configured number of days; no retention setting means events never expire.",
  remediation:
    "PutRetentionPolicy with retentionInDays of at least the required days (or remove the policy to keep events forever).",
  paramsSchema: params,
  appliesTo: (state, { logGroupPatterns }) => isSecurityLogGroup(state, logGroupPatterns),
  whenNone: () => noSecurityLogGroups,
  evaluate(state, { minDays }) {
    const label = `log group ${state.name} (${whyInScope(state)})`;
    if (state.retentionInDays === undefined)
      return { status: "PASS", reason: `${label} never expires events` };
    return {
      status: state.retentionInDays >= minDays ? "PASS" : "FAIL",
      reason: `${label} keeps events ${state.retentionInDays} days; ${minDays} required`,
    };
  },
};
