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
  RUN_START_SCHEMA,
  type RunManifest,
  type RunScope,
  type RunStart,
  runStartKey,
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
  /** Random by default; a fixture replay derives it from the scenario and its clock, so demos reproduce. */
  runId?: string;
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

/** Runs of this process not finished yet: a SIGINT/SIGTERM handler flushes them (flushInterruptedRuns). */
const activeRuns = new Set<RunWriter>();

/**
 * Flush every unfinished run of this process as a signed partial manifest marked `interrupted`
 * (called from a signal handler before exiting). Records still being written when it runs are
 * left for recovery (`auditpack recover`, or the next collect).
 */
export async function flushInterruptedRuns(signal: string): Promise<RunSummary[]> {
  const runs = [...activeRuns];
  const settled = await Promise.allSettled(runs.map((run) => run.interrupt(signal)));
  return settled.filter((r) => r.status === "fulfilled").map((r) => r.value);
}

/**
 * Writes one collection run: each record goes to the store as soon as a write slot is free, and a
 * signed manifest part is written every `partSize` records and at finish() (the last part says
 * `complete`). Before the first record, a signed run start (ledger/runs/) names the run, so that
 * after a crash the records no manifest lists can be tied to it by the runId in their envelope
 * and recovered (src/evidence/recover.ts). Memory holds one part's entries and
 * MAX_CONCURRENT_WRITES records' bytes at most. Safe to call writeRecord concurrently.
 */
export class RunWriter {
  readonly runId: string;
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
  private started?: Promise<void>;

  constructor(
    private readonly ctx: RunWriterContext,
    private readonly options: RunOptions,
  ) {
    this.runId = options.runId ?? randomBytes(8).toString("hex");
    this.startedAt = ctx.now().toISOString();
    for (const identity of options.callerIdentities ?? []) this.addCallerIdentity(identity);
    activeRuns.add(this);
  }

  /**
   * Write the run start now rather than before the first record: a caller that chose the run id
   * claims it this way (the store is create-only, so a taken id throws ObjectExistsError).
   */
  claim(): Promise<void> {
    return this.writeRunStart();
  }

  /** Drop a run that wrote nothing (its id could not be claimed): a signal no longer flushes it. */
  abandon(): void {
    this.finished = true;
    activeRuns.delete(this);
  }

  /** The signed run start, written once before the first record. */
  private writeRunStart(): Promise<void> {
    this.started ??= (async () => {
      await this.ctx.publishKey();
      const body: Omit<RunStart, "signature"> = {
        schema: RUN_START_SCHEMA,
        runId: this.runId,
        startedAt: this.startedAt,
        scope: this.options.scope,
      };
      const bytes = canonicalBytes(await signDocument(body, this.ctx.signer));
      await this.ctx.store.put(runStartKey(this.startedAt, this.runId), bytes, {
        contentType: "application/json",
        sha256: sha256Hex(bytes),
      });
    })().catch((error) => {
      this.started = undefined;
      throw error;
    });
    return this.started;
  }

  async writeRecord(record: EvidenceRecord): Promise<ManifestEntry> {
    if (this.finished)
      throw new Error(`run ${this.runId} is finished; start a new run to write more records`);
    await this.writeRunStart();
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
    if (this.finished) return entry; // interrupted meanwhile: recovery lists it
    // A full part is flushed when the next record arrives, so the part finish() writes is never
    // empty (it carries `complete`) unless the run wrote nothing at all.
    const flushed = this.entries.length >= this.ctx.partSize ? this.flush() : undefined;
    this.entries.push(entry);
    this.records++;
    await flushed;
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
    activeRuns.delete(this);
    if (this.entries.length > 0 || this.parts === 0)
      void this.flush({ complete: true }).catch(() => undefined);
    return this.settle();
  }

  /**
   * Stop now (a signal): write what was stored so far as a signed part marked `interrupted`, and
   * accept no more records. Records whose write is still in flight are not listed.
   */
  async interrupt(signal: string): Promise<RunSummary> {
    if (this.finished) return this.settle();
    this.finished = true;
    activeRuns.delete(this);
    const at = new Date().toISOString();
    void this.flush({ interrupted: { signal, at } }).catch(() => undefined);
    return this.settle();
  }

  private async settle(): Promise<RunSummary> {
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

  private flush(marks: Pick<RunManifest, "complete" | "interrupted"> = {}): Promise<void> {
    const records = this.entries;
    this.entries = [];
    const part = ++this.parts;
    const done = this.writeManifest(part, records, marks);
    this.pending.add(done);
    return done;
  }

  private async writeManifest(
    part: number,
    records: ManifestEntry[],
    marks: Pick<RunManifest, "complete" | "interrupted">,
  ): Promise<void> {
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
      ...marks,
    };
    const bytes = canonicalBytes(await signDocument(body, this.ctx.signer));
    const key = manifestKey(this.startedAt, this.runId, part);
    await this.ctx.store.put(key, bytes, { contentType: "application/json", sha256: sha256Hex(bytes) });
    this.written.push({ key, sha256: sha256Hex(bytes) });
  }
}

const byKey = (a: ObjectRef, b: ObjectRef): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
