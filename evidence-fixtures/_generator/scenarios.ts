import { demoEvents, lookupAnswers } from "./activity.js";
import { cloudtrailFile } from "./cloudtrail.js";
import { cloudwatchFile } from "./cloudwatch.js";
import { cognitoFile } from "./cognito.js";
import { configFile } from "./config.js";
import { demoEstate, EU, PROD, PROD_TRAIL, US } from "./demo-estate.js";
import { type Change, demoChanges } from "./drift.js";
import { driftDocument } from "./drift-doc.js";
import type { TrailEvent } from "./events.js";
import { buildTimelines, historyAnswers } from "./history.js";
import { iamId } from "./ids.js";
import { logsFile } from "./logs.js";
import { EMPTY_REGION, type EstateSpec } from "./model.js";
import { Random } from "./prng.js";
import { type Answer, fileKey, type Scenario, type ScenarioMeta, type ServiceFile } from "./types.js";

const CLOCK = "2026-10-01T06:00:00Z";
const QUARTER = { start: "2026-07-01T00:00:00Z", end: "2026-10-01T00:00:00Z" };
/** Error scenarios read a short window: the point is the error path, not history. */
const LAST_DAYS = { start: "2026-09-28T00:00:00Z", end: "2026-10-01T00:00:00Z" };

function stsFile(account: string): ServiceFile {
  return {
    GetCallerIdentity: [
      {
        response: {
          UserId: `${iamId("AROA", `${account}/auditpack-collector`)}:auditpack`,
          Account: account,
          Arn: `arn:aws:sts::${account}:assumed-role/auditpack-collector/auditpack`,
        },
      },
    ],
  };
}

function finalEstate(initial: EstateSpec, changes: Change[]): EstateSpec {
  const estate = structuredClone(initial);
  for (const change of [...changes].sort((a, b) => Date.parse(a.event.time) - Date.parse(b.event.time)))
    change.apply(estate);
  return estate;
}

/** Every service file of every account and region of an estate. */
function estateFiles(
  initial: EstateSpec,
  changes: Change[],
  events: TrailEvent[],
  window: { start: string; end: string },
  seed: number,
): Map<string, ServiceFile> {
  const current = finalEstate(initial, changes);
  const files = new Map<string, ServiceFile>();
  for (const { id: account } of initial.accounts) {
    files.set(fileKey(account, "global", "sts"), stsFile(account));
    const byRegion = current.estate[account] ?? {};
    for (const region of initial.regions) {
      // One PRNG per file, so a change in one file never reshuffles tokens in another.
      const rng = (salt: number) =>
        new Random(seed * 1000 + salt + account.charCodeAt(3) * 17 + region.length * 101);
      const spec = byRegion[region] ?? EMPTY_REGION;
      const trails = cloudtrailFile(account, region, byRegion, CLOCK);
      const regionEvents = events.filter((e) => e.account === account && e.region === region);
      trails.LookupEvents = lookupAnswers(regionEvents, window, CLOCK, rng(1));
      files.set(fileKey(account, region, "cloudtrail"), trails);
      files.set(fileKey(account, region, "cognito-idp"), cognitoFile(spec, account, region, rng(2)));
      files.set(fileKey(account, region, "logs"), logsFile(spec, account, region, rng(3)));
      files.set(fileKey(account, region, "monitoring"), cloudwatchFile(spec, account, region, rng(4)));
      const config = configFile(spec, account, region, CLOCK, rng(5));
      const timelines = buildTimelines(initial, changes, account, region);
      Object.assign(
        config,
        historyAnswers(timelines, window, spec.config.recorder !== undefined, rng(6), PROD_TRAIL),
      );
      files.set(fileKey(account, region, "config"), config);
    }
  }
  return files;
}

function meta(description: string, estate: EstateSpec, window: { start: string; end: string }): ScenarioMeta {
  return {
    description,
    clock: CLOCK,
    accounts: estate.accounts.map((a) => a.id),
    regions: estate.regions,
    window,
  };
}

export function demoScenario(): Scenario {
  const estate = demoEstate();
  const changes = demoChanges();
  const events = demoEvents(changes, CLOCK, QUARTER.end, new Random(20261001));
  return {
    name: "demo",
    meta: meta(
      "Demonstration data: two accounts (111122223333 payments-prod, 444455556666 payments-staging), eu-west-1 and us-east-1, 2026-Q3 with drift inside the quarter (see DRIFT.md).",
      estate,
      QUARTER,
    ),
    files: estateFiles(estate, changes, events, QUARTER, 1),
    documents: new Map([["DRIFT.md", driftDocument(changes, CLOCK, QUARTER)]]),
  };
}

function prodOnly(): EstateSpec {
  const estate = demoEstate();
  estate.accounts = estate.accounts.filter((a) => a.id === PROD);
  return estate;
}

export function emptyScenario(): Scenario {
  const account = "777788889999";
  const estate: EstateSpec = {
    accounts: [{ id: account, alias: "payments-sandbox", env: "sandbox" }],
    regions: [EU, US],
    estate: { [account]: { [EU]: structuredClone(EMPTY_REGION), [US]: structuredClone(EMPTY_REGION) } },
  };
  return {
    name: "empty",
    meta: meta(
      "A new account (777788889999) where nothing is configured: no recorder, no rules, no trails, no log groups, alarms or user pools.",
      estate,
      LAST_DAYS,
    ),
    files: estateFiles(estate, [], [], LAST_DAYS, 2),
  };
}

const DENIED_MESSAGE = (account: string, action: string) =>
  `User: arn:aws:sts::${account}:assumed-role/auditpack-collector/auditpack is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`;

export function accessDeniedScenario(): Scenario {
  const estate = prodOnly();
  const changes = demoChanges();
  const events = demoEvents(changes, CLOCK, QUARTER.end, new Random(20261001));
  const files = estateFiles(estate, changes, events, LAST_DAYS, 3);
  // The collector role lacks every cognito-idp permission in eu-west-1 only (an SCP region guard).
  const cognito = files.get(fileKey(PROD, EU, "cognito-idp"))!;
  for (const op of Object.keys(cognito)) {
    cognito[op] = [
      {
        error: {
          code: "AccessDeniedException",
          status: 400,
          message: DENIED_MESSAGE(PROD, `cognito-idp:${op}`),
        },
      },
    ];
  }
  return {
    name: "access-denied",
    meta: meta(
      "payments-prod (111122223333) where the collector role may not read Cognito in eu-west-1 (AccessDeniedException on every cognito-idp call there); everything else answers.",
      estate,
      LAST_DAYS,
    ),
    files,
  };
}

const THROTTLE_CODE: Record<string, string> = {
  "cognito-idp": "TooManyRequestsException",
  cloudtrail: "ThrottlingException",
  logs: "ThrottlingException",
  monitoring: "Throttling",
  config: "ThrottlingException",
};

/** Operations throttled twice (first page / first matching request) before they answer. */
const THROTTLED: Record<string, string[]> = {
  "cognito-idp": ["ListUserPools", "DescribeUserPool"],
  cloudtrail: ["DescribeTrails", "GetTrailStatus", "LookupEvents"],
  logs: ["DescribeLogGroups", "DescribeMetricFilters"],
  monitoring: ["DescribeAlarms"],
  config: [
    "DescribeConfigurationRecorderStatus",
    "DescribeConfigRules",
    "GetComplianceDetailsByConfigRule",
    "ListDiscoveredResources",
    "GetResourceConfigHistory",
  ],
};

export function throttledScenario(): Scenario {
  const estate = prodOnly();
  const changes = demoChanges();
  const events = demoEvents(changes, CLOCK, QUARTER.end, new Random(20261001));
  const files = estateFiles(estate, changes, events, LAST_DAYS, 4);
  for (const [path, file] of files) {
    const service = path.split("/")[2]!.replace(/\.json$/, "");
    for (const op of THROTTLED[service] ?? []) {
      const answers = file[op];
      if (!answers || answers.length === 0) continue;
      const first = answers[0]!;
      const code = THROTTLE_CODE[service]!;
      const throttle: Answer = { error: { code, status: 400, message: "Rate exceeded" }, times: 2 };
      if (first.params) throttle.params = first.params;
      answers.unshift(throttle);
    }
  }
  return {
    name: "throttled",
    meta: meta(
      "payments-prod (111122223333) where the first request of several operations in every region is throttled twice (ThrottlingException, Throttling or TooManyRequestsException, times: 2) and then succeeds.",
      estate,
      LAST_DAYS,
    ),
    files,
  };
}

export function allScenarios(): Scenario[] {
  return [demoScenario(), emptyScenario(), accessDeniedScenario(), throttledScenario()];
}
