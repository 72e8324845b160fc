import type { Kind } from "../history.js";
import { CLOUDTRAIL_RULES } from "./cloudtrail.js";
import { CLOUDWATCH_RULES } from "./cloudwatch.js";
import { COGNITO_RULES } from "./cognito.js";
import { CONFIG_RULES } from "./config.js";
import { LOGS_RULES } from "./logs.js";
import type { EventRule, Untracked } from "./types.js";

export type { ActivityEvent, Effect, EventRule, Op } from "./types.js";

/**
 * The change vocabulary: every CloudTrail event that can change a state field a check reads,
 * declared per service beside the state it changes (cognito.ts, cloudtrail.ts, logs.ts,
 * cloudwatch.ts, config.ts). The CloudTrail activity collector queries exactly these names (plus the
 * activity-only ones below), and reconstruction treats a stretch as unchanged only when activity
 * covers it and none of the events that can change a field happened in it.
 */
export const CHANGE_RULES: readonly EventRule[] = [
  ...COGNITO_RULES,
  ...CLOUDTRAIL_RULES,
  ...LOGS_RULES,
  ...CLOUDWATCH_RULES,
  ...CONFIG_RULES,
];

const BY_NAME = new Map(CHANGE_RULES.map((r) => [r.name, r]));

export function ruleFor(name: string): EventRule | undefined {
  return BY_NAME.get(name);
}

/**
 * Security-relevant events that change no evaluated state but belong in the activity record (who
 * signed in, who created users and keys). IAM is a global service: its events land in us-east-1.
 */
export const ACTIVITY_ONLY: readonly Pick<EventRule, "name" | "source" | "global">[] = [
  { name: "ConsoleLogin", source: "signin.amazonaws.com" },
  { name: "AdminCreateUser", source: "cognito-idp.amazonaws.com" },
  { name: "AdminDisableUser", source: "cognito-idp.amazonaws.com" },
  { name: "AdminDeleteUser", source: "cognito-idp.amazonaws.com" },
  { name: "CreateUser", source: "iam.amazonaws.com", global: true },
  { name: "DeleteUser", source: "iam.amazonaws.com", global: true },
  { name: "CreateAccessKey", source: "iam.amazonaws.com", global: true },
  { name: "AttachUserPolicy", source: "iam.amazonaws.com", global: true },
  { name: "PutUserPolicy", source: "iam.amazonaws.com", global: true },
];

/** The LookupEvents event names, derived from the declarations: the vocabulary, then the activity-only ones. */
export function activityEventNames(): string[] {
  return [...new Set([...CHANGE_RULES.map((r) => r.name), ...ACTIVITY_ONLY.map((r) => r.name)])];
}

/** Names of global-service events: LookupEvents finds them in us-east-1 only. */
export function globalEventNames(): Set<string> {
  return new Set([...CHANGE_RULES, ...ACTIVITY_ONLY].filter((r) => r.global).map((r) => r.name));
}

/** Per kind and field, the events that can change it ("*": the resource's existence). */
let vocabulary: Map<Kind, Map<string, string[]>> | undefined;

export function fieldVocabulary(): Map<Kind, Map<string, string[]>> {
  if (vocabulary) return vocabulary;
  const out = new Map<Kind, Map<string, string[]>>();
  for (const rule of CHANGE_RULES) {
    for (const [kind, fields] of Object.entries(rule.changes)) {
      const byField = out.get(kind) ?? new Map<string, string[]>();
      out.set(kind, byField);
      for (const f of fields ?? []) byField.set(f, [...(byField.get(f) ?? []), rule.name]);
    }
  }
  vocabulary = out;
  return out;
}

/** Identity members of every state: set by the adapters, never changed by an event. */
export const IDENTITY_FIELDS = new Set(["account", "region", "id", "arn", "name", "observedAt", "evidence"]);

export const UNTRACKED: Untracked = {
  cloudtrail_trail: {
    delivery:
      "delivery times and errors (GetTrailStatus Latest*Delivery*) change with every delivery, with no API call",
  },
  cloudtrail_shadow: {
    delivery:
      "delivery times and errors (GetTrailStatus Latest*Delivery*) change with every delivery, with no API call",
  },
  config_service: {
    deliveryChannels:
      "delivery status (lastStatus, lastErrorCode) changes when S3 or SNS delivery fails, with no API call",
    "recorders[].lastStatus": "the recorder's last recording status changes with no API call",
  },
  config_rule_evaluation: {
    complianceType: "a rule's verdict changes when the resource or the rule's schedule re-evaluates it",
    annotation: "written by the rule's evaluation",
    ruleName: "identity of the evaluation",
    sourceIdentifier: "fixed when the rule is created",
    resourceType: "identity of the evaluation",
    resourceId: "identity of the evaluation",
  },
};

/**
 * Fields derived from others or describing how another is known: they travel with the state and
 * are set again wherever what they derive from changes.
 */
export const DERIVED: Untracked = {
  logs_log_group: {
    deliveredBy: "derived from the trails' cloudWatchLogsLogGroupArn (tracked on cloudtrail_trail)",
  },
  cloudtrail_trail: {
    loggingSource: "how isLogging is known, set with it",
    coverage:
      "the regions and accounts the trail records, derived from homeRegion, isMultiRegion and isOrganizationTrail",
  },
  cloudtrail_shadow: {
    loggingSource: "how isLogging is known, set with it",
    coverage:
      "the regions and accounts the trail records, derived from homeRegion, isMultiRegion and isOrganizationTrail",
  },
  cloudwatch_security_monitoring: {
    trails: "the region's trail set, built from the cloudtrail_trail states (tracked there)",
  },
  cognito_user_pool_client: {
    userPoolId: "identity of the client",
    userPoolName: "the pool's name, fixed at creation",
  },
};

/** Members an empty (reconstructed from nothing) state of a kind must have, all of them unknown. */
export const EMPTY_MEMBERS: Partial<Record<Kind, Record<string, unknown>>> = {
  cognito_user_pool: { clients: [] },
  logs_log_group: { deliveredBy: [] },
  cloudwatch_alarm: { alarmActions: [] },
  logs_metric_filter: { logGroupName: "", filterPattern: "", metrics: [] },
  config_service: { recorders: [], deliveryChannels: [] },
};

/** Fields of a kind that an event can change (the ones unknown in a state built from nothing). */
export function trackedFields(kind: Kind): string[] {
  return [...(fieldVocabulary().get(kind)?.keys() ?? [])].filter((f) => f !== "*");
}
