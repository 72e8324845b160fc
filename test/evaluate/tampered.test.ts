import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { VerificationError } from "../../src/errors.js";
import {
  decodeRecord,
  EVIDENCE_SCHEMA,
  type EvidenceRecord,
  encodeRecord,
} from "../../src/evidence/record.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";
import { demoStore } from "./demo-store.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

let dir: string;
let key: string;
let config: string;

beforeAll(async () => {
  const demo = await demoStore();
  dir = demo.dir;
  // The demo signer's public key is trusted, so evaluate reads the records its manifests list.
  writeFileSync(path.join(dir, "signer.pub.pem"), await demo.signer.publicKeyPem());
  config = path.join(dir, "auditpack.yaml");
  writeFileSync(config, "trust:\n  - ./signer.pub.pem\n");
  // A Cognito snapshot inside the demo period: evaluate reads it for requirement 8.
  const target = files(path.join(dir, "evidence"))
    .filter((f) => f.includes("/cognito_user_pools/2026/08/"))
    .sort()[0]!;
  const bytes = readFileSync(target);
  const at = bytes.indexOf('"payload"');
  bytes[at + 20] = bytes[at + 20]! ^ 0x01; // one flipped bit, inside the payload
  writeFileSync(target, bytes);
  key = path.relative(dir, target).split(path.sep).join("/");
}, 300_000);

describe("a tampered record met during evaluate", () => {
  it("exits 1 naming the record's key, with a hint and no stack trace", async () => {
    const result = await runCliInProcess([
      "evaluate",
      "--config",
      config,
      "--store",
      dir,
      "--framework",
      "pci-dss-4.0.1",
      "--requirements",
      "8",
      "--period",
      "2026-Q3",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(key);
    expect(result.stderr).toContain("was altered");
    expect(result.stderr).toContain("auditpack verify");
    expect(result.stderr).not.toMatch(/\n\s+at [^\n]+:\d+:\d+/);
    expect(result.stderr).not.toContain("bug in auditpack");
  });
});

describe("decodeRecord", () => {
  const record: EvidenceRecord = {
    schema: EVIDENCE_SCHEMA,
    account: "123456789012",
    region: "eu-west-1",
    collector: "x",
    collectedAt: "2026-07-01T00:00:00.000Z",
    source: "fixture",
    calls: [],
    payload: { a: 1 },
  } as unknown as EvidenceRecord;

  it("decodes an intact record", () => {
    const { bytes, sha256, key: k } = encodeRecord(record);
    expect(decodeRecord(bytes, sha256, k).payload).toEqual({ a: 1 });
  });

  it("names the key when the bytes, the JSON or the schema are wrong", () => {
    const { bytes, sha256, key: k } = encodeRecord(record);
    const flipped = Buffer.from(bytes);
    flipped[5] = flipped[5]! ^ 0x01;
    for (const bad of [
      () => decodeRecord(flipped, sha256, k),
      () => decodeRecord(Buffer.from("{not json"), undefined, k),
      () => decodeRecord(Buffer.from('{"schema":"other"}'), undefined, k),
    ]) {
      const error = (() => {
        try {
          bad();
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(VerificationError);
      expect((error as VerificationError).exitCode).toBe(1);
      expect((error as Error).message).toContain(k);
    }
  });
});
