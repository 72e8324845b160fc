import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Ledger } from "../../src/evidence/ledger.js";
import { EVIDENCE_SCHEMA, type EvidenceRecord } from "../../src/evidence/record.js";
import {
  type LedgerProblem,
  type VerifyLedgerOptions,
  verifyLedger,
} from "../../src/evidence/verify-ledger.js";
import { Ed25519Signer } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";

export function newSigner(): Ed25519Signer {
  return new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);
}

export function tempStore(): FsStore {
  return new FsStore(path.join(mkdtempSync(path.join(tmpdir(), "auditpack-ledger-")), "store"));
}

/** A clock that advances one second per reading, from a fixed start. */
export function steppingClock(start = "2026-07-01T00:00:00.000Z"): () => Date {
  let t = Date.parse(start);
  return () => {
    t += 1000;
    return new Date(t);
  };
}

export function record(
  n: number,
  collectedAt = "2026-07-01T12:00:00.000Z",
  account = "111122223333",
): EvidenceRecord {
  return {
    schema: EVIDENCE_SCHEMA,
    collector: "cloudtrail.trails",
    source: "fixture",
    scenario: "test",
    account,
    region: "eu-west-1",
    collectedAt,
    calls: [{ service: "cloudtrail", operation: "DescribeTrails", params: { n } }],
    payload: { n, trails: [{ name: `trail-${n}`, logging: true }] },
  };
}

export async function writeRun(ledger: Ledger, numbers: number[]): Promise<string[]> {
  const run = ledger.beginRun({ scope: { accounts: ["111122223333"], regions: ["eu-west-1"] } });
  const keys: string[] = [];
  for (const n of numbers) keys.push((await run.writeRecord(record(n))).key);
  await run.finish();
  return keys;
}

export async function verify(store: FsStore, options: VerifyLedgerOptions = {}) {
  const problems: LedgerProblem[] = [];
  const summary = await verifyLedger(store, { ...options, onProblem: (p) => problems.push(p) });
  return {
    summary,
    problems,
    errors: problems.filter((p) => p.severity === "error"),
    warnings: problems.filter((p) => p.severity === "warning"),
  };
}
