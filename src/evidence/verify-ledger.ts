import crypto, { createHash } from "node:crypto";
import { ObjectNotFoundError } from "../errors.js";
import type { Signature } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { sha256Hex } from "./canonical.js";
import { DigestSet } from "./digest-set.js";
import {
  EVIDENCE_PREFIX,
  MANIFEST_SCHEMA,
  MANIFESTS_PREFIX,
  type ManifestEntry,
  parseManifestKey,
  parseSealKey,
  type RunManifest,
  SEAL_SCHEMA,
  SEALS_PREFIX,
  type Seal,
  sealKey,
  stampToDate,
} from "./ledger-format.js";
import { merkleRoot } from "./merkle.js";
import { parseEvidenceKey } from "./record.js";
import { signatureVerifies, storedSigningBytes } from "./signed.js";
import { resolveTrust, type TrustAnchor, type TrustSet } from "./trust.js";

export { storedSigningBytes };

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
    candidates: Array<{ keyId: string; key: string }>;
    transitions: Array<{
      key: string;
      from: string;
      to: string;
      at: string;
      applied: boolean;
      reason?: string;
    }>;
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

/**
 * Check the whole ledger: the seal chain, every manifest, every record in range, and evidence that
 * no manifest lists. Problems go to onProblem as they are found; memory stays bounded by one
 * manifest, a 16-byte digest per record key and the problems themselves.
 */
export async function verifyLedger(
  store: EvidenceStore,
  options: VerifyLedgerOptions = {},
): Promise<VerifySummary> {
  return new LedgerVerifier(store, options).run();
}

interface SealInfo {
  seq: number;
  sha256: string;
}

class LedgerVerifier {
  private trust!: TrustSet;
  /** Every seal by sequence number (its hash), for the expected heads. */
  private readonly sealsBySeq = new Map<number, string>();
  private head?: LedgerHead;
  private readonly seals = new Map<string, SealInfo>();
  private readonly sealedManifests = new Map<string, { sha256: string; seal: string; seq: number }>();
  private readonly seenManifests = new Set<string>();
  private readonly reportedMissingSeals = new Set<string>();
  private readonly referenced = new DigestSet(16);
  /** Records a manifest lists but the store lacks, by hash: reported at the end, or as moved. */
  private readonly missingRecords = new Map<string, { key: string; manifest: string }>();
  private lastSeal?: { seq: number; key: string; sealedAt: string };
  /** Excerpt records found, re-hashed and listed by a manifest. */
  private readonly presentRecords = new Set<string>();
  /** Where checkRecordSync reads each small record (see EvidenceStore.readSync). */
  private readonly scratch = Buffer.allocUnsafe(WHOLE_READ_LIMIT + 1);
  private readonly summary: VerifySummary = {
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
    private readonly store: EvidenceStore,
    private readonly options: VerifyLedgerOptions,
  ) {}

  async run(): Promise<VerifySummary> {
    await this.loadTrustedKeys();
    await this.checkSeals();
    await this.checkManifests();
    await this.checkUnreferencedRecords();
    const excerpt = this.options.excerpt;
    for (const [sha256, { key, manifest }] of this.missingRecords) {
      if (excerpt && !excerpt.records.has(key)) continue;
      this.problem("missing", key, `record ${key} listed in ${manifest} is missing (sha256 ${sha256})`);
    }
    for (const key of excerpt?.records ?? []) {
      if (!this.presentRecords.has(key)) {
        this.problem("missing", key, `record ${key} listed in the pull's index is missing or in no manifest`);
      }
    }
    for (const [key, { seal }] of this.sealedManifests) {
      if (!this.seenManifests.has(key) && !excerpt)
        this.problem("missing", key, `manifest ${key} sealed in ${seal} is missing`);
    }
    this.checkExpectedHeads();
    this.summary.lastSeal = this.lastSeal;
    if (this.head) this.summary.head = this.head;
    this.summary.ok = this.summary.errors === 0;
    return this.summary;
  }

  private problem(
    kind: ProblemKind,
    key: string,
    message: string,
    severity: "error" | "warning" = "error",
  ): void {
    if (severity === "error") this.summary.errors++;
    else this.summary.warnings++;
    this.options.onProblem?.({ kind, key, message, severity });
  }

  private progress(): void {
    const { seals, manifests, records } = this.summary;
    this.options.onProgress?.({ seals, manifests, records });
  }

  private async loadTrustedKeys(): Promise<void> {
    const { trustedKeys, anchors } = this.options;
    const given = anchors ?? trustedKeys?.map((pem, i) => ({ pem, source: `trusted key #${i + 1}` }));
    this.trust = this.options.trust ?? (await resolveTrust(this.store, given ? { anchors: given } : {}));
    for (const d of this.trust.damaged) this.problem("altered", d.key, d.message);
    this.summary.trust = {
      mode: this.trust.mode,
      trusted: [...this.trust.keys.values()].map((k) => ({
        keyId: k.keyId,
        source: k.source,
        ...(k.retiredAt ? { retiredAt: k.retiredAt } : {}),
      })),
      candidates: [...this.trust.candidates],
      transitions: this.trust.transitions.map((t) => ({ ...t })),
    };
    for (const t of this.trust.transitions) {
      if (!t.applied)
        this.problem("unknown-key", t.key, `key transition ${t.key} is not followed: ${t.reason}`, "warning");
    }
  }

  /** Each expected head must be in the chain, with the same hash: a shorter or other chain is a rollback. */
  private checkExpectedHeads(): void {
    const headSeq = this.head?.seq ?? 0;
    for (const expected of this.options.expectHeads ?? []) {
      const actual = this.sealsBySeq.get(expected.seq);
      if (actual === undefined) {
        const missing =
          expected.seq > headSeq
            ? `seal #${expected.seq} (${sealKey(expected.seq)}) is missing: the chain ends at #${headSeq}${expected.seq - headSeq > 1 ? `, seals #${headSeq + 1}..#${expected.seq} are gone` : ""}`
            : `seal #${expected.seq} (${sealKey(expected.seq)}) is missing`;
        this.problem("rollback", sealKey(expected.seq), `${expected.source}: ${missing} (rolled back?)`);
      } else if (expected.sha256 !== undefined && actual !== expected.sha256) {
        this.problem(
          "rollback",
          sealKey(expected.seq),
          `${expected.source}: seal #${expected.seq} has sha256 ${actual}, expected ${expected.sha256}: the chain was replaced`,
        );
      }
    }
  }

  /**
   * A signature by a trusted key over the object without its signature; false after reporting.
   * `stored` is the object's bytes as read from the store (see storedSigningBytes).
   */
  private checkSignature(
    doc: { signature?: Signature },
    key: string,
    what: string,
    stored: Buffer,
    at?: string,
  ): boolean {
    const signature = doc.signature;
    if (!signature || typeof signature.keyId !== "string" || typeof signature.value !== "string") {
      this.problem("unsigned", key, `${what} ${key} carries no signature`);
      return false;
    }
    const found = this.trust.lookup(signature.keyId, at);
    if ("reason" in found) {
      this.problem(
        "unknown-key",
        key,
        `${what} ${key} is signed by key ${signature.keyId}, which is not trusted: ${found.reason}`,
      );
      return false;
    }
    if (!signatureVerifies(doc, stored, found.key)) {
      this.problem(
        "bad-signature",
        key,
        `${what} ${key}: signature does not verify with key ${signature.keyId}`,
      );
      return false;
    }
    return true;
  }

  private async checkSeals(): Promise<void> {
    let prev: { seq: number; key: string; sha256: string; sealedAt: string; flagged: boolean } | undefined;
    for await (const info of this.store.list(SEALS_PREFIX)) {
      const seq = parseSealKey(info.key);
      if (seq === undefined) {
        this.problem("unsigned", info.key, `unexpected object ${info.key} among the seals`);
        continue;
      }
      const bytes = await this.readLedgerObject(info.key);
      const sha256 = sha256Hex(bytes);
      this.seals.set(info.key, { seq, sha256 });
      this.sealsBySeq.set(seq, sha256);
      this.summary.seals++;
      const expectedSeq = (prev?.seq ?? 0) + 1;
      if (seq > expectedSeq) {
        const missing =
          seq - expectedSeq === 1 ? sealKey(expectedSeq) : `${sealKey(expectedSeq)}..${sealKey(seq - 1)}`;
        this.problem(
          "missing",
          sealKey(expectedSeq),
          `seal ${missing} is missing: the chain jumps from ${prev?.key ?? "its start"} to ${info.key}`,
        );
        for (let s = expectedSeq; s < seq; s++) this.reportedMissingSeals.add(sealKey(s));
      }
      const seal = parseJson<Seal>(bytes);
      const shapeError = seal ? sealShapeError(seal) : "it is not valid JSON";
      let flagged = true;
      if (!seal || shapeError) {
        this.problem("altered", info.key, `seal ${info.key} is damaged: ${shapeError}`);
      } else if (seal.seq !== seq) {
        this.problem(
          "reordered",
          info.key,
          `${info.key} holds seal #${seal.seq}, not #${seq}: seals were reordered`,
        );
      } else {
        flagged = !this.checkSignature(seal, info.key, "seal", bytes, seal.sealedAt);
        const expectedPrev = prev ? { key: prev.key, sha256: prev.sha256 } : null;
        const previous = seal.previous;
        if (previous && this.reportedMissingSeals.has(previous.key)) {
          // Already reported as a gap.
        } else if (!sameRef(previous, expectedPrev) && !prev?.flagged) {
          const said = previous ? `${previous.key} (sha256 ${previous.sha256})` : "no previous seal";
          const is = expectedPrev
            ? `${expectedPrev.key} (sha256 ${expectedPrev.sha256})`
            : "no previous seal";
          this.problem(
            "chain-broken",
            info.key,
            `seal ${info.key} chains to ${said}, but the chain has ${is}`,
          );
          flagged = true;
        }
        if (prev && seal.sealedAt < prev.sealedAt) {
          this.problem(
            "reordered",
            info.key,
            `seal ${info.key} is dated ${seal.sealedAt}, before ${prev.key} (${prev.sealedAt})`,
          );
        }
        if (merkleRoot(seal.manifests.map((m) => m.sha256)) !== seal.merkleRoot) {
          this.problem("altered", info.key, `seal ${info.key}: Merkle root does not match its manifest list`);
        }
        seal.manifests.forEach((m, i) => {
          if (i > 0 && seal.manifests[i - 1]!.key >= m.key) {
            this.problem("reordered", info.key, `seal ${info.key} lists ${m.key} out of key order`);
          }
          const earlier = this.sealedManifests.get(m.key);
          if (earlier)
            this.problem(
              "reordered",
              info.key,
              `seal ${info.key} seals ${m.key} again (already in ${earlier.seal})`,
            );
          else this.sealedManifests.set(m.key, { sha256: m.sha256, seal: info.key, seq });
        });
        this.lastSeal = { seq, key: info.key, sealedAt: seal.sealedAt };
        this.head = { seq, key: info.key, sha256, sealedAt: seal.sealedAt };
      }
      prev = { seq, key: info.key, sha256, sealedAt: seal?.sealedAt ?? prev?.sealedAt ?? "", flagged };
      this.progress();
    }
  }

  /**
   * A seal or manifest (about 1 MB for 5,000 records): read inline from a local store, which takes
   * ~1 ms, where an async read leaves the main thread idle for several thread-pool round trips.
   */
  private async readLedgerObject(key: string): Promise<Buffer> {
    return this.store.readSync ? this.store.readSync(key) : await this.store.get(key);
  }

  private inRange(stamp: string): boolean {
    const { since, until } = this.options;
    if (!since && !until) return true;
    const at = stampToDate(stamp).getTime();
    return (!since || at >= since.getTime()) && (!until || at < until.getTime());
  }

  private async checkManifests(): Promise<void> {
    const pool = new TaskPool(this.options.concurrency ?? 16);
    for await (const info of this.store.list(MANIFESTS_PREFIX)) {
      const parsedKey = parseManifestKey(info.key);
      if (!parsedKey) {
        this.problem("unsigned", info.key, `unexpected object ${info.key} among the manifests`);
        continue;
      }
      const bytes = await this.readLedgerObject(info.key);
      this.summary.manifests++;
      this.seenManifests.add(info.key);
      const sealed = this.sealedManifests.get(info.key);
      if (sealed && sealed.sha256 !== sha256Hex(bytes)) {
        this.problem("altered", info.key, `manifest ${info.key} was changed after ${sealed.seal} sealed it`);
      }
      const manifest = parseJson<RunManifest>(bytes);
      const shapeError = manifest ? manifestShapeError(manifest) : "it is not valid JSON";
      if (!manifest || shapeError) {
        this.problem("altered", info.key, `manifest ${info.key} is damaged: ${shapeError}`);
        continue;
      }
      this.checkSignature(manifest, info.key, "manifest", bytes, manifest.finishedAt);
      if (manifest.recovery) {
        this.summary.recovered += manifest.records.length;
        this.problem(
          "recovered",
          info.key,
          `manifest ${info.key} lists ${manifest.records.length} record(s) recovered from interrupted run(s) ${manifest.recovery.runs.join(", ")} (re-hashed ${manifest.recovery.recoveredAt})`,
          "warning",
        );
      } else if (manifest.interrupted) {
        this.problem(
          "interrupted",
          info.key,
          `manifest ${info.key}: run ${manifest.runId} was stopped by ${manifest.interrupted.signal} at ${manifest.interrupted.at}; it lists what was written by then`,
          "warning",
        );
      }
      if (manifest.runId !== parsedKey.runId || manifest.part !== parsedKey.part) {
        this.problem(
          "moved",
          info.key,
          `manifest ${info.key} holds run ${manifest.runId} part ${manifest.part}`,
        );
      }
      if (!sealed) this.reportUnsealed(info.key, manifest);
      this.checkPreviousSeal(info.key, manifest, sealed?.seq);
      for (const entry of manifest.records) {
        const parsed = parseEvidenceKey(entry.key);
        if (parsed?.sha256 !== entry.sha256) {
          this.problem(
            "altered",
            entry.key,
            `manifest ${info.key} lists ${entry.key} with sha256 ${entry.sha256}, which its key does not carry`,
          );
        }
        if (parsed && !this.inRange(parsed.stamp)) continue;
        this.referenced.add(keyDigest(entry.key));
        // A local store's small records are read inline: a task per record costs more than the read.
        if (this.store.readSync && entry.size <= WHOLE_READ_LIMIT) this.checkRecordSync(entry, info.key);
        else await pool.submit(() => this.checkRecord(entry, info.key));
      }
      this.progress();
    }
    await pool.drain();
  }

  private reportUnsealed(key: string, manifest: RunManifest): void {
    this.summary.unsealedManifests++;
    if (this.lastSeal && manifest.finishedAt < this.lastSeal.sealedAt) {
      this.problem(
        "unsealed",
        key,
        `manifest ${key} (finished ${manifest.finishedAt}) is in no seal, though ${this.lastSeal.key} sealed later`,
      );
    } else {
      this.problem("unsealed", key, `manifest ${key} is not sealed yet`, "warning");
    }
  }

  /** The seal a manifest says was newest when it was written must exist, unchanged, and predate its own seal. */
  private checkPreviousSeal(key: string, manifest: RunManifest, sealedInSeq: number | undefined): void {
    const ref = manifest.previousSeal;
    if (!ref) return;
    const seal = this.seals.get(ref.key);
    if (!seal) {
      if (this.reportedMissingSeals.has(ref.key)) return;
      this.reportedMissingSeals.add(ref.key);
      this.problem(
        "missing",
        ref.key,
        `seal ${ref.key} is missing: manifest ${key} was written after it (the chain was truncated)`,
      );
    } else if (seal.sha256 !== ref.sha256) {
      if (this.reportedMissingSeals.has(ref.key)) return;
      this.reportedMissingSeals.add(ref.key);
      this.problem(
        "chain-broken",
        ref.key,
        `seal ${ref.key} differs from the one manifest ${key} saw when it was written`,
      );
    } else if (sealedInSeq !== undefined && sealedInSeq <= seal.seq) {
      this.problem(
        "reordered",
        key,
        `manifest ${key} was written after ${ref.key} but is sealed in seal #${sealedInSeq}`,
      );
    }
  }

  private async checkRecord(entry: ManifestEntry, manifest: string): Promise<void> {
    let actual: { sha256: string; size: number };
    try {
      actual = await hashObject(this.store, entry.key, entry.size);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      this.missingRecords.set(entry.sha256, { key: entry.key, manifest });
      return;
    }
    this.compareRecord(entry, manifest, actual);
  }

  /** checkRecord for a store with readSync: one reused buffer, nothing allocated but the hex digest. */
  private checkRecordSync(entry: ManifestEntry, manifest: string): void {
    let bytes: Buffer;
    try {
      // Only called when the store has readSync.
      bytes = this.store.readSync!(entry.key, this.scratch);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      this.missingRecords.set(entry.sha256, { key: entry.key, manifest });
      return;
    }
    this.compareRecord(entry, manifest, { sha256: quickSha256Hex(bytes), size: bytes.length });
  }

  private compareRecord(
    entry: ManifestEntry,
    manifest: string,
    actual: { sha256: string; size: number },
  ): void {
    this.summary.records++;
    if (this.options.excerpt?.records.has(entry.key)) this.presentRecords.add(entry.key);
    if (actual.sha256 !== entry.sha256) {
      this.problem(
        "altered",
        entry.key,
        `record ${entry.key} was altered: its sha256 is ${actual.sha256}, ${manifest} lists ${entry.sha256}`,
      );
    } else if (actual.size !== entry.size) {
      this.problem(
        "altered",
        entry.key,
        `record ${entry.key} is ${actual.size} bytes, ${manifest} lists ${entry.size}`,
      );
    }
    if (this.summary.records % 1000 === 0) this.progress();
  }

  /** Evidence no manifest lists: unsigned, or a missing record that was moved there. */
  private async checkUnreferencedRecords(): Promise<void> {
    const ranged = this.options.since !== undefined || this.options.until !== undefined;
    for await (const page of listKeys(this.store, EVIDENCE_PREFIX)) {
      for (const key of page) {
        if (ranged) {
          const stamp = parseEvidenceKey(key)?.stamp;
          if (stamp !== undefined && !this.inRange(stamp)) continue;
        }
        if (!this.referenced.has(keyDigest(key))) await this.reportUnreferenced(key);
      }
    }
  }

  private async reportUnreferenced(key: string): Promise<void> {
    if (this.missingRecords.size > 0) {
      const { sha256 } = await hashObject(this.store, key);
      const original = this.missingRecords.get(sha256);
      if (original) {
        this.missingRecords.delete(sha256);
        this.problem(
          "moved",
          original.key,
          `record ${original.key} listed in ${original.manifest} was moved to ${key}`,
        );
        return;
      }
    }
    this.problem("unsigned", key, `record ${key} is not listed in any manifest`);
  }
}

/** Runs async tasks with at most `limit` in flight; submit() waits for a free slot. */
class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;
  constructor(private readonly limit: number) {}

  async submit(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.failure) throw this.failure;
    const p: Promise<void> = task()
      .catch((error) => {
        this.failure ??= error;
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure;
  }
}

/** Objects up to this size are read in one go (much less overhead per record than a stream). */
const WHOLE_READ_LIMIT = 1024 * 1024;

async function hashObject(
  store: EvidenceStore,
  key: string,
  expectedSize?: number,
): Promise<{ sha256: string; size: number }> {
  if (expectedSize !== undefined && expectedSize <= WHOLE_READ_LIMIT) {
    const bytes = await store.get(key);
    return { sha256: sha256Hex(bytes), size: bytes.length };
  }
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of await store.getStream(key)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

/**
 * The store's keys under prefix in pages, without sizes or dates when the store can list them so
 * (a page per directory of a disk store: no promise per key).
 */
async function* listKeys(store: EvidenceStore, prefix: string): AsyncIterable<readonly string[]> {
  if (store.listKeys) {
    yield* store.listKeys(prefix);
    return;
  }
  let page: string[] = [];
  for await (const info of store.list(prefix)) {
    page.push(info.key);
    if (page.length === 1000) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

// One-shot crypto.hash (Node >= 20.12) skips creating a Hash object: ~1 µs less per call, which
// counts at two key digests and one record hash per record.
const oneShot = typeof crypto.hash === "function" ? crypto.hash : undefined;

function quickSha256Hex(data: Uint8Array): string {
  return oneShot ? oneShot("sha256", data, "hex") : sha256Hex(data);
}

const keyDigestScratch = Buffer.alloc(32);

/**
 * SHA-256 of a key, in a buffer reused by the next call (the DigestSet copies what it keeps). A
 * binary (latin1) string written into it costs the garbage collector less than a new Buffer per key.
 */
function keyDigest(key: string): Buffer {
  if (!oneShot) return createHash("sha256").update(key).digest();
  keyDigestScratch.write(oneShot("sha256", key, "binary"), "binary");
  return keyDigestScratch;
}

function parseJson<T>(bytes: Buffer): T | undefined {
  try {
    const value = JSON.parse(bytes.toString("utf8")) as unknown;
    return value !== null && typeof value === "object" ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

function sameRef(
  a: { key: string; sha256: string } | null,
  b: { key: string; sha256: string } | null,
): boolean {
  return a === b || (a !== null && b !== null && a.key === b.key && a.sha256 === b.sha256);
}

const HEX64 = /^[0-9a-f]{64}$/;

const isRef = (v: unknown): boolean =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as { key?: unknown }).key === "string" &&
  typeof (v as { sha256?: unknown }).sha256 === "string" &&
  HEX64.test((v as { sha256: string }).sha256);

function sealShapeError(seal: Seal): string | undefined {
  if (seal.schema !== SEAL_SCHEMA) return `schema is not ${SEAL_SCHEMA}`;
  if (!Number.isInteger(seal.seq)) return "seq is not an integer";
  if (typeof seal.sealedAt !== "string") return "sealedAt is missing";
  if (seal.previous !== null && !isRef(seal.previous)) return "previous is malformed";
  if (!Array.isArray(seal.manifests) || !seal.manifests.every(isRef))
    return "manifests is malformed (each needs a key and a hex SHA-256)";
  if (typeof seal.merkleRoot !== "string" || !HEX64.test(seal.merkleRoot))
    return "merkleRoot is not a hex SHA-256";
  return undefined;
}

function manifestShapeError(manifest: RunManifest): string | undefined {
  if (manifest.schema !== MANIFEST_SCHEMA) return `schema is not ${MANIFEST_SCHEMA}`;
  if (typeof manifest.runId !== "string" || !Number.isInteger(manifest.part))
    return "runId or part is missing";
  if (typeof manifest.finishedAt !== "string") return "finishedAt is missing";
  if (
    manifest.previousSeal !== null &&
    manifest.previousSeal !== undefined &&
    !isRef(manifest.previousSeal)
  ) {
    return "previousSeal is malformed";
  }
  const entryOk = (e: unknown): boolean => isRef(e) && Number.isInteger((e as { size?: unknown }).size);
  if (!Array.isArray(manifest.records) || !manifest.records.every(entryOk)) return "records is malformed";
  return undefined;
}
