import type { Actor } from "./actors.js";
import { demoActors } from "./actors.js";
import {
  AUTH_FAILURE_ALARM,
  CUSTOMER_POOL_ID,
  EU,
  PROD,
  PROD_TRAIL,
  PROD_TRAIL_LOG_GROUP,
  SECURITY_GROUP_ALARM,
  STAGING,
} from "./demo-estate.js";
import type { TrailEvent } from "./events.js";
import type { EstateSpec, RegionSpec } from "./model.js";

/**
 * Changes inside the demo quarter, to the second. Each is a CloudTrail event, usually followed by an
 * AWS Config configuration item a few minutes later, and changes the estate from then on. `documented`
 * ones are the drift the evaluation tests assert (DRIFT.md); the others are ordinary recorded changes.
 */
export interface Change {
  id: string;
  documented: boolean;
  summary: string;
  event: Omit<TrailEvent, "key">;
  /** AWS Config records the changed resource at this capture time. */
  recorded?: {
    resourceType: string;
    resourceId: string;
    resourceName: string;
    at: string;
    deleted?: boolean;
  };
  /** The change also flips a Config rule's result for a resource (an AWS::Config::ResourceCompliance item). */
  compliance?: {
    rule: string;
    resourceType: string;
    resourceId: string;
    to: "COMPLIANT" | "NON_COMPLIANT";
    annotation?: string;
    at: string;
  };
  apply(estate: EstateSpec): void;
}

function region(estate: EstateSpec, account: string, name: string): RegionSpec {
  const spec = estate.estate[account]?.[name];
  if (!spec) throw new Error(`no ${account}/${name} in the estate`);
  return spec;
}

function find<T>(items: T[], match: (item: T) => boolean, what: string): T {
  const found = items.find(match);
  if (!found) throw new Error(`drift: ${what} not found`);
  return found;
}

const TRAIL_ARN = `arn:aws:cloudtrail:${EU}:${PROD}:trail/${PROD_TRAIL}`;
const POOL_ARN = `arn:aws:cognito-idp:${EU}:${PROD}:userpool/${CUSTOMER_POOL_ID}`;

function setRetention(estate: EstateSpec, account: string, group: string, days: number | undefined): void {
  find(region(estate, account, EU).logGroups, (g) => g.name === group, group).retentionDays = days;
}

/** AWS Config remembers a deleted resource (named by its id) from its deletion on. */
function markDeleted(spec: RegionSpec, resourceType: string, id: string, deletedAt: string): void {
  spec.deletedResources = [
    ...(spec.deletedResources ?? []),
    { resourceType, resourceId: id, resourceName: id, deletedAt },
  ];
}

function setRuleResult(
  estate: EstateSpec,
  rule: string,
  resourceId: string,
  to: "COMPLIANT" | "NON_COMPLIANT",
  note?: string,
): void {
  const spec = find(region(estate, PROD, EU).config.rules, (r) => r.name === rule, rule);
  const result = find(spec.results, (r) => r[1] === resourceId, resourceId);
  result[2] = to;
  result[3] = note;
}

export function demoChanges(): Change[] {
  const a = demoActors(PROD, STAGING);
  const base = (actor: Actor, time: string, source: string, name: string) => ({
    time,
    account: actor.account,
    region: EU,
    source,
    name,
    actor,
  });
  /** The production trail stopped (StopLogging) or logging again (StartLogging) at `time`. */
  const trailLogging = (logging: boolean, actor: Actor, time: string, recordedAt: string): Change => ({
    id: logging ? "trail-start" : "trail-stop",
    documented: true,
    summary: logging
      ? `CloudTrail trail ${PROD_TRAIL} logging again (StartLogging)`
      : `CloudTrail trail ${PROD_TRAIL} stopped logging (StopLogging)`,
    event: {
      ...base(actor, time, "cloudtrail.amazonaws.com", logging ? "StartLogging" : "StopLogging"),
      requestParameters: { name: TRAIL_ARN },
      responseElements: null,
      resources: [{ ResourceType: "AWS::CloudTrail::Trail", ResourceName: TRAIL_ARN }],
    },
    recorded: {
      resourceType: "AWS::CloudTrail::Trail",
      resourceId: PROD_TRAIL,
      resourceName: PROD_TRAIL,
      at: recordedAt,
    },
    apply(estate) {
      const trail = find(region(estate, PROD, EU).trails, (t) => t.name === PROD_TRAIL, "trail");
      trail.logging = logging;
      if (logging) trail.startedLogging = time;
      else trail.stoppedLogging = time;
    },
  });
  return [
    {
      id: "mfa-off",
      documented: true,
      summary: "MFA switched OFF on the PCI user pool payments-customers (load test)",
      event: {
        ...base(a.prod.tom, "2026-07-22T14:03:27Z", "cognito-idp.amazonaws.com", "SetUserPoolMfaConfig"),
        requestParameters: { userPoolId: CUSTOMER_POOL_ID, mfaConfiguration: "OFF" },
        responseElements: { mfaConfiguration: "OFF" },
        resources: [{ ResourceType: "AWS::Cognito::UserPool", ResourceName: POOL_ARN }],
      },
      recorded: {
        resourceType: "AWS::Cognito::UserPool",
        resourceId: CUSTOMER_POOL_ID,
        resourceName: "payments-customers",
        at: "2026-07-22T14:09:51Z",
      },
      apply(estate) {
        const pool = find(region(estate, PROD, EU).userPools, (p) => p.id === CUSTOMER_POOL_ID, "pool");
        pool.mfa = "OFF";
        pool.lastModified = "2026-07-22T14:03:27Z";
      },
    },
    {
      id: "mfa-on",
      documented: true,
      summary: "MFA switched back ON (TOTP) on payments-customers",
      event: {
        ...base(a.prod.maria, "2026-07-29T09:41:52Z", "cognito-idp.amazonaws.com", "SetUserPoolMfaConfig"),
        requestParameters: {
          userPoolId: CUSTOMER_POOL_ID,
          softwareTokenMfaConfiguration: { enabled: true },
          mfaConfiguration: "ON",
        },
        responseElements: { softwareTokenMfaConfiguration: { enabled: true }, mfaConfiguration: "ON" },
        resources: [{ ResourceType: "AWS::Cognito::UserPool", ResourceName: POOL_ARN }],
      },
      recorded: {
        resourceType: "AWS::Cognito::UserPool",
        resourceId: CUSTOMER_POOL_ID,
        resourceName: "payments-customers",
        at: "2026-07-29T09:48:06Z",
      },
      apply(estate) {
        const pool = find(region(estate, PROD, EU).userPools, (p) => p.id === CUSTOMER_POOL_ID, "pool");
        pool.mfa = "ON";
        pool.lastModified = "2026-07-29T09:41:52Z";
      },
    },
    trailLogging(false, a.prod.deploy, "2026-08-14T21:47:13Z", "2026-08-14T21:53:38Z"),
    trailLogging(true, a.prod.priya, "2026-08-15T22:05:41Z", "2026-08-15T22:12:20Z"),
    {
      id: "alarm-actions-disabled",
      documented: true,
      summary: `Alarm actions disabled on ${AUTH_FAILURE_ALARM} (never re-enabled; ActionsEnabled false at the clock)`,
      event: {
        ...base(a.prod.tom, "2026-08-27T08:15:33Z", "monitoring.amazonaws.com", "DisableAlarmActions"),
        requestParameters: { alarmNames: [AUTH_FAILURE_ALARM] },
        responseElements: null,
      },
      recorded: {
        resourceType: "AWS::CloudWatch::Alarm",
        resourceId: AUTH_FAILURE_ALARM,
        resourceName: AUTH_FAILURE_ALARM,
        at: "2026-08-27T08:21:10Z",
      },
      apply(estate) {
        const alarm = find(region(estate, PROD, EU).alarms, (x) => x.name === AUTH_FAILURE_ALARM, "alarm");
        alarm.actionsEnabled = false;
        alarm.updated = "2026-08-27T08:15:33Z";
      },
    },
    {
      id: "retention-cut",
      documented: true,
      summary: `Retention of the security log group ${PROD_TRAIL_LOG_GROUP} cut from 365 to 30 days`,
      event: {
        ...base(a.prod.deploy, "2026-09-03T10:12:55Z", "logs.amazonaws.com", "PutRetentionPolicy"),
        requestParameters: { logGroupName: PROD_TRAIL_LOG_GROUP, retentionInDays: 30 },
        responseElements: null,
      },
      recorded: {
        resourceType: "AWS::Logs::LogGroup",
        resourceId: PROD_TRAIL_LOG_GROUP,
        resourceName: PROD_TRAIL_LOG_GROUP,
        at: "2026-09-03T10:18:02Z",
      },
      compliance: {
        rule: "cw-loggroup-retention-period-check",
        resourceType: "AWS::Logs::LogGroup",
        resourceId: PROD_TRAIL_LOG_GROUP,
        to: "NON_COMPLIANT",
        annotation: "Retention 30 days is below 365.",
        at: "2026-09-03T10:31:44Z",
      },
      apply(estate) {
        setRetention(estate, PROD, PROD_TRAIL_LOG_GROUP, 30);
        setRuleResult(
          estate,
          "cw-loggroup-retention-period-check",
          PROD_TRAIL_LOG_GROUP,
          "NON_COMPLIANT",
          "Retention 30 days is below 365.",
        );
      },
    },
    {
      id: "retention-restored",
      documented: true,
      summary: `Retention of ${PROD_TRAIL_LOG_GROUP} restored to 365 days`,
      event: {
        ...base(a.prod.maria, "2026-09-10T16:40:02Z", "logs.amazonaws.com", "PutRetentionPolicy"),
        requestParameters: { logGroupName: PROD_TRAIL_LOG_GROUP, retentionInDays: 365 },
        responseElements: null,
      },
      recorded: {
        resourceType: "AWS::Logs::LogGroup",
        resourceId: PROD_TRAIL_LOG_GROUP,
        resourceName: PROD_TRAIL_LOG_GROUP,
        at: "2026-09-10T16:45:19Z",
      },
      compliance: {
        rule: "cw-loggroup-retention-period-check",
        resourceType: "AWS::Logs::LogGroup",
        resourceId: PROD_TRAIL_LOG_GROUP,
        to: "COMPLIANT",
        at: "2026-09-10T16:58:27Z",
      },
      apply(estate) {
        setRetention(estate, PROD, PROD_TRAIL_LOG_GROUP, 365);
        setRuleResult(estate, "cw-loggroup-retention-period-check", PROD_TRAIL_LOG_GROUP, "COMPLIANT");
      },
    },
    {
      id: "alarm-deleted",
      documented: true,
      summary: `Metric-filter alarm ${SECURITY_GROUP_ALARM} deleted (its metric filter stays, now without an alarm)`,
      event: {
        ...base(a.prod.deploy, "2026-09-22T13:31:08Z", "monitoring.amazonaws.com", "DeleteAlarms"),
        requestParameters: { alarmNames: [SECURITY_GROUP_ALARM] },
        responseElements: null,
      },
      recorded: {
        resourceType: "AWS::CloudWatch::Alarm",
        resourceId: SECURITY_GROUP_ALARM,
        resourceName: SECURITY_GROUP_ALARM,
        at: "2026-09-22T13:36:45Z",
        deleted: true,
      },
      apply(estate) {
        const spec = region(estate, PROD, EU);
        spec.alarms = spec.alarms.filter((x) => x.name !== SECURITY_GROUP_ALARM);
        markDeleted(spec, "AWS::CloudWatch::Alarm", SECURITY_GROUP_ALARM, "2026-09-22T13:36:45Z");
      },
    },
    // Ordinary recorded changes in staging (not drift of a PCI control).
    {
      id: "staging-retention",
      documented: false,
      summary: "Staging API log retention raised from 7 to 14 days",
      event: {
        ...base(a.staging.deploy, "2026-07-20T09:02:17Z", "logs.amazonaws.com", "PutRetentionPolicy"),
        requestParameters: { logGroupName: "/aws/lambda/payments-staging-api", retentionInDays: 14 },
        responseElements: null,
      },
      recorded: {
        resourceType: "AWS::Logs::LogGroup",
        resourceId: "/aws/lambda/payments-staging-api",
        resourceName: "/aws/lambda/payments-staging-api",
        at: "2026-07-20T09:06:40Z",
      },
      apply(estate) {
        setRetention(estate, STAGING, "/aws/lambda/payments-staging-api", 14);
        const rule = find(
          region(estate, STAGING, EU).config.rules,
          (r) => r.name === "cw-loggroup-retention-period-check",
          "rule",
        );
        const result = find(rule.results, (r) => r[1] === "/aws/lambda/payments-staging-api", "result");
        result[3] = "Retention 14 days is below 365.";
      },
    },
    {
      id: "staging-pool-update",
      documented: false,
      summary: "Staging user pool: minimum password length raised from 8 to 10",
      event: {
        ...base(a.staging.lena, "2026-08-11T11:27:45Z", "cognito-idp.amazonaws.com", "UpdateUserPool"),
        requestParameters: {
          userPoolId: "eu-west-1_St4gQa9Zm",
          policies: {
            passwordPolicy: {
              minimumLength: 10,
              requireUppercase: true,
              requireLowercase: true,
              requireNumbers: true,
              requireSymbols: false,
              temporaryPasswordValidityDays: 7,
            },
          },
        },
        responseElements: null,
        resources: [
          {
            ResourceType: "AWS::Cognito::UserPool",
            ResourceName: `arn:aws:cognito-idp:${EU}:${STAGING}:userpool/eu-west-1_St4gQa9Zm`,
          },
        ],
      },
      recorded: {
        resourceType: "AWS::Cognito::UserPool",
        resourceId: "eu-west-1_St4gQa9Zm",
        resourceName: "payments-staging-customers",
        at: "2026-08-11T11:33:02Z",
      },
      apply(estate) {
        const pool = find(
          region(estate, STAGING, EU).userPools,
          (p) => p.id === "eu-west-1_St4gQa9Zm",
          "pool",
        );
        pool.password.minLength = 10;
        pool.lastModified = "2026-08-11T11:27:45Z";
      },
    },
    {
      id: "staging-loggroup-deleted",
      documented: false,
      summary: "Temporary migration log group deleted in staging",
      event: {
        ...base(a.staging.sam, "2026-09-05T15:44:09Z", "logs.amazonaws.com", "DeleteLogGroup"),
        requestParameters: { logGroupName: "/aws/lambda/payments-staging-tmp-migration" },
        responseElements: null,
      },
      recorded: {
        resourceType: "AWS::Logs::LogGroup",
        resourceId: "/aws/lambda/payments-staging-tmp-migration",
        resourceName: "/aws/lambda/payments-staging-tmp-migration",
        at: "2026-09-05T15:49:31Z",
        deleted: true,
      },
      apply(estate) {
        const spec = region(estate, STAGING, EU);
        spec.logGroups = spec.logGroups.filter(
          (g) => g.name !== "/aws/lambda/payments-staging-tmp-migration",
        );
        markDeleted(
          spec,
          "AWS::Logs::LogGroup",
          "/aws/lambda/payments-staging-tmp-migration",
          "2026-09-05T15:49:31Z",
        );
      },
    },
  ];
}
