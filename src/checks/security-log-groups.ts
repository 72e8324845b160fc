import { z } from "zod";
import type { LogGroupState } from "../state/types.js";
import { matchesAny } from "./util.js";

/** Security log groups: those a trail delivers to, plus the configured name patterns. */
export const securityLogGroupParams = {
  logGroupPatterns: z.array(z.string().min(1)).default([]),
};

export const isSecurityLogGroup = (state: LogGroupState, patterns: readonly string[]): boolean =>
  state.deliveredBy.length > 0 || matchesAny(state.name, patterns);

export const whyInScope = (state: LogGroupState): string =>
  state.deliveredBy.length > 0
    ? `receives ${state.deliveredBy.map((a) => a.split("/").pop()).join(", ")}`
    : "matches logGroupPatterns";

export const noSecurityLogGroups = {
  status: "NOT_APPLICABLE" as const,
  reason:
    "no security log groups here: no trail delivers to CloudWatch Logs in this region and no log group matches logGroupPatterns (trail delivery is checked by cloudtrail_trail_cloudwatch_logs_delivery)",
};
