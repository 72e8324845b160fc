import { UsageError } from "../errors.js";
import { didYouMean } from "../suggest.js";
import { collector as cloudtrailActivity } from "./cloudtrail/cloudtrail_activity.js";
import { collector as cloudtrailTrails } from "./cloudtrail/cloudtrail_trails.js";
import { collector as cloudwatchAlarms } from "./cloudwatch/cloudwatch_alarms.js";
import { collector as cognitoUserPools } from "./cognito/cognito_user_pools.js";
import { collector as configRecorder } from "./config/config_recorder.js";
import { collector as configResourceTimeline } from "./config/config_resource_timeline.js";
import { collector as configRuleCompliance } from "./config/config_rule_compliance.js";
import { collector as logsLogGroups } from "./logs/logs_log_groups.js";
import type { Collector } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: a list of collectors each with its own options type
export type AnyCollector = Collector<any>;

/** Every collector, in the order runs and listings show them. One file each under src/collectors/<service>/. */
export const collectors: readonly AnyCollector[] = [
  configRecorder,
  configRuleCompliance,
  configResourceTimeline,
  cloudtrailTrails,
  cloudtrailActivity,
  logsLogGroups,
  cloudwatchAlarms,
  cognitoUserPools,
];

export const collectorIds: readonly string[] = collectors.map((c) => c.id);

export function getCollector(id: string): AnyCollector {
  const found = collectors.find((c) => c.id === id);
  if (found) return found;
  const suggestion = didYouMean(id, collectorIds);
  throw new UsageError(`unknown collector "${id}"${suggestion ? `: ${suggestion}` : ""}`, {
    hint: `collectors: ${collectorIds.join(", ")}`,
  });
}

/** Actions every run needs besides the collectors' own: who is calling, for the run manifest. */
const RUNNER_ACTIONS = ["sts:GetCallerIdentity"];

export interface IamPolicy {
  Version: "2012-10-17";
  Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: "*" }[];
}

/** The least-privilege policy built from the collectors' declared IAM actions. */
export function iamPolicy(list: readonly Pick<AnyCollector, "iamActions">[] = collectors): IamPolicy {
  const actions = new Set(RUNNER_ACTIONS);
  for (const c of list) for (const action of c.iamActions) actions.add(action);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AuditpackReadOnlyCollection", Effect: "Allow", Action: [...actions].sort(), Resource: "*" },
    ],
  };
}
