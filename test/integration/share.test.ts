import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { ObjectExistsError } from "../../src/errors.js";
import { type BuiltReport, buildReport } from "../../src/report/package.js";
import { sharePackage } from "../../src/report/share.js";
import { verifyReportPackage } from "../../src/report/verify-report.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { captureOutput } from "../helpers/cli-in-process.js";
import { fixtureCatalog, fixtureFindings } from "../report/fixture.js";
import { credentials, endpoint, motoS3Config, region } from "./moto.js";

const s3 = new S3Client(motoS3Config());

const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-share-test-"));
const bucket = `ap-share-${randomBytes(5).toString("hex")}`;
let pkg: BuiltReport;
let configFile: string;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const keys = await generateEd25519KeyFiles(path.join(work, "keys", "signing-key.pem"));
  pkg = await buildReport({
    findings: fixtureFindings(),
    catalog: fixtureCatalog(),
    out: path.join(work, "pci-dss-4.0.1_2026-Q3"),
    formats: ["json", "csv", "xlsx", "summary", "oscal", "ocsf"],
    sign: { signer: await Ed25519Signer.fromKeyFile(keys.keyFile) },
  });
  configFile = path.join(work, "auditpack.config.yaml");
  writeFileSync(
    configFile,
    [
      "store:",
      "  type: s3",
      `  bucket: ${bucket}`,
      "  prefix: auditpack/",
      `  region: ${region}`,
      `  endpoint: ${endpoint}`,
      "  forcePathStyle: true",
      "signing: { type: ed25519, keyFile: ./keys/signing-key.pem }",
      "aws: { maxAttempts: 1 }",
      "",
    ].join("\n"),
  );
}, 60_000);

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = 0;
});

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe("auditpack share", () => {
  it("uploads the zipped customer set under reports/ and prints a presigned URL that downloads it", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", credentials.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey);
    const { out: stdout } = captureOutput();
    expect(await runCli(["-c", configFile, "--json", "share", pkg.dir, "--expires", "7d"])).toBe(0);
    const result = JSON.parse(stdout.join("")) as { key: string; url: string; size: number };
    expect(result.key).toMatch(/^auditpack\/reports\/pci-dss-4\.0\.1_2026-Q3_\d{8}T\d{6}Z\.zip$/);
    expect(new URL(result.url).searchParams.get("X-Amz-Expires")).toBe("604800");

    const downloaded = await download(result.url);
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: result.key }));
    expect(downloaded.equals(Buffer.from(await stored.Body!.transformToByteArray()))).toBe(true);
    expect(downloaded.byteLength).toBe(result.size);
    const zipFile = path.join(work, "downloaded.zip");
    writeFileSync(zipFile, downloaded);
    const verification = await verifyReportPackage(zipFile);
    expect(verification.problems).toEqual([]);
    // summary.pdf, the two OSCAL files, the OCSF records, the public key and VERIFY.txt; re-signed.
    expect(verification.checkedFiles).toBe(6);
    expect(verification.signature).toMatchObject({ valid: true });
  });

  it("--audience all shares the package as built", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", credentials.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey);
    const { out: stdout } = captureOutput();
    // Another name: the upload key is the name and the second, and the test above used this second.
    const copy = path.join(work, "full-package");
    cpSync(pkg.dir, copy, { recursive: true });
    expect(await runCli(["-c", configFile, "--json", "share", copy, "--audience", "all"])).toBe(0);
    const result = JSON.parse(stdout.join("")) as { url: string };
    const zipFile = path.join(work, "downloaded-all.zip");
    writeFileSync(zipFile, await download(result.url));
    const verification = await verifyReportPackage(zipFile);
    expect(verification.problems).toEqual([]);
    expect(verification.checkedFiles).toBe(pkg.files.length);
  });

  it("never overwrites an earlier upload", async () => {
    const now = new Date("2026-10-02T10:00:00Z");
    const options = {
      dir: pkg.dir,
      store: { type: "s3" as const, bucket, prefix: "", region, endpoint, forcePathStyle: true },
      expiresInSeconds: 3600,
      now,
      credentials,
      maxAttempts: 1,
    };
    const first = await sharePackage(options);
    expect(first.key).toBe("reports/pci-dss-4.0.1_2026-Q3_20261002T100000Z.zip");
    expect((await download(first.url)).byteLength).toBe(first.size);
    await expect(sharePackage(options)).rejects.toThrow(ObjectExistsError);
  });

  it("refuses more than 7 days, a disk store, and a package that does not verify", async () => {
    const { err: stderr } = captureOutput();
    expect(await runCli(["-c", configFile, "share", pkg.dir, "--expires", "8d"])).toBe(2);
    expect(stderr.join("")).toContain("longer than S3 allows");
    expect(await runCli(["--store", path.join(work, "disk"), "share", pkg.dir])).toBe(2);
    expect(stderr.join("")).toContain("share needs an S3 store");
    writeFileSync(path.join(pkg.dir, "extra.txt"), "added\n");
    expect(await runCli(["-c", configFile, "share", pkg.dir])).toBe(1);
    expect(stderr.join("")).toContain("extra.txt did not verify");
  });
});
