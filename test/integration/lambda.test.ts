import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectorIds } from "../../src/collectors/registry.js";
import { HISTORY_COLLECTORS } from "../../src/evaluate/read.js";
import { parseManifestKey, type RunManifest } from "../../src/evidence/ledger-format.js";
import { verifyLedger } from "../../src/evidence/verify-ledger.js";
import { type CollectResult, collectHandler, planHandler, sealHandler } from "../../src/lambda.js";
import { generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { S3Store } from "../../src/store/s3.js";
import { runAuditpack } from "../helpers/cli.js";
import { credentials, endpoint, motoS3Config, motoS3StoreOptions, region } from "./moto.js";

const s3 = new S3Client(motoS3Config());

/** The demo scenario's accounts and regions: 4 pairs, invoked 5 times each. */
const PAIRS = [
  { account: "111122223333", region: "eu-west-1" },
  { account: "111122223333", region: "us-east-1" },
  { account: "444455556666", region: "eu-west-1" },
  { account: "444455556666", region: "us-east-1" },
];
/** Snapshot collectors only: cloudtrail_activity would add up to a minute per busy account-region (2 LookupEvents/s). */
const COLLECTORS = collectorIds.filter((id) => !HISTORY_COLLECTORS.has(id));

const saved = { ...process.env };
let bucket: string;
let workBucket: string;
let env: NodeJS.ProcessEnv;
let configFile: string;

beforeAll(async () => {
  bucket = `ap-lambda-${randomBytes(5).toString("hex")}`;
  workBucket = `ap-work-${randomBytes(5).toString("hex")}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: workBucket }));
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-lambda-"));
  const { keyFile } = await generateEd25519KeyFiles(path.join(dir, "signing-key.pem"));
  const config = {
    scope: {
      accounts: PAIRS.slice(0, 1).map((p) => ({ id: p.account })),
      regions: ["eu-west-1", "us-east-1"],
    },
    store: {
      type: "s3",
      bucket,
      prefix: "auditpack",
      region,
      endpoint,
      forcePathStyle: true,
      objectLock: { mode: "COMPLIANCE", days: 1 },
    },
    signing: { type: "ed25519", keyFile },
    aws: { maxAttempts: 2 },
  };
  configFile = path.join(dir, "auditpack.config.json");
  writeFileSync(configFile, JSON.stringify(config));
  // Inline JSON, as the central stack passes it; the handlers read only this environment.
  env = {
    AUDITPACK_CONFIG: JSON.stringify(config),
    AUDITPACK_FIXTURES: "demo",
    AUDITPACK_WORK_BUCKET: workBucket,
  };
  // The S3 store takes credentials from the SDK's default chain, as in Lambda.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: region,
  });
});

afterAll(() => {
  for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

function store(): S3Store {
  return new S3Store(motoS3StoreOptions(bucket));
}

describe("Lambda handlers against moto S3 with Object Lock", () => {
  it("20 concurrent collect invocations, then a seal: every record and manifest is there and the ledger verifies", async () => {
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    expect(lock.ObjectLockConfiguration?.ObjectLockEnabled).toBe("Enabled");

    const results: CollectResult[] = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        collectHandler({ ...PAIRS[i % PAIRS.length]!, collectors: COLLECTORS }, env),
      ),
    );
    for (const [i, r] of results.entries()) {
      expect(r).toMatchObject({
        status: "ok",
        source: "fixture",
        accounts: [PAIRS[i % 4]!.account],
        regions: [PAIRS[i % 4]!.region],
        errors: [],
      });
      expect(r.totals.records).toBeGreaterThan(0);
      expect(r.manifests).toHaveLength(1);
    }
    expect(new Set(results.map((r) => r.runId)).size).toBe(20);

    // Every manifest each invocation reported is stored, and every record each lists.
    const evidence = store();
    const listed = new Set<string>();
    for (const r of results) {
      const manifest = JSON.parse((await evidence.get(r.manifests[0]!.key)).toString("utf8")) as RunManifest;
      expect(manifest.records).toHaveLength(r.totals.records);
      for (const rec of manifest.records) listed.add(rec.key);
    }
    const stored: string[] = [];
    for await (const info of evidence.list("evidence/")) {
      stored.push(info.key);
      expect(info.lock?.mode ?? "COMPLIANCE").toBe("COMPLIANCE");
    }
    expect(new Set(stored)).toEqual(listed);
    let manifests = 0;
    for await (const info of evidence.list("ledger/manifests/")) if (parseManifestKey(info.key)) manifests++;
    expect(manifests).toBe(20);

    const sealed = await sealHandler({}, env);
    expect(sealed.sealed).toMatchObject({ seq: 1, manifests: 20 });
    expect((await sealHandler({}, env)).sealed).toBeNull();

    const summary = await verifyLedger(evidence);
    expect(summary).toMatchObject({ ok: true, errors: 0, warnings: 0, seals: 1, manifests: 20 });
    // Five invocations per pair wrote identical records (same fixtures, same pinned clock): each
    // manifest lists its own copy of the reference, and verify re-hashed them all.
    expect(summary.records).toBe(results.reduce((n, r) => n + r.totals.records, 0));

    // And the CLI's own `auditpack verify` agrees, reading the same bucket.
    const cli = runAuditpack(["-c", configFile, "verify"], {
      env: { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: region },
    });
    expect(cli.stderr).not.toMatch(/error/i);
    expect(cli.code).toBe(0);
  }, 180_000);

  it("throws a named error Step Functions can catch when the config is unusable", async () => {
    await expect(
      collectHandler({}, { AUDITPACK_CONFIG: "/nonexistent/auditpack.yaml" }),
    ).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("AUDITPACK_CONFIG"),
    });
    await expect(
      collectHandler({}, { AUDITPACK_CONFIG: JSON.stringify({ store: { type: "fs", path: "/tmp/x" } }) }),
    ).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("store.type must be s3"),
    });
    await expect(
      collectHandler({ account: "111122223333", accounts: ["444455556666"] }, env),
    ).rejects.toMatchObject({ name: "UsageError" });
  });

  it("plans the Distributed Map's items: organisation accounts x regions, in the work bucket", async () => {
    const orgs = new OrganizationsClient({ endpoint, region, credentials, maxAttempts: 1 });
    await orgs.send(new CreateOrganizationCommand({ FeatureSet: "ALL" })).catch((e: Error) => {
      if (e.name !== "AlreadyInOrganizationException") throw e;
    });
    for (const n of [1, 2, 3])
      await orgs.send(new CreateAccountCommand({ AccountName: `member-${n}`, Email: `m${n}@example.com` }));
    const orgConfig = {
      scope: { organization: true, regions: ["eu-west-1", "us-east-1", "eu-central-1"] },
      store: { type: "s3", bucket, prefix: "auditpack", region, endpoint, forcePathStyle: true },
      signing: JSON.parse(env.AUDITPACK_CONFIG!).signing,
      aws: { endpoint, maxAttempts: 1 },
    };
    const planned = await planHandler(
      { collectors: ["cloudtrail_trails"] },
      { AUDITPACK_CONFIG: JSON.stringify(orgConfig), AUDITPACK_WORK_BUCKET: workBucket },
    );
    expect(planned.accounts).toBeGreaterThanOrEqual(4);
    expect(planned.items).toBe(planned.accounts * 3);
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: workBucket, Key: planned.key }))
    ).Body!.transformToString();
    const items = JSON.parse(body) as { account: string; region: string; collectors: string[] }[];
    expect(items).toHaveLength(planned.items);
    expect(items[0]).toMatchObject({ region: "eu-west-1", collectors: ["cloudtrail_trails"] });
    expect(new Set(items.map((i) => `${i.account}/${i.region}`)).size).toBe(items.length);
    for (const i of items) expect(i.account).toMatch(/^\d{12}$/);
    orgs.destroy();
  });
});
