import { randomBytes } from "node:crypto";
import { ObjectExistsError } from "../errors.js";
import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { canonicalBytes, sha256Hex } from "./canonical.js";
import {
  type CallerIdentity,
  MANIFEST_SCHEMA,
  type ManifestEntry,
  manifestKey,
  type ObjectRef,
  type RunManifest,
  type RunScope,
  type ToolInfo,
} from "./ledger-format.js";
import { type EvidenceRecord, encodeRecord } from "./record.js";
import { signDocument } from "./signed.js";

export interface RunWriterContext {
  store: EvidenceStore;
  signer: Signer;
  now: () => Date;
  partSize: number;
  /** Publishes the signer's public key (once) before the first manifest is written. */
  publishKey: () => Promise<void>;
  /** The newest seal, recorded in each manifest part. */
  latestSeal: () => Promise<ObjectRef | null>;
}

export interface RunOptions {
  scope: RunScope;
  tool: ToolInfo;
  callerIdentities?: CallerIdentity[];
}

export interface RunSummary {
  runId: string;
  records: number;
  manifests: ObjectRef[];
}

/**
 * Records encoded and being written at once. A record's bytes exist only while it is written, so this
 * bounds them however many collectors emit together (16 regions' CloudTrail days are megabytes each);
 * and bytes that are written promptly are freed by V8's young-generation GC, instead of waiting for a
 * full one. Four keeps a disk store's writes (libuv's four threads) and S3 uploads busy.
 */
const MAX_CONCURRENT_WRITES = 4;

/**
 * Writes one collection run: each record goes to the store as soon as a write slot is free, and a
 * signed manifest part is written every `partSize` records and at finish(). Memory holds one part's
 * entries and MAX_CONCURRENT_WRITES records' bytes at most; a crash loses only the unflushed part's
 * manifest (its records stay, and verify reports them as unsigned). Safe to call writeRecord
 * concurrently.
 */
export class RunWriter {
  readonly runId = randomBytes(8).toString("hex");
  readonly startedAt: string;
  private entries: ManifestEntry[] = [];
  private readonly callers: CallerIdentity[] = [];
  private parts = 0;
  private records = 0;
  private readonly written: ObjectRef[] = [];
  private readonly pending = new Set<Promise<void>>();
  private finished = false;
  private writing = 0;
  private readonly waitingToWrite: (() => void)[] = [];

  constructor(
    private readonly ctx: RunWriterContext,
    private readonly options: RunOptions,
  ) {
    this.startedAt = ctx.now().toISOString();
    for (const identity of options.callerIdentities ?? []) this.addCallerIdentity(identity);
  }

  async writeRecord(record: EvidenceRecord): Promise<ManifestEntry> {
    if (this.finished)
      throw new Error(`run ${this.runId} is finished; start a new run to write more records`);
    await this.writeSlot();
    let entry: ManifestEntry;
    try {
      // Encoded only now: queued records wait as objects their collector holds anyway, not as bytes.
      const { key, bytes, sha256 } = encodeRecord(record);
      try {
        await this.ctx.store.put(key, bytes, { sha256, contentType: "application/json" });
      } catch (error) {
        // The key embeds the hash, so an existing object there claims the same bytes (verify checks it).
        if (!(error instanceof ObjectExistsError)) throw error;
      }
      entry = { key, sha256, size: bytes.byteLength };
    } finally {
      this.releaseWriteSlot();
    }
    this.entries.push(entry);
    this.records++;
    if (this.entries.length >= this.ctx.partSize) await this.flush();
    return entry;
  }

  addCallerIdentity(identity: CallerIdentity): void {
    const known = this.callers.some((c) => c.account === identity.account && c.arn === identity.arn);
    if (!known) this.callers.push({ ...identity });
  }

  /** Write the last manifest part (a run with no records still gets one) and wait for all parts. */
  async finish(): Promise<RunSummary> {
    if (this.finished) throw new Error(`run ${this.runId} is already finished`);
    this.finished = true;
    if (this.entries.length > 0 || this.parts === 0) void this.flush().catch(() => undefined);
    const results = await Promise.allSettled([...this.pending]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return { runId: this.runId, records: this.records, manifests: [...this.written].sort(byKey) };
  }

  private async writeSlot(): Promise<void> {
    if (this.writing < MAX_CONCURRENT_WRITES) {
      this.writing++;
      return;
    }
    await new Promise<void>((resolve) => this.waitingToWrite.push(resolve));
  }

  /** Hands the slot to the next waiting record, if any. */
  private releaseWriteSlot(): void {
    const next = this.waitingToWrite.shift();
    if (next) next();
    else this.writing--;
  }

  private flush(): Promise<void> {
    const records = this.entries;
    this.entries = [];
    const part = ++this.parts;
    const done = this.writeManifest(part, records);
    this.pending.add(done);
    return done;
  }

  private async writeManifest(part: number, records: ManifestEntry[]): Promise<void> {
    await this.ctx.publishKey();
    const previousSeal = await this.ctx.latestSeal();
    // Taken just before signing and writing: a seal dated later must have seen this manifest.
    const finishedAt = this.ctx.now().toISOString();
    const body: Omit<RunManifest, "signature"> = {
      schema: MANIFEST_SCHEMA,
      runId: this.runId,
      part,
      startedAt: this.startedAt,
      finishedAt,
      tool: this.options.tool,
      scope: this.options.scope,
      callerIdentities: [...this.callers],
      previousSeal,
      records,
    };
    const bytes = canonicalBytes(await signDocument(body, this.ctx.signer));
    const key = manifestKey(this.startedAt, this.runId, part);
    await this.ctx.store.put(key, bytes, { contentType: "application/json", sha256: sha256Hex(bytes) });
    this.written.push({ key, sha256: sha256Hex(bytes) });
  }
}

const byKey = (a: ObjectRef, b: ObjectRef): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
