import { demoEvents } from "./activity.js";
import { demoActors } from "./actors.js";
import {
  CUSTOMER_POOL_ID,
  EU,
  PROD,
  PROD_TRAIL,
  PROD_TRAIL_LOG_GROUP,
  SECURITY_GROUP_ALARM,
  STAGING,
  US,
} from "./demo-estate.js";
import type { Change } from "./drift.js";
import type { EstateSpec, RegionSpec } from "./model.js";
import { Random } from "./prng.js";
import { estateFiles, meta, prodOnly } from "./scenarios.js";
import type { Scenario } from "./types.js";

/**
 * `first-run`: auditpack installed mid-quarter and run once (issue 10). One collection at the clock,
 * no earlier snapshot; what it can prove about 2026-Q4 so far comes from AWS's own history: 90 days
 * of LookupEvents and AWS Config timelines for the types the recorder records (user pools and log
 * groups only, so trails and alarms have no Config history).
 */
export const FIRST_RUN_CLOCK = "2026-11-16T09:00:00Z";
/** The history a first run reads by default: the earlier of the quarter's start and 90 days back. */
export const FIRST_RUN_WINDOW = { start: "2026-08-18T09:00:00Z", end: FIRST_RUN_CLOCK };

export const FIRST_RUN_TIMES = {
  poolUpdated: "2026-10-20T15:42:18Z",
  poolRecorded: "2026-10-20T15:47:02Z",
  alarmDeleted: "2026-10-28T09:26:51Z",
  retentionCut: "2026-11-03T11:05:37Z",
  retentionRecorded: "2026-11-03T11:10:44Z",
  trailStopped: "2026-11-12T20:14:09Z",
  /** 26 hours later. */
  trailStarted: "2026-11-13T22:14:09Z",
};

const TRAIL_ARN = `arn:aws:cloudtrail:${EU}:${PROD}:trail/${PROD_TRAIL}`;
const POOL_ARN = `arn:aws:cognito-idp:${EU}:${PROD}:userpool/${CUSTOMER_POOL_ID}`;

function eu(estate: EstateSpec): RegionSpec {
  return estate.estate[PROD]![EU]!;
}

function firstRunChanges(): Change[] {
  const a = demoActors(PROD, STAGING);
  const t = FIRST_RUN_TIMES;
  const base = (actor: typeof a.prod.tom, time: string, source: string, name: string) => ({
    time,
    account: PROD,
    region: EU,
    source,
    name,
    actor,
  });
  const logging = (on: boolean, actor: typeof a.prod.tom, time: string): Change => ({
    id: on ? "fr-trail-start" : "fr-trail-stop",
    documented: true,
    summary: on ? `${PROD_TRAIL} logging again (StartLogging)` : `${PROD_TRAIL} stopped (StopLogging)`,
    event: {
      ...base(actor, time, "cloudtrail.amazonaws.com", on ? "StartLogging" : "StopLogging"),
      requestParameters: { name: TRAIL_ARN },
      responseElements: null,
      resources: [{ ResourceType: "AWS::CloudTrail::Trail", ResourceName: TRAIL_ARN }],
    },
    apply(estate) {
      const trail = eu(estate).trails.find((x) => x.name === PROD_TRAIL)!;
      trail.logging = on;
      if (on) trail.startedLogging = time;
      else trail.stoppedLogging = time;
    },
  });
  return [
    {
      id: "fr-pool-min-length",
      documented: true,
      summary: "Minimum password length of payments-customers lowered from 12 to 8 (UpdateUserPool)",
      event: {
        ...base(a.prod.tom, t.poolUpdated, "cognito-idp.amazonaws.com", "UpdateUserPool"),
        requestParameters: {
          userPoolId: CUSTOMER_POOL_ID,
          policies: {
            passwordPolicy: {
              minimumLength: 8,
              requireUppercase: true,
              requireLowercase: true,
              requireNumbers: true,
              requireSymbols: false,
              passwordHistorySize: 4,
              temporaryPasswordValidityDays: 7,
            },
          },
          mfaConfiguration: "ON",
          userPoolAddOns: { advancedSecurityMode: "ENFORCED" },
          adminCreateUserConfig: { allowAdminCreateUserOnly: false },
        },
        responseElements: null,
        resources: [{ ResourceType: "AWS::Cognito::UserPool", ResourceName: POOL_ARN }],
      },
      recorded: {
        resourceType: "AWS::Cognito::UserPool",
        resourceId: CUSTOMER_POOL_ID,
        resourceName: "payments-customers",
        at: t.poolRecorded,
      },
      apply(estate) {
        const pool = eu(estate).userPools.find((p) => p.id === CUSTOMER_POOL_ID)!;
        pool.password.minLength = 8;
        pool.lastModified = t.poolUpdated;
      },
    },
    {
      id: "fr-alarm-deleted",
      documented: true,
      summary: `Alarm ${SECURITY_GROUP_ALARM} deleted (DeleteAlarms); Config does not record alarms here`,
      event: {
        ...base(a.prod.deploy, t.alarmDeleted, "monitoring.amazonaws.com", "DeleteAlarms"),
        requestParameters: { alarmNames: [SECURITY_GROUP_ALARM] },
        responseElements: null,
      },
      apply(estate) {
        eu(estate).alarms = eu(estate).alarms.filter((x) => x.name !== SECURITY_GROUP_ALARM);
      },
    },
    {
      id: "fr-retention-cut",
      documented: true,
      summary: `Retention of ${PROD_TRAIL_LOG_GROUP} cut from 365 to 90 days (PutRetentionPolicy)`,
      event: {
        ...base(a.prod.deploy, t.retentionCut, "logs.amazonaws.com", "PutRetentionPolicy"),
        requestParameters: { logGroupName: PROD_TRAIL_LOG_GROUP, retentionInDays: 90 },
        responseElements: null,
      },
      recorded: {
        resourceType: "AWS::Logs::LogGroup",
        resourceId: PROD_TRAIL_LOG_GROUP,
        resourceName: PROD_TRAIL_LOG_GROUP,
        at: t.retentionRecorded,
      },
      apply(estate) {
        eu(estate).logGroups.find((g) => g.name === PROD_TRAIL_LOG_GROUP)!.retentionDays = 90;
      },
    },
    logging(false, a.prod.deploy, t.trailStopped),
    logging(true, a.prod.priya, t.trailStarted),
  ];
}

/** The production estate with a recorder that records only user pools and log groups. */
function firstRunEstate(): EstateSpec {
  const estate = prodOnly();
  for (const region of [EU, US]) {
    const recorder = estate.estate[PROD]![region]!.config.recorder;
    if (!recorder) continue;
    recorder.allSupported = false;
    recorder.resourceTypes = ["AWS::Cognito::UserPool", "AWS::Logs::LogGroup"];
  }
  return estate;
}

function document(): string {
  const t = FIRST_RUN_TIMES;
  return `# first-run scenario

Generated by \`npx tsx evidence-fixtures/_generator/main.ts\` from \`_generator/first-run.ts\`; do not edit by hand.

- Clock: ${FIRST_RUN_CLOCK} (one collection; no earlier snapshot). History window: [${FIRST_RUN_WINDOW.start}, ${FIRST_RUN_WINDOW.end}).
- 111122223333 (payments-prod), eu-west-1 and us-east-1. The Config recorders record only AWS::Cognito::UserPool and AWS::Logs::LogGroup.

| change | event | eventTime | Config item |
| --- | --- | --- | --- |
| payments-customers minimum password length 12 -> 8 | UpdateUserPool | ${t.poolUpdated} | ${t.poolRecorded} |
| alarm ${SECURITY_GROUP_ALARM} deleted | DeleteAlarms | ${t.alarmDeleted} | (not recorded) |
| ${PROD_TRAIL_LOG_GROUP} retention 365 -> 90 days | PutRetentionPolicy | ${t.retentionCut} | ${t.retentionRecorded} |
| trail ${PROD_TRAIL} stopped | StopLogging | ${t.trailStopped} | (not recorded) |
| trail ${PROD_TRAIL} logging again (26 h later) | StartLogging | ${t.trailStarted} | (not recorded) |

At the clock GetTrailStatus says IsLogging true, StopLoggingTime ${t.trailStopped}, StartLoggingTime ${t.trailStarted}.
`;
}

export function firstRunScenario(): Scenario {
  const estate = firstRunEstate();
  const changes = firstRunChanges();
  const events = demoEvents(changes, FIRST_RUN_CLOCK, FIRST_RUN_CLOCK, new Random(20261116)).filter(
    (e) => e.account === PROD,
  );
  return {
    name: "first-run",
    meta: meta(
      "A first run mid-quarter: payments-prod (111122223333) collected once at the clock, no earlier snapshots; 90 days of CloudTrail events and AWS Config timelines for user pools and log groups (see FIRST-RUN.md).",
      estate,
      FIRST_RUN_WINDOW,
      undefined,
      FIRST_RUN_CLOCK,
    ),
    files: estateFiles(estate, changes, events, FIRST_RUN_WINDOW, 5, undefined, FIRST_RUN_CLOCK),
    documents: new Map([["FIRST-RUN.md", document()]]),
  };
}
