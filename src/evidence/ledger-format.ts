import type { Signature } from "../signing/types.js";
import { keyTimestamp, stampToDate } from "./record.js";

/** Object layouts of the ledger (DESIGN.md section 4): run manifests, seals and published keys. */

export const MANIFEST_SCHEMA = "auditpack.manifest/v1";
export const SEAL_SCHEMA = "auditpack.seal/v1";
export const EVIDENCE_PREFIX = "evidence/";
export const MANIFESTS_PREFIX = "ledger/manifests/";
export const SEALS_PREFIX = "ledger/seals/";
export const KEYS_PREFIX = "ledger/keys/";
export const TRANSITIONS_PREFIX = "ledger/transitions/";
export const RUNS_PREFIX = "ledger/runs/";
export const KEY_TRANSITION_SCHEMA = "auditpack.key-transition/v1";
export const RUN_START_SCHEMA = "auditpack.run-start/v1";

/** A stored object named by key and pinned by the SHA-256 of its bytes. */
export interface ObjectRef {
  key: string;
  sha256: string;
}

export interface ManifestEntry extends ObjectRef {
  size: number;
}

/** Who collected: STS GetCallerIdentity of each credential set the run used. */
export interface CallerIdentity {
  account: string;
  arn: string;
  userId?: string;
}

export interface ToolInfo {
  name: string;
  version: string;
}

/** What a run set out to collect: accounts, regions, collectors, scenario... (any JSON). */
export type RunScope = Record<string, unknown>;

export interface RunManifest {
  schema: typeof MANIFEST_SCHEMA;
  runId: string;
  /** 1, 2, ...: a run writes one part every N records and one at the end. */
  part: number;
  startedAt: string;
  finishedAt: string;
  tool: ToolInfo;
  scope: RunScope;
  callerIdentities: CallerIdentity[];
  /**
   * The newest seal when this part was written. It anchors the end of the seal chain: deleting
   * that seal later is detected through every manifest written after it.
   */
  previousSeal: ObjectRef | null;
  records: ManifestEntry[];
  /** Set on the last part of a run that finished normally. */
  complete?: true;
  /** Set on the part a run flushed when it was stopped by a signal (SIGINT, SIGTERM). */
  interrupted?: { signal: string; at: string };
  /**
   * Set on a recovery manifest: it lists records an interrupted run wrote but never listed,
   * re-hashed after the crash and adopted because their envelope names that run.
   */
  recovery?: { runs: string[]; recoveredAt: string };
  signature: Signature;
}

/**
 * Written (signed, create-only) before a run stores its first record: the proof, after a crash,
 * that a record whose envelope carries this runId came from a run of this signer.
 */
export interface RunStart {
  schema: typeof RUN_START_SCHEMA;
  runId: string;
  startedAt: string;
  scope: RunScope;
  signature: Signature;
}

/**
 * Key rotation: the old key hands over to the new one from `at`. Signed by the old key
 * (`signature`) and countersigned by the new one (`acceptedBy`), both over the object without
 * either member, so trust can be followed both ways: from a pinned old key to its successor, and
 * from a configured new key back to the key it replaced (for objects dated before `at`).
 */
export interface KeyTransition {
  schema: typeof KEY_TRANSITION_SCHEMA;
  at: string;
  from: { keyId: string };
  to: { keyId: string; publicKeyPem: string };
  reason?: string;
  signature: Signature;
  acceptedBy: Signature;
}

export interface Seal {
  schema: typeof SEAL_SCHEMA;
  seq: number;
  sealedAt: string;
  previous: ObjectRef | null;
  /** Every manifest not in an earlier seal, in key order. */
  manifests: ObjectRef[];
  /** RFC 6962 Merkle root over the manifests' SHA-256s, in order. */
  merkleRoot: string;
  signature: Signature;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** ledger/manifests/<yyyy>/<mm>/<dd>/<startedAt stamp>_<runId>_<part>.json (sorts by start time). */
export function manifestKey(startedAt: string, runId: string, part: number): string {
  const iso = new Date(startedAt).toISOString();
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  return `${MANIFESTS_PREFIX}${yyyy}/${mm}/${dd}/${keyTimestamp(iso)}_${runId}_${pad(part, 6)}.json`;
}

const MANIFEST_KEY = /^ledger\/manifests\/\d{4}\/\d{2}\/\d{2}\/([0-9T.Z-]+)_([0-9a-f]+)_(\d{6})\.json$/;

export function parseManifestKey(key: string): { stamp: string; runId: string; part: number } | undefined {
  const m = MANIFEST_KEY.exec(key);
  return m ? { stamp: m[1]!, runId: m[2]!, part: Number(m[3]) } : undefined;
}

export function sealKey(seq: number): string {
  return `${SEALS_PREFIX}${pad(seq, 12)}.json`;
}

export function parseSealKey(key: string): number | undefined {
  const m = /^ledger\/seals\/(\d{12})\.json$/.exec(key);
  return m ? Number(m[1]) : undefined;
}

/** ledger/runs/<startedAt stamp>_<runId>.json */
export function runStartKey(startedAt: string, runId: string): string {
  return `${RUNS_PREFIX}${keyTimestamp(new Date(startedAt).toISOString())}_${runId}.json`;
}

export function parseRunStartKey(key: string): { stamp: string; runId: string } | undefined {
  const m = /^ledger\/runs\/([0-9T.Z-]+)_([0-9a-f]+)\.json$/.exec(key);
  return m ? { stamp: m[1]!, runId: m[2]! } : undefined;
}

/** ledger/transitions/<at stamp>_<new keyId>.json (sorts by time). */
export function transitionKey(at: string, toKeyId: string): string {
  return `${TRANSITIONS_PREFIX}${keyTimestamp(new Date(at).toISOString())}_${toKeyId}.json`;
}

export function publishedKeyKey(keyId: string): string {
  return `${KEYS_PREFIX}${keyId}.pem`;
}

/** Key stamps drop the colons of ISO time (2026-07-01T120000.000Z): one parser, in record.ts. */
export { stampToDate };
