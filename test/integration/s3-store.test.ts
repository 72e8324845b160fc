import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { ObjectExistsError, StoreError } from "../../src/errors.js";
import { canonicalBytes, sha256Hex } from "../../src/evidence/canonical.js";
import { EVIDENCE_SCHEMA, evidenceKey } from "../../src/evidence/record.js";
import { S3Store, type S3StoreOptions } from "../../src/store/s3.js";
import { endpoint, motoClientConfig, motoS3Config, motoS3StoreOptions, region } from "./moto.js";

const AWS_CLI = "/usr/bin/aws";

const s3 = new S3Client(motoS3Config());

function uniqueBucket(label: string): string {
  return `ap-${label}-${randomBytes(5).toString("hex")}`;
}

async function createBucket(label: string, objectLock: boolean): Promise<string> {
  const bucket = uniqueBucket(label);
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: objectLock }));
  return bucket;
}

function openStore(bucket: string, options: Partial<S3StoreOptions> = {}): S3Store {
  return new S3Store({ ...motoS3StoreOptions(bucket), ...options });
}

function sampleRecord(n = 0) {
  const record = {
    schema: EVIDENCE_SCHEMA,
    collector: "cloudtrail-trails",
    source: "aws" as const,
    account: "123456789012",
    region: "eu-west-1",
    collectedAt: new Date(Date.UTC(2026, 8, 30, 12, 0, n)).toISOString(),
    calls: [{ service: "cloudtrail", operation: "DescribeTrails", params: {} }],
    payload: { trailList: [{ Name: `trail-${n}`, IsMultiRegionTrail: true }] },
  };
  const bytes = canonicalBytes(record);
  const sha256 = sha256Hex(bytes);
  return { key: evidenceKey(record, sha256), bytes, sha256 };
}

describe("S3Store against moto_server", () => {
  it("writes a record with Object Lock retention and the record hash as its S3 checksum", async () => {
    const bucket = await createBucket("lock", true);
    const store = openStore(bucket, { objectLock: { mode: "GOVERNANCE", days: 7 } });
    const record = sampleRecord();
    const before = Date.now();
    const result = await store.put(record.key, record.bytes, {
      sha256: record.sha256,
      contentType: "application/json",
    });
    expect(result.lock?.mode).toBe("GOVERNANCE");

    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `auditpack/${record.key}`, ChecksumMode: "ENABLED" }),
    );
    expect(head.ObjectLockMode).toBe("GOVERNANCE");
    const retainUntil = head.ObjectLockRetainUntilDate!.getTime();
    expect(retainUntil).toBeGreaterThanOrEqual(before + 7 * 86_400_000 - 1000);
    expect(retainUntil).toBeLessThan(before + 7 * 86_400_000 + 60_000);
    expect(Buffer.from(head.ChecksumSHA256!, "base64").toString("hex")).toBe(record.sha256);
    expect(head.ContentLength).toBe(record.bytes.length);

    const info = await store.head(record.key);
    expect(info).toMatchObject({ key: record.key, size: record.bytes.length, sha256: record.sha256 });
    expect(info?.lock).toEqual({
      mode: "GOVERNANCE",
      retainUntil: head.ObjectLockRetainUntilDate!.toISOString(),
    });
  });

  const cliMissing = !existsSync(AWS_CLI);
  it.skipIf(cliMissing)(
    `the AWS CLI reads the same checksum and lock${cliMissing ? ` (SKIPPED: ${AWS_CLI} is not installed; CI installs it)` : ""}`,
    async () => {
      const bucket = await createBucket("cli", true);
      const store = openStore(bucket, { objectLock: { mode: "COMPLIANCE", days: 1 } });
      const record = sampleRecord(1);
      await store.put(record.key, record.bytes, { sha256: record.sha256 });
      const { stdout } = await promisify(execFile)(
        AWS_CLI,
        [
          "--endpoint-url",
          endpoint,
          "--output",
          "json",
          "s3api",
          "head-object",
          "--bucket",
          bucket,
          "--key",
          `auditpack/${record.key}`,
          "--checksum-mode",
          "ENABLED",
        ],
        {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
            AWS_DEFAULT_REGION: region,
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          },
          timeout: 30_000,
        },
      );
      const head = JSON.parse(stdout) as Record<string, unknown>;
      expect(head.ChecksumSHA256).toBe(Buffer.from(record.sha256, "hex").toString("base64"));
      expect(head.ObjectLockMode).toBe("COMPLIANCE");
      expect(Date.parse(String(head.ObjectLockRetainUntilDate))).toBeGreaterThan(Date.now());
    },
  );

  it("refuses to overwrite a key (HTTP 412 underneath) and keeps the first version", async () => {
    const bucket = await createBucket("overwrite", true);
    const store = openStore(bucket, { objectLock: { mode: "GOVERNANCE", days: 1 } });
    const record = sampleRecord();
    await store.put(record.key, record.bytes);

    const error = await store.put(record.key, Buffer.from("tampered")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectExistsError);
    expect((error as ObjectExistsError).cause).toMatchObject({ $metadata: { httpStatusCode: 412 } });
    expect(await store.get(record.key)).toEqual(record.bytes);
  });

  it("a locked object version cannot be deleted", async () => {
    const bucket = await createBucket("delete", true);
    const store = openStore(bucket, { objectLock: { mode: "GOVERNANCE", days: 1 } });
    const record = sampleRecord();
    await store.put(record.key, record.bytes);
    const key = `auditpack/${record.key}`;
    const { VersionId } = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(VersionId).toBeTruthy();

    const error = await s3
      .send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId }))
      .catch((e) => e);
    expect(error).toMatchObject({ name: "AccessDenied" });
    expect(await store.get(record.key)).toEqual(record.bytes);
  });

  it("round-trips bytes through get and getStream", async () => {
    const bucket = await createBucket("roundtrip", false);
    const store = openStore(bucket);
    const record = sampleRecord();
    await store.put(record.key, record.bytes);

    expect(await store.get(record.key)).toEqual(record.bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream(record.key)) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks)).toEqual(record.bytes);
    expect(await store.head("evidence/missing.json")).toBeUndefined();
    await expect(store.get("evidence/missing.json")).rejects.toThrow(/no object at evidence\/missing\.json/);
  });

  it("lists page by page in ascending key order, stripping the prefix and staying inside it", async () => {
    const bucket = await createBucket("list", false);
    const store = openStore(bucket, { prefix: "tenant-a/", listPageSize: 7 });
    let listCalls = 0;
    (store as unknown as { client: S3Client }).client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "ListObjectsV2Command") listCalls++;
        return next(args);
      },
      { step: "initialize" },
    );
    const keys = Array.from({ length: 30 }, (_, i) => `evidence/${String(i).padStart(3, "0")}.json`);
    const shuffled = [...keys].sort(() => Math.random() - 0.5);
    for (const key of shuffled) await store.put(key, Buffer.from(key));
    await store.put("ledger/seal.json", Buffer.from("{}"));
    await openStore(bucket, { prefix: "tenant-b" }).put("evidence/000.json", Buffer.from("other tenant"));

    const listed = [];
    for await (const info of store.list("evidence/")) listed.push(info);
    expect(listed.map((i) => i.key)).toEqual(keys);
    expect(listed[0]).toMatchObject({ size: keys[0]!.length });
    expect(listCalls).toBe(Math.ceil(30 / 7));

    const all = [];
    for await (const info of store.list("")) all.push(info.key);
    expect(all).toHaveLength(31);
  });

  it("a missing bucket gives a StoreError naming the bucket, for writes, reads and lists", async () => {
    const bucket = uniqueBucket("absent");
    const store = openStore(bucket);
    const record = sampleRecord();
    for (const attempt of [
      () => store.put(record.key, record.bytes),
      () => store.get(record.key),
      () => store.head(record.key),
      async () => {
        for await (const _ of store.list("")) break;
      },
    ]) {
      const error = (await attempt().catch((e: unknown) => e)) as StoreError;
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toContain(bucket);
      expect(error.message).toContain("NoSuchBucket");
      expect(error.hint).toMatch(/store\.bucket/);
    }
  });

  it("explains a lock setting on a bucket created without Object Lock", async () => {
    const bucket = await createBucket("nolock", false);
    const store = openStore(bucket, { objectLock: { mode: "GOVERNANCE", days: 1 } });
    const error = (await store.put("k.json", Buffer.from("{}")).catch((e: unknown) => e)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain("InvalidRequest");
    expect(error.hint).toMatch(/Object Lock/);
  });

  it("encrypts with SSE-KMS under a key created in moto", async () => {
    const kms = new KMSClient(motoClientConfig());
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "auditpack store test" }));
    const bucket = await createBucket("sse", false);
    const store = openStore(bucket, { kmsKeyId: KeyMetadata!.KeyId! });
    const record = sampleRecord();
    await store.put(record.key, record.bytes);

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `auditpack/${record.key}` }));
    expect(head.ServerSideEncryption).toBe("aws:kms");
    expect(head.SSEKMSKeyId).toContain(KeyMetadata!.KeyId!);
    expect(await store.get(record.key)).toEqual(record.bytes);
  });

  it("uses AWS_ENDPOINT_URL when no endpoint is configured", async () => {
    const bucket = await createBucket("envendpoint", false);
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = endpoint;
    try {
      const store = openStore(bucket, { endpoint: undefined });
      await store.put("via-env.json", Buffer.from("{}"));
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["auditpack/via-env.json"]);
  });
});
