import { collectorIds } from "../../src/collectors/registry.js";
import { HISTORY_COLLECTORS } from "../../src/evaluate/read.js";
import { demoEvents, lookupAnswers } from "./activity.js";
import { cloudtrailFile } from "./cloudtrail.js";
import { cloudwatchFile } from "./cloudwatch.js";
import { cognitoFile } from "./cognito.js";
import { configFile } from "./config.js";
import { demoEstate, EU, PROD, PROD_TRAIL, US } from "./demo-estate.js";
import { type Change, demoChanges } from "./drift.js";
import { driftDocument } from "./drift-doc.js";
import type { TrailEvent } from "./events.js";
import { firstRunScenario } from "./first-run.js";
import { buildTimelines, historyAnswers } from "./history.js";
import { iamId } from "./ids.js";
import { logsFile } from "./logs.js";
import { EMPTY_REGION, type EstateSpec, type RegionSpec } from "./model.js";
import { Random } from "./prng.js";
import { isoSeconds, ms } from "./time.js";
import {
  type Answer,
  fileKey,
  type Scenario,
  type ScenarioMeta,
  type Service,
  type ServiceFile,
} from "./types.js";

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

/** The estate as it stood at `at`: the changes made by then applied, in order. */
function estateAt(initial: EstateSpec, changes: Change[], at: string): EstateSpec {
  const estate = structuredClone(initial);
  for (const change of [...changes].sort((a, b) => ms(a.event.time) - ms(b.event.time)))
    if (ms(change.event.time) <= ms(at)) change.apply(estate);
  return estate;
}

/** The demo's recorded collection schedule: snapshot collectors daily at 06:00, from the day before the quarter. */
const DEMO_SCHEDULE = {
  collectors: collectorIds.filter((id) => !HISTORY_COLLECTORS.has(id)),
  first: "2026-06-30T06:00:00Z",
  intervalHours: 24,
};

/** Clocks of every recorded run: the scheduled ones, then the scenario clock. */
function runClocks(schedule: ScenarioMeta["schedule"], clock = CLOCK): string[] {
  const clocks: string[] = [];
  if (schedule) {
    for (let t = ms(schedule.first); t < ms(clock); t += schedule.intervalHours * 3_600_000)
      clocks.push(isoSeconds(t));
  }
  return [...clocks, clock];
}

/** Snapshot answers (Describe*, Get*) of one account and region at `clock`. */
function snapshotFiles(
  byRegion: Record<string, RegionSpec>,
  account: string,
  region: string,
  clock: string,
  evaluatedAt: string,
  rng: (salt: number) => Random,
): Partial<Record<Service, ServiceFile>> {
  const spec = byRegion[region] ?? EMPTY_REGION;
  return {
    cloudtrail: cloudtrailFile(account, region, byRegion, clock),
    "cognito-idp": cognitoFile(spec, account, region, rng(2)),
    logs: logsFile(spec, account, region, rng(3)),
    monitoring: cloudwatchFile(spec, account, region, rng(4)),
    config: configFile(spec, account, region, clock, rng(5), evaluatedAt),
  };
}

/**
 * One service's answers over every run: an operation whose answers change between runs gets each
 * version once, valid for the runs from its first clock until the next version (`from`, `until`).
 */
function timedAnswers(versions: { clock: string; file: ServiceFile }[]): ServiceFile {
  const out: ServiceFile = {};
  const operations = new Set(versions.flatMap((v) => Object.keys(v.file)));
  for (const op of operations) {
    const groups: { from: string; json: string; answers: Answer[] }[] = [];
    for (const { clock, file } of versions) {
      const answers = file[op] ?? [];
      const json = JSON.stringify(answers);
      if (groups.at(-1)?.json !== json) groups.push({ from: clock, json, answers });
    }
    out[op] = groups.flatMap((g, i) =>
      g.answers.map((a) => ({
        ...a,
        ...(i > 0 ? { from: g.from } : {}),
        ...(i < groups.length - 1 ? { until: groups[i + 1]!.from } : {}),
      })),
    );
  }
  return out;
}

/** Every service file of every account and region of an estate, answering each recorded run as of its clock. */
export function estateFiles(
  initial: EstateSpec,
  changes: Change[],
  events: TrailEvent[],
  window: { start: string; end: string },
  seed: number,
  schedule?: ScenarioMeta["schedule"],
  clock = CLOCK,
): Map<string, ServiceFile> {
  const clocks = runClocks(schedule, clock);
  const estates = clocks.map((clock) => ({ clock, estate: estateAt(initial, changes, clock) }));
  const files = new Map<string, ServiceFile>();
  for (const { id: account } of initial.accounts) {
    files.set(fileKey(account, "global", "sts"), stsFile(account));
    for (const region of initial.regions) {
      // One PRNG per file, so a change in one file never reshuffles tokens in another.
      const rng = (salt: number) =>
        new Random(seed * 1000 + salt + account.charCodeAt(3) * 17 + region.length * 101);
      // Periodic Config rules re-evaluate when the region's estate changes (keeps the files small).
      let evaluatedAt = clocks[0]!;
      let previous = "";
      const versions = estates.map(({ clock, estate }) => {
        const byRegion = estate.estate[account] ?? {};
        const state = JSON.stringify(byRegion[region] ?? EMPTY_REGION);
        if (state !== previous) evaluatedAt = clock;
        previous = state;
        return { clock, files: snapshotFiles(byRegion, account, region, clock, evaluatedAt, rng) };
      });
      for (const service of ["cloudtrail", "cognito-idp", "logs", "monitoring", "config"] as const) {
        files.set(
          fileKey(account, region, service),
          timedAnswers(versions.map((v) => ({ clock: v.clock, file: v.files[service]! }))),
        );
      }
      // History answers serve the final run, which reads the whole window.
      const regionEvents = events.filter((e) => e.account === account && e.region === region);
      files.get(fileKey(account, region, "cloudtrail"))!.LookupEvents = lookupAnswers(
        regionEvents,
        window,
        clock,
        rng(1),
      );
      const final = estates.at(-1)!.estate.estate[account]?.[region] ?? EMPTY_REGION;
      const timelines = buildTimelines(initial, changes, account, region);
      Object.assign(
        files.get(fileKey(account, region, "config"))!,
        historyAnswers(timelines, window, final.config.recorder !== undefined, rng(6), PROD_TRAIL),
      );
    }
  }
  return files;
}

export function meta(
  description: string,
  estate: EstateSpec,
  window: { start: string; end: string },
  schedule?: ScenarioMeta["schedule"],
  clock = CLOCK,
): ScenarioMeta {
  return {
    description,
    clock,
    accounts: estate.accounts.map((a) => a.id),
    regions: estate.regions,
    window,
    ...(schedule ? { schedule } : {}),
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
      DEMO_SCHEDULE,
    ),
    files: estateFiles(estate, changes, events, QUARTER, 1, DEMO_SCHEDULE),
    documents: new Map([["DRIFT.md", driftDocument(changes, CLOCK, QUARTER)]]),
  };
}

export function prodOnly(): EstateSpec {
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
  return [demoScenario(), emptyScenario(), accessDeniedScenario(), throttledScenario(), firstRunScenario()];
}
