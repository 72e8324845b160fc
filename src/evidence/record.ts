import { VerificationError } from "../errors.js";
import { SHA256_HEX, sha256Hex } from "./canonical.js";
import { canonicalBytesChunked } from "./canonical-chunked.js";

export const EVIDENCE_SCHEMA = "auditpack.evidence/v1";

/** One AWS API call that contributed to a record. Params never hold secrets. */
export interface EvidenceCall {
  service: string;
  operation: string;
  params?: Record<string, unknown>;
  requestId?: string;
}

/** Where the evidence came from: a live AWS account, a recorded fixture scenario, or a person. */
export type EvidenceSource = "aws" | "fixture" | "manual";

export interface EvidencePeriod {
  start: string;
  end: string;
}

/**
 * The evidence record envelope (DESIGN.md section 4). The stored bytes are exactly
 * `canonicalJson(record)`; its SHA-256 is the record's identity and lives in the key, not inside.
 */
export interface EvidenceRecord<P = unknown> {
  schema: typeof EVIDENCE_SCHEMA;
  collector: string;
  source: EvidenceSource;
  /** Fixture scenario name when source is "fixture". */
  scenario?: string;
  account: string;
  region: string;
  /** ISO 8601 UTC with milliseconds, e.g. 2026-09-30T12:00:00.000Z. */
  collectedAt: string;
  period?: EvidencePeriod;
  calls: EvidenceCall[];
  /** Set when the collector failed for this account and region: the payload then describes the error. */
  error?: { code: string; message: string; requestId?: string; operation?: string };
  /**
   * The collection run that wrote it (the manifest's runId). After a crash it is what ties a record
   * no manifest lists to a signed run start, so recovery can adopt it.
   */
  runId?: string;
  /** Field paths that were redacted before storing (values are never kept). */
  redactions?: string[];
  payload: P;
}

export interface EncodedRecord {
  key: string;
  bytes: Buffer;
  sha256: string;
}

/** Global (region-less) evidence, e.g. IAM, uses this region segment in keys. */
export const GLOBAL_REGION = "global";

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkSegment(name: string, value: string): void {
  if (!SEGMENT.test(value)) throw new TypeError(`evidence ${name} "${value}" is not a valid key segment`);
}

/** ISO timestamp made safe for keys on every filesystem (no colons). */
export function keyTimestamp(iso: string): string {
  return iso.replace(/:/g, "");
}

/**
 * The one stamp parser, keyTimestamp's inverse: "2026-07-01T020000.000Z" (also the older
 * "2026-07-01T02-00-00Z" and plain ISO) -> "2026-07-01T02:00:00.000Z"; undefined if not a time.
 */
export function stampToIso(stamp: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})[-:]?(\d{2})[-:]?(\d{2})(?:[.-]?(\d{1,3}))?Z$/.exec(stamp);
  if (!m) return undefined;
  const iso = `${m[1]}T${m[2]}:${m[3]}:${m[4]}${m[5] ? `.${m[5].padEnd(3, "0")}` : ""}Z`;
  return Number.isFinite(Date.parse(iso)) ? iso : undefined;
}

/** A key stamp as a Date (an invalid Date when it is not a stamp). */
export function stampToDate(stamp: string): Date {
  return new Date(stampToIso(stamp) ?? Number.NaN);
}

/** evidence/<account>/<region>/<collector>/<yyyy>/<mm>/<dd>/<collectedAt>_<sha256>.json */
export function evidenceKey(
  record: Pick<EvidenceRecord, "account" | "region" | "collector" | "collectedAt">,
  sha256: string,
): string {
  checkSegment("account", record.account);
  checkSegment("region", record.region);
  checkSegment("collector", record.collector);
  if (!SHA256_HEX.test(sha256)) throw new TypeError(`"${sha256}" is not a SHA-256 hex digest`);
  const at = new Date(record.collectedAt);
  if (Number.isNaN(at.getTime())) throw new TypeError(`collectedAt "${record.collectedAt}" is not a date`);
  const iso = at.toISOString();
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  return `evidence/${record.account}/${record.region}/${record.collector}/${yyyy}/${mm}/${dd}/${keyTimestamp(iso)}_${sha256}.json`;
}

const KEY_PATTERN =
  /^evidence\/([^/]+)\/([^/]+)\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([0-9T.Z-]+)_([0-9a-f]{64})\.json$/;

export interface ParsedEvidenceKey {
  account: string;
  region: string;
  collector: string;
  /** The collectedAt timestamp as written in the key (colons removed). */
  stamp: string;
  /** The same as ISO 8601, when the stamp is a valid time. */
  collectedAt?: string;
  sha256: string;
}

/** The one evidence-key parser: undefined for anything that is not an evidence record key. */
export function parseEvidenceKey(key: string): ParsedEvidenceKey | undefined {
  const m = KEY_PATTERN.exec(key);
  if (!m) return undefined;
  const collectedAt = stampToIso(m[7]!);
  return {
    account: m[1]!,
    region: m[2]!,
    collector: m[3]!,
    stamp: m[7]!,
    ...(collectedAt ? { collectedAt } : {}),
    sha256: m[8]!,
  };
}

/** Canonicalise and hash a record, and compute its key. */
export function encodeRecord(record: EvidenceRecord): EncodedRecord {
  if (record.schema !== EVIDENCE_SCHEMA) throw new TypeError(`record schema must be ${EVIDENCE_SCHEMA}`);
  // Records run to megabytes (a CloudTrail day): encode without a string per nesting level.
  const bytes = canonicalBytesChunked(record);
  const sha256 = sha256Hex(bytes);
  return { key: evidenceKey(record, sha256), bytes, sha256 };
}

/**
 * Stored bytes that are not the record expected (hash mismatch, not JSON, not a record): a
 * VerificationError (exit 1) naming the key, which readers that skip such records catch by class.
 */
export class RecordDecodeError extends VerificationError {}

/** What to do about a record that does not verify. */
const TAMPERED_HINT =
  "run `auditpack verify` on the store to list every altered record, and restore them from a copy (S3 versioning, a backup); evidence is never repaired in place";

/**
 * Parse stored bytes back into a record, checking the hash against the one expected. A record
 * that fails (altered bytes, not JSON, not a record) is a VerificationError naming its key.
 */
export function decodeRecord<P = unknown>(
  bytes: Uint8Array,
  expectedSha256?: string,
  key?: string,
): EvidenceRecord<P> {
  const which = key
    ? `evidence record ${key}`
    : `the evidence record with SHA-256 ${expectedSha256 ?? "(unknown)"}`;
  if (expectedSha256 !== undefined) {
    const actual = sha256Hex(bytes);
    if (actual !== expectedSha256) {
      throw new RecordDecodeError(
        `${which} was altered: its bytes hash to ${actual}, the key names ${expectedSha256}`,
        { hint: TAMPERED_HINT },
      );
    }
  }
  let record: EvidenceRecord<P>;
  try {
    record = JSON.parse(Buffer.from(bytes).toString("utf8")) as EvidenceRecord<P>;
  } catch (cause) {
    throw new RecordDecodeError(`${which} is not JSON`, { hint: TAMPERED_HINT, cause });
  }
  if (record?.schema !== EVIDENCE_SCHEMA) {
    throw new RecordDecodeError(`${which} is not an ${EVIDENCE_SCHEMA} record`, { hint: TAMPERED_HINT });
  }
  return record;
}
