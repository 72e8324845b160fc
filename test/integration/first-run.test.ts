import { randomBytes } from "node:crypto";
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load.js";
import { collector as activity } from "../../src/collectors/cloudtrail/cloudtrail_activity.js";
import { collector as trails } from "../../src/collectors/cloudtrail/cloudtrail_trails.js";
import { collector as pools } from "../../src/collectors/cognito/cognito_user_pools.js";
import type { AnyCollector } from "../../src/collectors/registry.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Findings, StatusInterval } from "../../src/evaluate/types.js";
import type { EvidenceRecord } from "../../src/evidence/record.js";
import { putAll, record, tempStore } from "../evaluate/helpers.js";
import { type EmittedRecord, runCollector } from "../helpers/run-collector.js";
import { endpoint, motoClientConfig, region } from "./moto.js";

/**
 * A first run (issue 10) against moto: the snapshot collectors read what moto serves (a user pool,
 * a logging trail); LookupEvents, which moto lacks, is replayed with 12 days of history that
 * matches it (the trail's StartLogging at moto's own StartLoggingTime, its StopLogging 26 hours
 * before, an UpdateUserPool that lowered the minimum length to what moto now holds).
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

const prefix = `fr-${randomBytes(4).toString("hex")}`;
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
const HOUR = 3_600_000;
let findings: Findings;
let trailArn = "";
let poolId = "";
let stopped = 0;
let started = 0;
let updated = 0;

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

function stored(c: AnyCollector, emitted: EmittedRecord[], at: string): EvidenceRecord[] {
  return emitted.map((e) =>
    record(c.id, at, e.payload, {
      account: ACCOUNT,
      region,
      calls: e.calls,
      ...(e.period ? { period: e.period } : {}),
    }),
  );
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
  const now = new Date(Math.ceil(Date.now() / 1000) * 1000);
  const collectedAt = now.toISOString();
  const trailRun = await runCollector(trails, { endpoint, region, account: ACCOUNT, now });
  const poolRun = await runCollector(pools, { endpoint, region, account: ACCOUNT, now });
  expect(trailRun.error).toBeUndefined();
  expect(poolRun.error).toBeUndefined();
  const ours = (
    trailRun.records[0]!.payload as {
      trails: { trail: { TrailARN: string }; status: { StartLoggingTime?: string } }[];
    }
  ).trails.find((t) => t.trail.TrailARN === trailArn)!;
  started = Date.parse(ours.status.StartLoggingTime!);
  stopped = started - 26 * HOUR;
  updated = now.getTime() - 5 * 24 * HOUR;

  const window = { start: new Date(now.getTime() - 12 * 24 * HOUR), end: now };
  const events = {
    StopLogging: [lookupEvent("StopLogging", stopped, { name: trailArn })],
    StartLogging: [lookupEvent("StartLogging", started, { name: trailArn })],
    UpdateUserPool: [
      lookupEvent("UpdateUserPool", updated, {
        userPoolId: poolId,
        policies: {
          passwordPolicy: {
            ...Object.fromEntries(
              Object.entries(policy).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]),
            ),
          },
        },
      }),
    ],
  };
  const fixture = {
    LookupEvents: [
      ...Object.entries(events).map(([name, list]) => ({
        params: { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] },
        response: { Events: list },
      })),
      { response: { Events: [] } },
    ],
  };
  const activityRun = await runCollector(activity, { fixture, region, account: ACCOUNT, now, window });
  expect(activityRun.error).toBeUndefined();

  const store = tempStore();
  await putAll(store, [
    ...stored(trails, trailRun.records, collectedAt),
    ...stored(pools, poolRun.records, collectedAt),
    ...stored(activity, activityRun.records, collectedAt),
  ]);
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
  });
}, 120_000);

describe("a first run against moto, with LookupEvents replayed", () => {
  it("FAILs the moto trail for exactly the 26 hours before moto's StartLoggingTime, naming the stop", () => {
    const f = findings.requirements
      .find((r) => r.id === "10.2.1")!
      .checks.find((c) => c.id === "cloudtrail_logging_continuous")!
      .findings.find((x) => x.resource === trailArn)!;
    expect(spans(f.intervals, "FAIL")).toEqual([[iso(stopped), iso(started)]]);
    expect(f.intervals.find((i) => i.status === "FAIL")!.reason).toContain(
      `StopLogging at ${iso(stopped)} by arn:aws:iam::${ACCOUNT}:user/deployer`,
    );
    expect(f.intervals[0]!.status).toBe("PASS");
    expect(f.intervals[0]!.basis?.kind).toBe("inferred-from-activity");
  });

  it("knows the minimum length from the UpdateUserPool on, and not before it (no Config history in moto)", () => {
    const f = findings.requirements
      .find((r) => r.id === "8.3.6")!
      .checks.find((c) => c.id === "cognito_user_pool_password_min_length")!
      .findings.find((x) => x.resource.endsWith(poolId) || x.resource === poolId)!;
    expect(spans(f.intervals, "NOT_COVERED").map((s) => s[1])).toEqual([iso(updated)]);
    expect(spans(f.intervals, "FAIL")[0]![0]).toBe(iso(updated));
    expect(f.status).toBe("FAIL");
  });
});
