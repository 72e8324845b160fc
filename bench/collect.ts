/**
 * bench/collect: replay a large synthetic organisation through the real runner, collectors and SDK
 * clients, with a fixed latency injected per call and AWS's documented rate limits on, and compare
 * the wall time with the lower bound those limits and the concurrency imply.
 *
 *   npx tsx bench/collect.ts [--regions 16] [--pools 200] [--events 100000] [--days 5] [--latency 20]
 *   npx tsx bench/collect.ts --first-run [--events 20000]
 *
 * --first-run: a first run's history reads (issue 10): 90 days of LookupEvents for the whole change
 * vocabulary (global-service names in us-east-1 only) and AWS Config timelines of every user pool in
 * 7-day spans, 16 regions; the bound is LookupEvents' 2 requests/s per account and region.
 *
 * Target: wall time <= 1.3x the bound; peak RSS < 300 MB.
 *
 * The organisation is generated lazily: each LookupEvents page is built when it is answered, so the
 * figures are auditpack's (plus Node, tsx and the AWS SDK, printed as what is resident before
 * collecting), not the fixture's. Peak RSS varies by tens of MB between runs with when V8 happens
 * to run full GCs: compare several runs.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { FixtureScenario } from "../src/aws/fixtures.js";
import { DOCUMENTED_RATE_LIMITS } from "../src/aws/rate-limit.js";
import type { FixtureAnswer, ServiceFixture } from "../src/aws/replay.js";
import { DEFAULT_EVENT_NAMES } from "../src/collectors/cloudtrail/cloudtrail_activity.js";
import { MAX_HISTORY_SPAN_MS } from "../src/collectors/config/config_resource_timeline.js";
import { collect } from "../src/collectors/run.js";
import type { ServiceName } from "../src/collectors/types.js";
import { parseConfig } from "../src/config/load.js";
import { Ed25519Signer } from "../src/signing/ed25519.js";
import { globalEventNames } from "../src/state/changes/index.js";
import { FsStore } from "../src/store/fs.js";

const { values: args } = parseArgs({
  options: {
    regions: { type: "string", default: "16" },
    pools: { type: "string", default: "200" },
    events: { type: "string", default: "100000" },
    days: { type: "string", default: "5" },
    latency: { type: "string", default: "20" },
    "first-run": { type: "boolean", default: false },
  },
});
const FIRST_RUN = args["first-run"] === true;
if (FIRST_RUN) {
  if (!process.argv.includes("--days")) args.days = "90";
  if (!process.argv.includes("--events")) args.events = "20000";
}
const REGIONS = Number(args.regions);
const POOLS = Number(args.pools);
const EVENTS = Number(args.events);
const DAYS = Number(args.days);
const LATENCY_MS = Number(args.latency);

const ACCOUNT = "123456789012";
const EVENT_NAMES = ["ConsoleLogin", "StopLogging", "PutRetentionPolicy", "AdminCreateUser"];
const PAGE = 50;
const DAY_MS = 86_400_000;
const END = Date.parse("2026-09-30T00:00:00Z");
const START = END - DAYS * DAY_MS;
const ALL_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ca-central-1",
  "sa-east-1",
];
const regions = ALL_REGIONS.slice(0, REGIONS);

/** Events per (region, day, name): spread evenly, the remainder to the first combinations. */
function eventCount(regionIndex: number, day: number, name: number): number {
  const slots = REGIONS * DAYS * EVENT_NAMES.length;
  const slot = (regionIndex * DAYS + day) * EVENT_NAMES.length + name;
  return Math.floor(EVENTS / slots) + (slot < EVENTS % slots ? 1 : 0);
}

function event(region: string, day: number, name: string, i: number, count: number): Record<string, unknown> {
  const ms = START + day * DAY_MS + Math.floor(((i + 0.5) / count) * DAY_MS);
  const at = new Date(ms).toISOString();
  const id = `${region}-${day}-${name}-${i}`;
  const detail = {
    eventVersion: "1.08",
    userIdentity: {
      type: "IAMUser",
      arn: `arn:aws:iam::${ACCOUNT}:user/user${i % 40}`,
      userName: `user${i % 40}`,
    },
    eventTime: at,
    eventSource: "cloudtrail.amazonaws.com",
    eventName: name,
    awsRegion: region,
    sourceIPAddress: "198.51.100.7",
    requestParameters: {
      name: "main",
      password: name === "AdminCreateUser" ? "synthetic-secret" : undefined,
    },
    responseElements: null,
    eventID: id,
    readOnly: false,
    managementEvent: true,
    recipientAccountId: ACCOUNT,
  };
  return {
    EventId: id,
    EventName: name,
    ReadOnly: "false",
    // Epoch seconds, as on the wire: the replay transport then passes the page through uncopied.
    EventTime: ms / 1000,
    EventSource: "cloudtrail.amazonaws.com",
    Username: `user${i % 40}`,
    Resources: [{ ResourceType: "AWS::CloudTrail::Trail", ResourceName: "main" }],
    CloudTrailEvent: JSON.stringify(detail),
  };
}

/** A name is "busy" in a region when its events over the window need more than one page. */
function isBusy(regionIndex: number, name: number): boolean {
  let total = 0;
  for (let day = 0; day < DAYS; day++) total += eventCount(regionIndex, day, name);
  return total > PAGE;
}

/**
 * LookupEvents answers in the collector's request pattern, each generating its events only when
 * answered: per day and page for busy names, then one whole-window answer per name (all events of a
 * quiet name; a busy name's newest page with a NextToken, which the collector does not follow).
 */
function cloudtrail(region: string): ServiceFixture {
  const r = regions.indexOf(region);
  const perDay: FixtureAnswer[] = [];
  const wholeWindow: FixtureAnswer[] = [];
  for (const [n, name] of EVENT_NAMES.entries()) {
    const filter = { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] };
    const busy = isBusy(r, n);
    wholeWindow.push({
      params: { ...filter, StartTime: START / 1000, EndTime: END / 1000, NextToken: null },
      get response() {
        const events = [];
        // LookupEvents returns newest first.
        for (let day = DAYS - 1; day >= 0 && events.length < PAGE; day--) {
          const count = eventCount(r, day, n);
          for (let i = count - 1; i >= 0 && events.length < PAGE; i--)
            events.push(event(region, day, name, i, count));
        }
        return { Events: events, ...(busy ? { NextToken: `window-${name}` } : {}) };
      },
    });
    if (!busy) continue;
    for (let day = 0; day < DAYS; day++) {
      const count = eventCount(r, day, n);
      const pages = Math.max(1, Math.ceil(count / PAGE));
      for (let p = 0; p < pages; p++) {
        const params = {
          ...filter,
          StartTime: (START + day * DAY_MS) / 1000,
          EndTime: (START + (day + 1) * DAY_MS) / 1000,
          NextToken: p === 0 ? null : `${day}-${name}-${p}`,
        };
        perDay.push({
          params,
          get response() {
            const events = [];
            for (let i = Math.min(count, (p + 1) * PAGE) - 1; i >= p * PAGE; i--)
              events.push(event(region, day, name, i, count));
            return { Events: events, ...(p + 1 < pages ? { NextToken: `${day}-${name}-${p + 1}` } : {}) };
          },
        });
      }
    }
  }
  // A first run asks for the whole vocabulary: names without events get an empty answer.
  return { LookupEvents: [...perDay, ...wholeWindow, { response: { Events: [] } }] };
}

/** The event names the collector asks in a region (global-service names only in us-east-1). */
function namesAsked(region: string): number {
  if (!FIRST_RUN) return EVENT_NAMES.length;
  const global = globalEventNames();
  return DEFAULT_EVENT_NAMES.filter((n) => region === "us-east-1" || !global.has(n)).length;
}

const SPANS = Math.ceil((DAYS * DAY_MS) / MAX_HISTORY_SPAN_MS);

/** AWS Config timelines: every user pool recorded, one configuration item per 7-day span. */
function config(region: string): ServiceFixture {
  const pools = poolsIn(region);
  const history: FixtureAnswer[] = [];
  for (const resourceId of pools) {
    for (let s = 0; s < SPANS; s++) {
      const at = START + s * MAX_HISTORY_SPAN_MS + 3_600_000;
      history.push({
        params: { resourceId, earlierTime: (START + s * MAX_HISTORY_SPAN_MS) / 1000 },
        response: {
          configurationItems: [
            {
              resourceType: "AWS::Cognito::UserPool",
              resourceId,
              resourceName: resourceId,
              configurationItemStatus: "OK",
              configurationStateId: String(at),
              configurationItemCaptureTime: at / 1000,
              configuration: JSON.stringify({ Id: resourceId, MfaConfiguration: "ON" }),
            },
          ],
        },
      });
    }
  }
  history.push({ response: { configurationItems: [] } });
  return {
    ListDiscoveredResources: [
      {
        params: { resourceType: "AWS::Cognito::UserPool" },
        response: {
          resourceIdentifiers: pools.map((resourceId) => ({
            resourceType: "AWS::Cognito::UserPool",
            resourceId,
            resourceName: resourceId,
          })),
        },
      },
      { response: { resourceIdentifiers: [] } },
    ],
    GetResourceConfigHistory: history,
  };
}

function poolsIn(region: string): string[] {
  const r = regions.indexOf(region);
  const ids = [];
  for (let i = r; i < POOLS; i += REGIONS) ids.push(`${region}_pool${String(i).padStart(4, "0")}`);
  return ids;
}

function cognito(region: string): ServiceFixture {
  const pools = poolsIn(region);
  const f: ServiceFixture = {
    ListUserPools: [{ response: { UserPools: pools.map((Id) => ({ Id, Name: Id })) } }],
    DescribeUserPool: [],
    GetUserPoolMfaConfig: [],
    ListUserPoolClients: [],
    DescribeUserPoolClient: [],
    DescribeRiskConfiguration: [],
  };
  for (const [i, UserPoolId] of pools.entries()) {
    const advanced = i % 3 === 0 ? "ENFORCED" : "OFF";
    f.DescribeUserPool!.push({
      params: { UserPoolId },
      response: {
        UserPool: {
          Id: UserPoolId,
          Name: UserPoolId,
          Policies: {
            PasswordPolicy: { MinimumLength: 12, RequireNumbers: true, TemporaryPasswordValidityDays: 7 },
          },
          MfaConfiguration: i % 2 ? "ON" : "OPTIONAL",
          UserPoolAddOns: { AdvancedSecurityMode: advanced },
          CreationDate: "2025-01-01T00:00:00Z",
        },
      },
    });
    f.GetUserPoolMfaConfig!.push({
      params: { UserPoolId },
      response: { MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } },
    });
    const clients = [`${UserPoolId}-web`, `${UserPoolId}-api`];
    f.ListUserPoolClients!.push({
      params: { UserPoolId },
      response: { UserPoolClients: clients.map((ClientId) => ({ ClientId, UserPoolId })) },
    });
    for (const ClientId of clients) {
      f.DescribeUserPoolClient!.push({
        params: { UserPoolId, ClientId },
        response: {
          UserPoolClient: { UserPoolId, ClientId, ClientSecret: "synthetic-secret", AccessTokenValidity: 60 },
        },
      });
    }
    f.DescribeRiskConfiguration!.push({
      params: { UserPoolId },
      response: { RiskConfiguration: { UserPoolId } },
    });
  }
  return f;
}

const scenario: FixtureScenario = {
  name: "bench-synthetic",
  dir: "(memory)",
  description: "synthetic organisation",
  clock: new Date(END),
  accounts: [ACCOUNT],
  regions,
  window: { start: new Date(START), end: new Date(END) },
  fileFor: (account, region, service) => `(synthetic ${account}/${region}/${service})`,
  serviceFixture(_account, region, service: ServiceName) {
    if (service === "cloudtrail") return cloudtrail(region);
    if (service === "cognito-idp") return cognito(region);
    if (service === "config" && FIRST_RUN) return config(region);
    return {};
  },
};

/** Lower bound: per region the larger of its rate-limited LookupEvents chain and its Cognito chain; regions spread over the concurrency. */
function lowerBoundMs(concurrency: number): { boundMs: number; lookupCalls: number; cognitoCalls: number } {
  const { perSecond, burst } = DOCUMENTED_RATE_LIMITS["cloudtrail:LookupEvents"]!;
  const perRegion: number[] = [];
  let lookupCalls = 0;
  let cognitoCalls = 0;
  for (const [r, region] of regions.entries()) {
    // One whole-window request per name, then each busy name day by day, page by page.
    let calls = namesAsked(region);
    for (let n = 0; n < EVENT_NAMES.length; n++) {
      if (!isBusy(r, n)) continue;
      for (let d = 0; d < DAYS; d++) calls += Math.max(1, Math.ceil(eventCount(r, d, n) / PAGE));
    }
    lookupCalls += calls;
    // Calls are sequential: each waits for its token (after the burst) and its latency.
    const ct = Math.max(0, calls - burst) * (1000 / perSecond) + LATENCY_MS;
    const pools = poolsIn(region).length;
    // ListUserPools, then 4 pools at a time, each: DescribeUserPool, MFA, ListClients, 2 x DescribeClient (+ risk for 1 in 3).
    const chain = Math.ceil(pools / 4) * 6;
    cognitoCalls += 1 + pools * 5 + Math.ceil(pools / 3);
    // Config timelines (first run): ListDiscoveredResources per type, then per resource a baseline
    // request and one per 7-day span, in sequence; not rate-limited, so bound by latency.
    const configChain = FIRST_RUN ? (5 + pools * (1 + SPANS)) * LATENCY_MS : 0;
    perRegion.push(Math.max(ct, LATENCY_MS * (1 + chain), configChain));
  }
  const total = perRegion.reduce((a, b) => a + b, 0);
  return { boundMs: Math.max(Math.max(...perRegion), total / concurrency), lookupCalls, cognitoCalls };
}

async function main(): Promise<void> {
  const concurrency = Math.min(REGIONS, 16);
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-bench-"));
  const store = new FsStore(path.join(dir, "store"));
  const signer = new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);
  const config = parseConfig(
    {
      aws: { concurrency, maxAttempts: 3 },
      collectors: FIRST_RUN ? {} : { cloudtrail_activity: { eventNames: EVENT_NAMES } },
    },
    "bench",
  );
  let calls = 0;
  // What is resident before collecting: Node, the loader (tsx), the AWS SDK clients and this script.
  const rssBeforeMb = process.memoryUsage().rss / 1048576;
  const started = performance.now();
  const summary = await collect({
    store,
    signer,
    config,
    collectors: FIRST_RUN
      ? ["cognito_user_pools", "cloudtrail_activity", "config_resource_timeline"]
      : ["cognito_user_pools", "cloudtrail_activity"],
    fixtures: scenario,
    rateLimits: true,
    replay: { latencyMs: LATENCY_MS, onCall: () => calls++ },
  });
  const wallMs = performance.now() - started;
  const { boundMs, lookupCalls, cognitoCalls } = lowerBoundMs(concurrency);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const loader = process.execArgv.some((a) => a.includes("tsx")) ? "tsx" : "node";
  const events = EVENTS;
  console.log(
    [
      ...(FIRST_RUN
        ? [
            `first run: ${DAYS} days of history, ${namesAsked("us-east-1")} event names in us-east-1 (${namesAsked("eu-west-1")} elsewhere), Config timelines in ${SPANS} spans per pool`,
          ]
        : []),
      `synthetic organisation: ${REGIONS} regions, ${POOLS} user pools, ${events} CloudTrail events over ${DAYS} days, ${EVENT_NAMES.length} event names`,
      `latency ${LATENCY_MS} ms per call; LookupEvents 2/s per account-region, ${PAGE} events per page; concurrency ${concurrency}`,
      `calls: ${calls} (LookupEvents ${lookupCalls}, Cognito ${cognitoCalls}, STS 0); records ${summary.totals.records}, ${(summary.totals.bytes / 1e6).toFixed(1)} MB, status ${summary.status}`,
      `wall time   ${(wallMs / 1000).toFixed(1)} s`,
      `lower bound ${(boundMs / 1000).toFixed(1)} s`,
      `ratio       ${(wallMs / boundMs).toFixed(3)} (target <= 1.3)`,
      `peak RSS    ${rssMb.toFixed(0)} MB (target < 300); ${rssBeforeMb.toFixed(0)} MB resident before collecting (${loader}, AWS SDK loaded)`,
    ].join("\n"),
  );
  rmSync(dir, { recursive: true, force: true });
  if (summary.status !== "ok") {
    console.error(
      JSON.stringify(
        summary.results.filter((r) => r.error),
        null,
        2,
      ),
    );
    process.exitCode = 1;
  }
}

await main();
