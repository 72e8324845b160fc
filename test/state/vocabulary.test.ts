import { describe, expect, it } from "vitest";
import { checks } from "../../src/checks/registry.js";
import { DEFAULT_EVENT_NAMES } from "../../src/collectors/cloudtrail/cloudtrail_activity.js";
import {
  ACTIVITY_ONLY,
  activityEventNames,
  CHANGE_RULES,
  DERIVED,
  fieldVocabulary,
  IDENTITY_FIELDS,
  UNTRACKED,
} from "../../src/state/changes/index.js";
import type { Kind } from "../../src/state/history.js";
import type {
  AlarmState,
  ConfigRuleEvaluationState,
  ConfigServiceState,
  LogGroupState,
  MetricFilterState,
  ResourceType,
  StateTypes,
  TrailState,
  UserPoolState,
} from "../../src/state/types.js";
import { recordReads } from "../../src/state/unknown.js";

/** Every event issue 10 names: the vocabulary must hold at least these. */
const REQUIRED_EVENTS = [
  "CreateUserPool",
  "UpdateUserPool",
  "DeleteUserPool",
  "SetUserPoolMfaConfig",
  "UpdateUserPoolClient",
  "CreateUserPoolClient",
  "DeleteUserPoolClient",
  "SetRiskConfiguration",
  "CreateTrail",
  "UpdateTrail",
  "DeleteTrail",
  "StartLogging",
  "StopLogging",
  "PutEventSelectors",
  "PutInsightSelectors",
  "CreateLogGroup",
  "DeleteLogGroup",
  "PutRetentionPolicy",
  "DeleteRetentionPolicy",
  "AssociateKmsKey",
  "DisassociateKmsKey",
  "PutMetricFilter",
  "DeleteMetricFilter",
  "PutMetricAlarm",
  "DeleteAlarms",
  "EnableAlarmActions",
  "DisableAlarmActions",
  "PutConfigurationRecorder",
  "DeleteConfigurationRecorder",
  "StartConfigurationRecorder",
  "StopConfigurationRecorder",
  "PutDeliveryChannel",
  "DeleteDeliveryChannel",
  "PutConfigRule",
  "DeleteConfigRule",
];

const base = {
  account: "111122223333",
  region: "eu-west-1",
  observedAt: "2026-11-16T09:00:00Z",
  evidence: [],
};
const trail = (over: Partial<TrailState> = {}): TrailState => ({
  ...base,
  id: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t",
  arn: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t",
  name: "t",
  homeRegion: "eu-west-1",
  isMultiRegion: true,
  includeGlobalServiceEvents: true,
  isLogging: true,
  loggingSource: "status",
  logFileValidation: true,
  kmsKeyId: "k",
  cloudWatchLogsLogGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:/trail:*",
  managementEvents: { read: true, write: true, excludedSources: [] },
  ...over,
});
const pool = (over: Partial<UserPoolState> = {}): UserPoolState => ({
  ...base,
  id: "eu-west-1_A",
  name: "p",
  passwordPolicy: {
    minimumLength: 14,
    requireUppercase: true,
    requireLowercase: true,
    requireNumbers: true,
    requireSymbols: true,
    passwordHistorySize: 4,
    temporaryPasswordValidityDays: 1,
  },
  mfa: "ON",
  factors: ["SOFTWARE_TOKEN"],
  advancedSecurityMode: "ENFORCED",
  adminCreateUserOnly: true,
  clients: [
    {
      clientId: "c",
      clientName: "web",
      accessTokenValidityMinutes: 60,
      idTokenValidityMinutes: 60,
      refreshTokenValidityMinutes: 600,
    },
  ],
  ...over,
});
const group = (over: Partial<LogGroupState> = {}): LogGroupState => ({
  ...base,
  id: "/trail",
  name: "/trail",
  retentionInDays: 400,
  kmsKeyId: "k",
  deliveredBy: ["arn:aws:cloudtrail:eu-west-1:111122223333:trail/t"],
  ...over,
});
const filter = (pattern: string): MetricFilterState => ({
  ...base,
  id: `/trail:${pattern}`,
  name: pattern,
  logGroupName: "/trail",
  filterPattern: pattern,
  metrics: [{ name: pattern, namespace: "CIS" }],
});
const alarm = (metricName: string, over: Partial<AlarmState> = {}): AlarmState => ({
  ...base,
  id: metricName,
  name: metricName,
  actionsEnabled: true,
  alarmActions: ["arn:aws:sns:eu-west-1:111122223333:sec"],
  metricName,
  namespace: "CIS",
  ...over,
});
const PATTERNS = [
  '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != "Yes") }',
  '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  "{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) }",
  "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = DeleteSecurityGroup) }",
];
const service = (over: Partial<ConfigServiceState> = {}): ConfigServiceState => ({
  ...base,
  id: "111122223333/eu-west-1",
  name: "Config",
  recorders: [
    {
      name: "default",
      recording: true,
      lastStatus: "SUCCESS",
      allSupported: true,
      includeGlobalResourceTypes: true,
      resourceTypes: [],
      strategy: "ALL_SUPPORTED_RESOURCE_TYPES",
      excludedResourceTypes: [],
    },
  ],
  deliveryChannels: [{ name: "default", lastHistoryDelivery: "SUCCESS", lastSnapshotDelivery: "SUCCESS" }],
  ...over,
});
const evaluation = (complianceType: string): ConfigRuleEvaluationState => ({
  ...base,
  id: "r|AWS::Logs::LogGroup|/trail",
  name: "r",
  ruleName: "r",
  sourceIdentifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
  resourceType: "AWS::Logs::LogGroup",
  resourceId: "/trail",
  complianceType,
  annotation: "a",
});

/** A few states per type (passing and failing ones) so each check walks its branches. */
const SAMPLES: { [T in ResourceType]: StateTypes[T][] } = {
  cognito_user_pool: [
    pool(),
    pool({ mfa: "OFF", adminCreateUserOnly: false, advancedSecurityMode: "OFF" }),
    pool({ mfa: "OPTIONAL", factors: ["SMS"] }),
    pool({ passwordPolicy: { minimumLength: 6, passwordHistorySize: 0, temporaryPasswordValidityDays: 30 } }),
  ],
  cognito_user_pool_client: [
    {
      ...base,
      id: "eu-west-1_A/c",
      name: "c",
      userPoolId: "eu-west-1_A",
      userPoolName: "p",
      client: pool().clients[0]!,
    },
  ],
  cloudtrail_trail: [
    trail(),
    trail({
      isLogging: false,
      kmsKeyId: undefined,
      logFileValidation: false,
      cloudWatchLogsLogGroupArn: undefined,
    }),
  ],
  cloudtrail_trails: [
    { ...base, id: "s", name: "s", trails: [trail()] },
    { ...base, id: "s", name: "s", trails: [trail({ isLogging: false, isMultiRegion: false })] },
    {
      ...base,
      id: "s",
      name: "s",
      trails: [
        trail({ managementEvents: { read: false, write: true, excludedSources: ["kms.amazonaws.com"] } }),
      ],
    },
  ],
  logs_log_group: [
    group(),
    group({ retentionInDays: undefined, kmsKeyId: undefined }),
    group({ retentionInDays: 7 }),
  ],
  cloudwatch_security_monitoring: [
    {
      ...base,
      id: "m",
      name: "m",
      metricFilters: PATTERNS.map(filter),
      alarms: PATTERNS.map((p) => alarm(p)),
    },
    {
      ...base,
      id: "m",
      name: "m",
      metricFilters: PATTERNS.map(filter),
      alarms: PATTERNS.map((p) => alarm(p, { actionsEnabled: false, alarmActions: [] })),
    },
  ],
  config_service: [
    service(),
    service({ recorders: [], deliveryChannels: [] }),
    service({
      deliveryChannels: [{ name: "d", lastHistoryDelivery: "FAILURE", lastErrorCode: "AccessDenied" }],
    }),
  ],
  config_rule_evaluation: [evaluation("COMPLIANT"), evaluation("NON_COMPLIANT")],
};

/** Where a path a check read lands: the kind and top-level field whose events must be declared. */
function owner(type: ResourceType, path: string): [Kind, string] {
  const [head, ...rest] = path.split(".");
  const member = rest[0]?.replace(/\[\]$/, "");
  if (type === "cloudtrail_trails" && head === "trails[]" && member) return ["cloudtrail_trail", member];
  if (type === "cloudtrail_trails" && head?.startsWith("trails")) return ["cloudtrail_trail", "*"];
  if (type === "cloudwatch_security_monitoring") {
    const kind = head?.startsWith("metricFilters")
      ? "logs_metric_filter"
      : head?.startsWith("alarms")
        ? "cloudwatch_alarm"
        : undefined;
    if (kind) return [kind, head?.endsWith("[]") && member ? member : "*"];
  }
  if (
    type === "config_service" &&
    head === "recorders[]" &&
    member &&
    UNTRACKED.config_service?.[`recorders[].${member}`]
  )
    return ["config_service", `recorders[].${member}`];
  return [type, head!.replace(/\[\]$/, "")];
}

function declared(kind: Kind, field: string): boolean {
  if (IDENTITY_FIELDS.has(field)) return true;
  if (UNTRACKED[kind]?.[field] || DERIVED[kind]?.[field]) return true;
  return (fieldVocabulary().get(kind)?.get(field)?.length ?? 0) > 0;
}

describe("the change vocabulary", () => {
  it("holds every event the issue lists, each with a rule, and no event twice", () => {
    const names = CHANGE_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of REQUIRED_EVENTS) expect(names, name).toContain(name);
  });

  it("is exactly what cloudtrail_activity asks LookupEvents for (derived, not a second list)", () => {
    expect(DEFAULT_EVENT_NAMES).toEqual(activityEventNames());
    expect(new Set(DEFAULT_EVENT_NAMES)).toEqual(
      new Set([...CHANGE_RULES.map((r) => r.name), ...ACTIVITY_ONLY.map((r) => r.name)]),
    );
  });

  it("covers every state field a check reads (read through a recording view of sample states)", () => {
    const uncovered: string[] = [];
    let reads = 0;
    for (const check of checks) {
      const parsed = check.paramsSchema.safeParse(
        check.id === "config_managed_rule_compliant" ? { rule: "r" } : {},
      );
      expect(parsed.success, check.id).toBe(true);
      const params = parsed.data;
      for (const state of SAMPLES[check.resourceType as ResourceType]) {
        const { view, log } = recordReads(structuredClone(state) as object);
        if (!check.appliesTo || check.appliesTo(view, params)) check.evaluate(view, params);
        check.whenNone?.(params);
        for (const path of log.paths) {
          reads++;
          const [kind, field] = owner(check.resourceType as ResourceType, path);
          if (!declared(kind, field))
            uncovered.push(`${check.id} reads ${path} (${kind}.${field}): no event list covers it`);
        }
      }
    }
    expect(reads).toBeGreaterThan(50);
    expect([...new Set(uncovered)]).toEqual([]);
  });

  it("fails for a field no event list covers", () => {
    expect(declared("cognito_user_pool", "passwordPolicy")).toBe(true);
    expect(declared("cognito_user_pool", "someNewField")).toBe(false);
    expect(declared("cloudtrail_trail", "isLogging")).toBe(true);
  });
});
