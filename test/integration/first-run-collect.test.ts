import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CloudTrailClient,
  CreateTrailCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load.js";
import { type CollectSummary, collect } from "../../src/collectors/run.js";
import { parseConfig } from "../../src/config/load.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Findings, StatusInterval } from "../../src/evaluate/types.js";
import { buildReportModel } from "../../src/report/model.js";
import { loadReportTemplate } from "../../src/report/templates.js";
import { newSigner, tempStore } from "../evidence/ledger-helpers.js";
import { credentials, endpoint, motoClientConfig, region } from "./moto.js";

/**
 * A first run (issue 10) through the library's collect(), as `auditpack collect` makes it: one live
 * run against moto_server for the snapshot collectors (a logging trail, a user pool with minimum
 * length 8), and, because moto serves no LookupEvents, one replay run of cloudtrail_activity into
 * the same store and ledger with 12 days of history that matches moto (StopLogging 26 hours before
 * moto's own StartLoggingTime, an UpdateUserPool that set the minimum length moto holds). The
 * evaluation reads only what the ledger vouches for.
 */
const ACCOUNT = "123456789012";
const base = motoClientConfig();
const cloudtrail = new CloudTrailClient(base);
const cognito = new CognitoIdentityProviderClient(base);
const s3 = new S3Client({ ...base, forcePathStyle: true });
afterAll(() => {
  cloudtrail.destroy();
  cognito.destroy();
  s3.destroy();
});

const prefix = `frc-${randomBytes(4).toString("hex")}`;
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
const HOUR = 3_600_000;
const store = tempStore();
const signer = newSigner();
let live: CollectSummary;
let replay: CollectSummary;
let findings: Findings;
let trailArn = "";
let poolId = "";
let stopped = 0;
let started = 0;
let updated = 0;
let now = new Date();

function lookupEvent(name: string, at: number, params: Record<string, unknown>) {
  return {
    EventId: `${name}-${at}`,
    EventName: name,
    EventTime: at / 1000,
    Username: "deployer",
    CloudTrailEvent: JSON.stringify({
      eventName: name,
      eventTime: iso(at),
      userIdentity: { arn: `arn:aws:iam::${ACCOUNT}:user/deployer` },
      requestParameters: params,
    }),
  };
}

function spans(intervals: StatusInterval[], status: string): string[][] {
  const out: string[][] = [];
  for (const i of intervals.filter((x) => x.status === status)) {
    const last = out.at(-1);
    if (last && last[1] === i.start) last[1] = i.end;
    else out.push([i.start, i.end]);
  }
  return out;
}

/** A one-account, one-region scenario whose only answers are LookupEvents (and the caller identity). */
function activityScenario(events: Record<string, unknown[]>, window: { start: Date; end: Date }): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "auditpack-first-run-collect-")), "activity");
  mkdirSync(path.join(dir, ACCOUNT, region), { recursive: true });
  mkdirSync(path.join(dir, ACCOUNT, "global"), { recursive: true });
  const write = (file: string, value: unknown) =>
    writeFileSync(path.join(dir, file), `${JSON.stringify(value, null, 1)}\n`);
  write("scenario.json", {
    description: "LookupEvents that moto does not serve, for the first run against moto",
    clock: iso(now.getTime()),
    accounts: [ACCOUNT],
    regions: [region],
    window: { start: iso(window.start.getTime()), end: iso(window.end.getTime()) },
  });
  write(path.join(ACCOUNT, "global", "sts.json"), {
    GetCallerIdentity: [
      {
        response: {
          UserId: "AIDATESTING",
          Account: ACCOUNT,
          Arn: `arn:aws:iam::${ACCOUNT}:user/auditpack`,
        },
      },
    ],
  });
  write(path.join(ACCOUNT, region, "cloudtrail.json"), {
    LookupEvents: [
      ...Object.entries(events).map(([name, list]) => ({
        params: { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] },
        response: { Events: list },
      })),
      { response: { Events: [] } },
    ],
  });
  return dir;
}

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: `${prefix}-logs` }));
  trailArn = (
    await cloudtrail.send(new CreateTrailCommand({ Name: `${prefix}-audit`, S3BucketName: `${prefix}-logs` }))
  ).TrailARN!;
  await cloudtrail.send(new StartLoggingCommand({ Name: `${prefix}-audit` }));
  const policy = {
    MinimumLength: 8,
    RequireUppercase: true,
    RequireLowercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
  };
  poolId = (
    await cognito.send(
      new CreateUserPoolCommand({ PoolName: `${prefix}-pool`, Policies: { PasswordPolicy: policy } }),
    )
  ).UserPool!.Id!;

  // Collected a little after everything above: the snapshot is the newest state.
  await new Promise((r) => setTimeout(r, 1100));
  now = new Date(Math.ceil(Date.now() / 1000) * 1000);
  const config = parseConfig(
    {
      aws: { endpoint, maxAttempts: 1 },
      scope: { accounts: [{ id: ACCOUNT }], regions: [region] },
    },
    "(test)",
  );
  live = await collect({
    store,
    signer,
    config,
    credentials,
    collectors: ["cloudtrail_trails", "cognito_user_pools"],
    since: new Date(now.getTime() - 12 * 24 * HOUR),
    now: () => now,
  });
  // moto's own StartLoggingTime is when the trail's logging began: the stop is 26 hours before it.
  const status = await cloudtrail.send(new GetTrailStatusCommand({ Name: trailArn }));
  started = Math.floor(status.StartLoggingTime!.getTime() / 1000) * 1000;
  stopped = started - 26 * HOUR;
  updated = now.getTime() - 5 * 24 * HOUR;
  const window = { start: new Date(now.getTime() - 12 * 24 * HOUR), end: now };
  const scenario = activityScenario(
    {
      StopLogging: [lookupEvent("StopLogging", stopped, { name: trailArn })],
      StartLogging: [lookupEvent("StartLogging", started, { name: trailArn })],
      UpdateUserPool: [
        lookupEvent("UpdateUserPool", updated, {
          userPoolId: poolId,
          policies: {
            passwordPolicy: Object.fromEntries(
              Object.entries(policy).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]),
            ),
          },
        }),
      ],
    },
    window,
  );
  replay = await collect({ store, signer, config, fixtures: scenario, collectors: ["cloudtrail_activity"] });
  findings = await evaluate({
    store,
    catalog: loadCatalog("pci-dss-4.0.1"),
    requirements: ["8.3.6", "10.2.1"],
    period: {
      start: new Date(now.getTime() - 10 * 24 * HOUR),
      end: new Date(now.getTime() + HOUR),
      label: "last 10 days",
      pointInTime: false,
    },
    now: new Date(now.getTime() + HOUR),
    scope: { accounts: [ACCOUNT], regions: [region] },
    trustedKeys: [{ pem: await signer.publicKeyPem(), source: "the test signer" }],
  });
}, 120_000);

const findingOf = (requirement: string, check: string, resource: (r: string) => boolean) =>
  findings.requirements
    .find((r) => r.id === requirement)!
    .checks.find((c) => c.id === check)!
    .findings.find((f) => resource(f.resource))!;

describe("a first run through collect(): moto for snapshots, replay for LookupEvents", () => {
  it("writes both runs through the ledger, and the evaluation reads only vouched-for records", () => {
    expect(live.status, JSON.stringify(live.results)).toBe("ok");
    expect(live.source).toBe("aws");
    expect(replay.status, JSON.stringify(replay.results)).toBe("ok");
    expect(replay.source).toBe("fixture");
    expect(live.manifests.length).toBeGreaterThan(0);
    expect(replay.manifests.length).toBeGreaterThan(0);
    expect(findings.ledger?.verified).toBe(true);
    expect(findings.ledger?.ignored).toEqual([]);
  });

  it("FAILs the moto trail for exactly the 26 hours before moto's StartLoggingTime, naming the stop", () => {
    const f = findingOf("10.2.1", "cloudtrail_logging_continuous", (r) => r === trailArn);
    expect(spans(f.intervals, "FAIL")).toEqual([[iso(stopped), iso(started)]]);
    expect(f.intervals.find((i) => i.status === "FAIL")!.reason).toContain(
      `StopLogging at ${iso(stopped)} by arn:aws:iam::${ACCOUNT}:user/deployer`,
    );
    expect(f.intervals[0]!.status).toBe("PASS");
    expect(f.intervals[0]!.basis?.kind).toBe("inferred-from-activity");
    expect(f.intervals.at(-1)!.basis?.kind).toBe("observed");
  });

  it("knows the minimum length from the UpdateUserPool on, and not before it (no Config history in moto)", () => {
    const f = findingOf("8.3.6", "cognito_user_pool_password_min_length", (r) => r.endsWith(poolId));
    expect(spans(f.intervals, "NOT_COVERED")).toEqual([[findings.period.start, iso(updated)]]);
    expect(spans(f.intervals, "FAIL")[0]![0]).toBe(iso(updated));
    expect(f.status).toBe("FAIL");
  });

  it("the report's coverage says what moto's snapshot observed, what CloudTrail reconstructed and what nothing covers", () => {
    const model = buildReportModel({
      findings,
      catalog: loadCatalog("pci-dss-4.0.1"),
      template: loadReportTemplate("pci-dss-4.0.1"),
    });
    const row = model.coverage.rows.find((r) => r.account === ACCOUNT && r.region === region)!;
    expect(row.sources?.snapshots.first).toBe(iso(now.getTime()));
    expect(row.sources?.activity).toEqual([{ start: findings.period.start, end: iso(now.getTime()) }]);
    expect(row.seconds.observed).toBeGreaterThan(0);
    expect(row.seconds["inferred-from-activity"]).toBeGreaterThan(0);
    expect(row.seconds["config-timeline"]).toBe(0);
    expect(row.gaps.map((g) => g.start)).toContain(findings.period.start);
    expect(row.gaps.find((g) => g.end === iso(updated))?.checks.map((c) => c.checkId)).toContain(
      "cognito_user_pool_password_min_length",
    );
    expect(row.text).toContain(`auditpack's first collection here was`);
    expect(row.text).toContain("No AWS Config history");
  });
});
