import type { Signature } from "../signing/types.js";
import { keyTimestamp, stampToDate } from "./record.js";

/** Object layouts of the ledger (DESIGN.md section 4): run manifests, seals and published keys. */

export const MANIFEST_SCHEMA = "auditpack.manifest/v1";
export const SEAL_SCHEMA = "auditpack.seal/v1";
export const EVIDENCE_PREFIX = "evidence/";
export const MANIFESTS_PREFIX = "ledger/manifests/";
export const SEALS_PREFIX = "ledger/seals/";
export const KEYS_PREFIX = "ledger/keys/";

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
  signature: Signature;
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

export function publishedKeyKey(keyId: string): string {
  return `${KEYS_PREFIX}${keyId}.pem`;
}

/** Key stamps drop the colons of ISO time (2026-07-01T120000.000Z): one parser, in record.ts. */
export { stampToDate };
