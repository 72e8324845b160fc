import { DeliveryStatus, RecorderStatus } from "@aws-sdk/client-config-service";
import { expect, it } from "vitest";
import type { AnyCheck } from "../../src/checks/types.js";
import { stateAdapters } from "../../src/collectors/registry.js";
import { evaluateCheck } from "../../src/evaluate/evaluate.js";
import { buildHistories } from "../../src/state/build.js";
import type {
  ConfigServiceState,
  LogGroupState,
  ResourceType,
  StateBase,
  TrailState,
  UserPoolState,
} from "../../src/state/types.js";
import { ACCOUNT, loaded, REGION, record } from "../evaluate/helpers.js";

export { ACCOUNT, REGION };

export const base = (id: string, name = id): StateBase => ({
  account: ACCOUNT,
  region: REGION,
  id,
  name,
  observedAt: "2026-08-01T00:00:00.000Z",
  evidence: [],
});

/** A user pool that every cognito_user_pool check passes; `over` makes it fail one. */
export const compliantUserPool = (over: Partial<UserPoolState> = {}): UserPoolState => ({
  ...base("eu-west-1_AbC", "payments-customers"),
  passwordPolicy: {
    minimumLength: 12,
    requireUppercase: true,
    requireLowercase: true,
    requireNumbers: true,
    passwordHistorySize: 4,
    temporaryPasswordValidityDays: 7,
  },
  mfa: "ON",
  factors: ["SOFTWARE_TOKEN"],
  advancedSecurityMode: "ENFORCED",
  adminCreateUserOnly: true,
  clients: [],
  ...over,
});

/** A trail that every cloudtrail check passes; `over` makes it fail one. */
export const compliantTrail = (over: Partial<TrailState> = {}): TrailState => ({
  ...base("arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-audit", "org-audit"),
  isMultiRegion: true,
  includeGlobalServiceEvents: true,
  isLogging: true,
  logFileValidation: true,
  kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k1",
  cloudWatchLogsLogGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/org-audit:*",
  managementEvents: { read: true, write: true, excludedSources: [] },
  // GetTrailStatus read at 06:00; deliveries minutes before (CloudTrail delivers about every 5 minutes).
  delivery: {
    statusAt: "2026-08-01T06:00:00.000Z",
    latestDeliveryTime: "2026-08-01T05:55:00.000Z",
    latestCloudWatchLogsDeliveryTime: "2026-08-01T05:58:00.000Z",
  },
  ...over,
});

/** An AWS Config setup (recorder and delivery channel) that every config_service check passes. */
export const compliantConfigService = (over: Partial<ConfigServiceState> = {}): ConfigServiceState => ({
  ...base("111122223333/eu-west-1", "AWS Config in 111122223333/eu-west-1"),
  recorders: [
    {
      name: "default",
      recording: true,
      lastStatus: RecorderStatus.Success,
      allSupported: true,
      includeGlobalResourceTypes: true,
      resourceTypes: [],
      excludedResourceTypes: [],
    },
  ],
  deliveryChannels: [
    {
      name: "default",
      lastHistoryDelivery: DeliveryStatus.Success,
      lastSnapshotDelivery: DeliveryStatus.Success,
    },
  ],
  ...over,
});

/** A log group that every logs_log_group check passes; `over` makes it fail one. */
export const compliantLogGroup = (over: Partial<LogGroupState> = {}): LogGroupState => ({
  ...base("/aws/cloudtrail/org-audit"),
  retentionInDays: 365,
  kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k1",
  deliveredBy: ["arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-audit"],
  ...over,
});

/** The snapshot collector and its empty payload for each resource type. */
const EMPTY: Record<ResourceType, [string, unknown]> = {
  cognito_user_pool: ["cognito_user_pools", { userPools: [] }],
  cognito_user_pool_client: ["cognito_user_pools", { userPools: [] }],
  cloudtrail_trail: ["cloudtrail_trails", { trails: [] }],
  cloudtrail_trails: ["cloudtrail_trails", { trails: [] }],
  logs_log_group: ["logs_log_groups", { logGroups: [], metricFilters: [] }],
  cloudwatch_security_monitoring: ["logs_log_groups", { logGroups: [], metricFilters: [] }],
  config_service: [
    "config_recorder",
    { recorders: [], recorderStatus: [], deliveryChannels: [], deliveryChannelStatus: [] },
  ],
  config_rule_evaluation: ["config_rule_compliance", { rules: [], compliance: [], evaluations: {} }],
};

const WINDOW = { start: Date.parse("2026-08-01T00:00:00Z"), end: Date.parse("2026-08-02T00:00:00Z") };
const scope = { accounts: [ACCOUNT], regions: [REGION] };

/** Run a check through the evaluator over one day of records. */
export function runOverRecords(
  check: AnyCheck,
  params: Record<string, unknown>,
  records: ReturnType<typeof record>[],
) {
  const extra: ReturnType<typeof record>[] =
    check.resourceType === "cloudwatch_security_monitoring"
      ? records.map((r) => ({
          ...r,
          collector: "cloudwatch_alarms",
          payload: r.error ? {} : { metricAlarms: [], compositeAlarms: [] },
        }))
      : [];
  const histories = buildHistories([...records, ...extra].map(loaded), {
    holdMs: () => 26 * 3_600_000,
    window: WINDOW,
    adapters: stateAdapters,
  });
  return evaluateCheck({ check, params: check.paramsSchema.parse(params) }, histories, scope, WINDOW, false);
}

/**
 * The four cases every check must handle: PASS and FAIL states, an account with none of its
 * resources (evidence shows none), and an error record (AccessDenied) that must give ERROR.
 */
export function standardCases(
  check: AnyCheck,
  cases: {
    params?: Record<string, unknown>;
    pass: StateBase[];
    fail: StateBase[];
    failReason?: RegExp;
    noneStatus?: "NOT_APPLICABLE" | "FAIL";
  },
): void {
  const params = check.paramsSchema.parse(cases.params ?? {});
  it("passes a compliant resource", () => {
    for (const s of cases.pass) {
      const out = check.evaluate(s, params);
      expect(out.status, out.reason).toBe("PASS");
      expect(out.reason.includes(s.name) || out.reason.includes(`${ACCOUNT}/${REGION}`), out.reason).toBe(
        true,
      );
    }
  });
  it("fails a non-compliant resource, naming it and the value seen", () => {
    for (const s of cases.fail) {
      const out = check.evaluate(s, params);
      expect(out.status, out.reason).toBe("FAIL");
      if (cases.failReason) expect(out.reason).toMatch(cases.failReason);
    }
  });
  it("says why when an account and region has none of its resources", () => {
    const [collector, payload] = EMPTY[check.resourceType as ResourceType];
    const result = runOverRecords(check, cases.params ?? {}, [
      record(collector, "2026-07-31T12:00:00.000Z", payload),
      record(collector, "2026-08-01T12:00:00.000Z", payload),
    ]);
    const finding = result.findings[0]!;
    expect(finding.status).toBe(cases.noneStatus ?? "NOT_APPLICABLE");
    expect(finding.reason).toContain(`${ACCOUNT}/${REGION}`);
  });
  it("is ERROR, never PASS, when the evidence is an access-denied error record", () => {
    const [collector] = EMPTY[check.resourceType as ResourceType];
    const result = runOverRecords(check, cases.params ?? {}, [
      record(
        collector,
        "2026-07-31T12:00:00.000Z",
        {},
        { error: { code: "AccessDeniedException", message: "User is not authorized" } },
      ),
    ]);
    expect(result.status).toBe("ERROR");
    expect(result.findings[0]!.reason).toContain("AccessDeniedException");
  });
}
