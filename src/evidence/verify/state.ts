import type { EvidenceStore } from "../../store/types.js";
import { DigestSet } from "../digest-set.js";
import { stampToDate } from "../ledger-format.js";
import type { CandidateKey, TransitionInfo, TrustAnchor, TrustSet } from "../trust.js";

/** What verifyLedger takes and reports, and the state its checks share while it runs. */

export type ProblemKind =
  | "missing"
  | "altered"
  | "moved"
  | "reordered"
  | "unsigned"
  | "unsealed"
  | "bad-signature"
  | "unknown-key"
  | "chain-broken"
  | "rollback"
  | "recovered"
  | "interrupted";

export interface LedgerProblem {
  kind: ProblemKind;
  /** The record, manifest or seal concerned. */
  key: string;
  /** One line that names the item and says what is wrong. */
  message: string;
  /** Warnings (a manifest newer than the last seal, not sealed yet) do not fail verification. */
  severity: "error" | "warning";
}

export interface VerifySummary {
  ok: boolean;
  seals: number;
  manifests: number;
  /** Records re-hashed (those in the date range). */
  records: number;
  unsealedManifests: number;
  errors: number;
  warnings: number;
  lastSeal?: { seq: number; key: string; sealedAt: string };
  /** The newest seal in the store: compare it with a copy kept elsewhere (--expect-head, --anchor). */
  head?: LedgerHead;
  /** Records listed only by recovery manifests (adopted from interrupted runs). */
  recovered: number;
  /** Which keys were trusted, and the store's other keys (only candidates). */
  trust: {
    mode: "pinned" | "published";
    trusted: Array<{ keyId: string; source: string; retiredAt?: string }>;
    candidates: CandidateKey[];
    transitions: TransitionInfo[];
  };
}

/** A seal chain position: sequence number, the seal's SHA-256 and when it was sealed. */
export interface LedgerHead {
  seq: number;
  key: string;
  sha256: string;
  sealedAt: string;
}

/** A head the chain must contain: from --expect-head, --min-seq or an anchor store. */
export interface ExpectedHead {
  seq: number;
  /** Omitted for --min-seq: only the length is checked. */
  sha256?: string;
  /** Where the expectation came from, for messages ("--expect-head", "anchor s3://..."). */
  source: string;
}

export interface VerifyLedgerOptions {
  /** Only records collected (and manifests started) at or after this time. */
  since?: Date;
  /** Only records collected (and manifests started) before this time (exclusive). */
  until?: Date;
  /**
   * Keys to trust (the configured signer's, pinned ones) and keys reached from them through signed
   * key transitions; keys the store publishes are then only candidates. Default: the published keys.
   */
  anchors?: TrustAnchor[];
  /** PEM public keys to trust: anchors without a source. */
  trustedKeys?: string[];
  /** Resolved trust (instead of anchors). */
  trust?: TrustSet;
  /** Heads the chain must contain (rollback evidence). */
  expectHeads?: ExpectedHead[];
  /** Records re-hashed at once. */
  concurrency?: number;
  /**
   * Verify an excerpt (an evidence pull): only these record keys must be present. Records and
   * manifests the excerpt left out are not failures; the seal chain must still be complete.
   */
  excerpt?: { records: ReadonlySet<string> };
  onProblem?: (problem: LedgerProblem) => void;
  onProgress?: (progress: { seals: number; manifests: number; records: number }) => void;
}

/** Objects up to this size are read in one go (much less overhead per record than a stream). */
export const WHOLE_READ_LIMIT = 1024 * 1024;

/**
 * One verification's shared state: what the seal chain found (for the manifests), what the
 * manifests list (for the records), and the summary. Memory stays bounded by one manifest, a
 * 16-byte digest per record key and the problems themselves.
 */
export class VerifyState {
  trust!: TrustSet;
  /** Every seal by sequence number (its hash), for the expected heads. */
  readonly sealsBySeq = new Map<number, string>();
  head?: LedgerHead;
  readonly seals = new Map<string, { seq: number; sha256: string }>();
  readonly sealedManifests = new Map<string, { sha256: string; seal: string; seq: number }>();
  readonly seenManifests = new Set<string>();
  readonly reportedMissingSeals = new Set<string>();
  /** Digests of the record keys a manifest lists (in range). */
  readonly referenced = new DigestSet(16);
  /** Records a manifest lists but the store lacks, by hash: reported at the end, or as moved. */
  readonly missingRecords = new Map<string, { key: string; manifest: string }>();
  lastSeal?: { seq: number; key: string; sealedAt: string };
  /** Excerpt records found, re-hashed and listed by a manifest. */
  readonly presentRecords = new Set<string>();
  /** Where small records are read with readSync (see EvidenceStore.readSync). */
  readonly scratch = Buffer.allocUnsafe(WHOLE_READ_LIMIT + 1);
  readonly summary: VerifySummary = {
    ok: true,
    seals: 0,
    manifests: 0,
    records: 0,
    unsealedManifests: 0,
    errors: 0,
    warnings: 0,
    recovered: 0,
    trust: { mode: "published", trusted: [], candidates: [], transitions: [] },
  };

  constructor(
    readonly store: EvidenceStore,
    readonly options: VerifyLedgerOptions,
  ) {}

  problem(kind: ProblemKind, key: string, message: string, severity: "error" | "warning" = "error"): void {
    if (severity === "error") this.summary.errors++;
    else this.summary.warnings++;
    this.options.onProblem?.({ kind, key, message, severity });
  }

  progress(): void {
    const { seals, manifests, records } = this.summary;
    this.options.onProgress?.({ seals, manifests, records });
  }

  /**
   * A seal or manifest (about 1 MB for 5,000 records): read inline from a local store, which takes
   * ~1 ms, where an async read leaves the main thread idle for several thread-pool round trips.
   */
  async readLedgerObject(key: string): Promise<Buffer> {
    return this.store.readSync ? this.store.readSync(key) : await this.store.get(key);
  }

  inRange(stamp: string): boolean {
    const { since, until } = this.options;
    if (!since && !until) return true;
    const at = stampToDate(stamp).getTime();
    return (!since || at >= since.getTime()) && (!until || at < until.getTime());
  }
}

/** A parsed JSON object, or undefined for bytes that are not one. */
export function parseJson<T>(bytes: Buffer): T | undefined {
  try {
    const value = JSON.parse(bytes.toString("utf8")) as unknown;
    return value !== null && typeof value === "object" ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
