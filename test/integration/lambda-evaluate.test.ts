import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ledger } from "../../src/evidence/ledger.js";
import { evaluateAccountHandler, evaluatePlanHandler, mergeHandler } from "../../src/lambda.js";
import { generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { openSigner } from "../../src/signing/open.js";
import { S3Store } from "../../src/store/s3.js";
import { record } from "../evaluate/helpers.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";
import { endpoint, motoS3Config, motoS3StoreOptions, region } from "./moto.js";

const s3 = new S3Client(motoS3Config());
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => `5000000000${String(i).padStart(2, "0")}`);
const MANAGEMENT = ACCOUNTS[0]!;
const PERIOD = "2026-08-01..2026-08-01";

/** A DescribeTrails entry (CloudTrail API reference, Trail type): the organisation trail of the management account. */
const orgTrail = {
  Name: "org-audit",
  S3BucketName: "audit-logs",
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: true,
  HomeRegion: "us-east-1",
  TrailARN: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-audit`,
  LogFileValidationEnabled: true,
  CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:/aws/cloudtrail/org-audit:*`,
  HasCustomEventSelectors: false,
  HasInsightSelectors: false,
  IsOrganizationTrail: true,
};

const saved = { ...process.env };
let env: NodeJS.ProcessEnv;
let bucket: string;

beforeAll(async () => {
  bucket = `ap-evaluate-${randomBytes(5).toString("hex")}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-lambda-evaluate-"));
  const { keyFile } = await generateEd25519KeyFiles(path.join(dir, "signing-key.pem"));
  const config = {
    scope: { regions: ["us-east-1"] },
    store: { type: "s3", bucket, prefix: "auditpack", region, endpoint, forcePathStyle: true },
    signing: { type: "ed25519", keyFile },
    aws: { maxAttempts: 2 },
  };
  env = { AUDITPACK_CONFIG: JSON.stringify(config) };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: region,
  });
  // Two days of trail snapshots per account, through the ledger, signed with the configured key.
  const signer = await openSigner({ type: "ed25519", keyFile }, dir, { createIfMissing: false });
  const run = new Ledger(new S3Store(motoS3StoreOptions(bucket)), signer).beginRun({ scope: { test: true } });
  for (const account of ACCOUNTS)
    for (const at of ["2026-07-31T06:00:00.000Z", "2026-08-01T06:00:00.000Z"])
      await run.writeRecord(
        record(
          "cloudtrail_trails",
          at,
          { trails: [{ trail: orgTrail, status: { IsLogging: true, LatestDeliveryTime: at } }] },
          { account, region: "us-east-1" },
        ),
      );
  await run.finish();
}, 120_000);

afterAll(() => {
  for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe("the evaluate Map's handlers against moto S3", () => {
  it("plans 20 accounts, evaluates them concurrently, merges a package that verify-report accepts", async () => {
    const plan = await evaluatePlanHandler(
      { framework: "pci-dss-4.0.1", period: PERIOD, now: "2026-08-03T00:00:00Z" },
      env,
    );
    expect(plan.items.map((i) => i.account)).toEqual(ACCOUNTS);
    // Every member sees the management account's organisation trail: the cross-account index says so.
    expect(plan.items[5]!.related).toEqual([MANAGEMENT]);
    const items = plan.items.map((i) => ({ evaluation: plan.evaluation, ...i }));
    const results = await Promise.all(items.map((item) => evaluateAccountHandler(item, env)));
    expect(new Set(results.map((r) => r.key)).size).toBe(20);
    for (const r of results)
      expect(r.key).toContain(`evaluations/${plan.evaluationId}/partials/${r.account}_`);
    // A retried item (Step Functions retries on Lambda errors) finds its own partial.
    expect(await evaluateAccountHandler(items[3]!, env)).toEqual(results[3]);

    const merged = await mergeHandler(
      { evaluationId: plan.evaluationId, framework: "pci-dss-4.0.1", period: PERIOD },
      env,
    );
    expect(merged.prefix).toBe(`reports/pci-dss-4.0.1_2026-08-01_to_2026-08-01/${plan.evaluationId}/`);
    const store = new S3Store(motoS3StoreOptions(bucket));
    const local = mkdtempSync(path.join(tmpdir(), "auditpack-merged-"));
    let files = 0;
    for await (const info of store.list(merged.prefix)) {
      const file = path.join(local, info.key.slice(merged.prefix.length));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, await store.get(info.key));
      files++;
    }
    expect(files).toBe(merged.files);
    const findings = JSON.parse(readFileSync(path.join(local, "findings.json"), "utf8"));
    expect(findings.scope.accounts).toEqual(ACCOUNTS);
    const memberTrail = findings.requirements
      .flatMap((r: { checks: unknown[] }) => r.checks)
      .find((c: { id: string }) => c.id === "cloudtrail_trail_log_file_validation_enabled")
      .findings.find((f: { account: string }) => f.account === ACCOUNTS[7]);
    expect(memberTrail.status).toBe("PASS");
    const verified = await runCliInProcess(["verify-report", local]);
    expect(verified.code, verified.stderr).toBe(0);
  }, 300_000);

  it("refuses a bad event, and a merge of an evaluation that has no partials, naming what is wrong", async () => {
    await expect(evaluatePlanHandler({ framework: "", period: PERIOD }, env)).rejects.toThrow(
      /event.framework must be a non-empty string/,
    );
    await expect(
      evaluatePlanHandler(
        { framework: "pci-dss-4.0.1", period: "someday", now: "2026-08-03T00:00:00Z" },
        env,
      ),
    ).rejects.toThrow(/event.period/);
    await expect(
      mergeHandler({ evaluationId: "0123456789abcdef", framework: "pci-dss-4.0.1", period: PERIOD }, env),
    ).rejects.toThrow(/holds no findings partial/);
  });
});
