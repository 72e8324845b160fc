import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { ObjectExistsError, StoreError } from "../errors.js";
import { canonicalBytes, sha256Hex } from "../evidence/canonical.js";
import type { EvidenceStore } from "../store/types.js";
import { type Clock, systemClock, type TimerHandle } from "./clock.js";

/**
 * A mutual-exclusion lock kept in the evidence store itself, so two schedulers (or a scheduler and a
 * manual run) on different machines that share one store never run the same collector at once.
 *
 * The store is write-once (create-only puts, no delete, no overwrite), so a lock is a chain of
 * create-only lease objects rather than one mutable object:
 *
 *   locks/<name>/000000000001.json   {state: "held",     leaseId: A, expiresAt: t1}
 *   locks/<name>/000000000002.json   {state: "held",     leaseId: A, expiresAt: t2}   (A renewed)
 *   locks/<name>/000000000003.json   {state: "released", leaseId: A}
 *   locks/<name>/000000000004.json   {state: "held",     leaseId: B, expiresAt: t4}
 *
 * The object with the highest sequence number is the lock's current state. Acquiring reads it and,
 * when it is released or expired (or there is none), creates the next number. Renewing and releasing
 * also create the next number. Every transition is "create seq n+1 after having seen seq n as the
 * newest", so the sequence is dense (no gaps) and the newest number is found with HEAD probes
 * (gallop then bisect, starting from the last number this process saw) instead of listing.
 *
 * Why this is mutually exclusive: a create-only put of seq n+1 succeeds for exactly one writer. A
 * writer other than the holder only tries n+1 after reading seq n as released or expired; while the
 * holder's lease n is live, nobody else creates n+1, so nobody can create n+2 either. The holder
 * renews (creates n+1 itself) well before expiry; if someone else created n+1 first (the holder was
 * too late), its renewal fails and it is told the lease is lost, and it stops its work.
 *
 * Assumptions, as for any lease: clocks agree to within the renewal margin, and a holder that loses
 * its lease stops within that margin. Even if a duplicate run happened, evidence is content-addressed
 * and manifests are per run, so the ledger stays consistent; the lock prevents wasted, doubled work.
 * Never expire or delete objects under locks/ (lifecycle rules): a gap breaks the sequence.
 */

export const LOCKS_PREFIX = "locks/";
export const LEASE_SCHEMA = "auditpack.lock/v1";
export const DEFAULT_LEASE_TTL_MS = 10 * 60 * 1000;

const LOCK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SEQ_WIDTH = 12;

/** One object of a lock's chain. */
export interface LeaseRecord {
  schema: typeof LEASE_SCHEMA;
  name: string;
  seq: number;
  state: "held" | "released";
  leaseId: string;
  /** Who holds it: host, process id (for people reading the store). */
  owner: string;
  writtenAt: string;
  /** Held leases only: after this instant anyone may take the lock. */
  expiresAt?: string;
  /** Caller's note, e.g. the schedule slot a run was for. */
  data?: Record<string, unknown>;
}

export type AcquireResult =
  | { acquired: true; lease: Lease; previous?: LeaseRecord }
  | { acquired: false; holder: LeaseRecord };

export interface StoreLockOptions {
  clock?: Clock;
  /** How long a lease lasts without renewal. */
  ttlMs?: number;
  /** Shown in lease objects (default: host:pid). */
  owner?: string;
  /** Create attempts when another writer keeps taking the next number first. */
  maxAttempts?: number;
}

/** The lease was taken over by someone else, or could not be renewed before it expired. */
export class LockLostError extends StoreError {
  constructor(name: string, detail: string) {
    super(`lost the lock ${name}: ${detail}`, {
      hint: "another auditpack process took over; this run stops",
    });
  }
}

export function leaseKey(name: string, seq: number): string {
  return `${LOCKS_PREFIX}${name}/${String(seq).padStart(SEQ_WIDTH, "0")}.json`;
}

export class StoreLock {
  readonly clock: Clock;
  readonly ttlMs: number;
  readonly owner: string;
  private readonly maxAttempts: number;
  /** Highest sequence number seen (all lower ones exist: the chain is dense). */
  private known = 0;

  constructor(
    readonly store: EvidenceStore,
    readonly name: string,
    options: StoreLockOptions = {},
  ) {
    if (!LOCK_NAME.test(name))
      throw new TypeError(`invalid lock name "${name}": use letters, digits, ".", "_" and "-"`);
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (!(this.ttlMs > 0)) throw new TypeError("ttlMs must be positive");
    this.owner = options.owner ?? `${hostname()}:${process.pid}`;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** The lock's newest lease object, or undefined when it was never taken. */
  async current(): Promise<LeaseRecord | undefined> {
    const seq = await this.latestSeq();
    return seq === 0 ? undefined : this.read(seq);
  }

  /** Take the lock if it is free (never taken, released or expired); never waits. */
  async acquire(data?: Record<string, unknown>): Promise<AcquireResult> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const seq = await this.latestSeq();
      const latest = seq === 0 ? undefined : await this.read(seq);
      if (latest && isLive(latest, this.clock.now())) return { acquired: false, holder: latest };
      const leaseId = randomBytes(8).toString("hex");
      const record = this.record(seq + 1, "held", leaseId, data);
      if (await this.create(record)) {
        return { acquired: true, lease: new Lease(this, record), ...(latest ? { previous: latest } : {}) };
      }
      // Someone created seq+1 between our read and our write: look again.
    }
    throw new StoreError(
      `could not take the lock ${this.name} after ${this.maxAttempts} attempts: other writers kept winning`,
    );
  }

  /** @internal create the next lease object; false when that number already exists. */
  async create(record: LeaseRecord): Promise<boolean> {
    const bytes = canonicalBytes(record);
    try {
      await this.store.put(leaseKey(this.name, record.seq), bytes, {
        sha256: sha256Hex(bytes),
        contentType: "application/json",
      });
      this.known = Math.max(this.known, record.seq);
      return true;
    } catch (error) {
      if (error instanceof ObjectExistsError) {
        this.known = Math.max(this.known, record.seq);
        return false;
      }
      throw error;
    }
  }

  /** @internal */
  record(
    seq: number,
    state: LeaseRecord["state"],
    leaseId: string,
    data?: Record<string, unknown>,
  ): LeaseRecord {
    const now = this.clock.now();
    return {
      schema: LEASE_SCHEMA,
      name: this.name,
      seq,
      state,
      leaseId,
      owner: this.owner,
      writtenAt: now.toISOString(),
      ...(state === "held" ? { expiresAt: new Date(now.getTime() + this.ttlMs).toISOString() } : {}),
      ...(data ? { data } : {}),
    };
  }

  private async read(seq: number): Promise<LeaseRecord> {
    const key = leaseKey(this.name, seq);
    try {
      return JSON.parse((await this.store.get(key)).toString("utf8")) as LeaseRecord;
    } catch (cause) {
      if (cause instanceof SyntaxError)
        throw new StoreError(`lock object ${key} is not valid JSON`, { cause });
      throw cause;
    }
  }

  private async exists(seq: number): Promise<boolean> {
    return (await this.store.head(leaseKey(this.name, seq))) !== undefined;
  }

  /** Highest existing sequence number (0 for none): gallop up from the last one seen, then bisect. */
  private async latestSeq(): Promise<number> {
    let low = this.known;
    if (low > 0 && !(await this.exists(low))) low = 0;
    let step = 1;
    let high = low + step;
    while (await this.exists(high)) {
      low = high;
      step *= 2;
      high = low + step;
    }
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await this.exists(mid)) low = mid;
      else high = mid;
    }
    this.known = low;
    return low;
  }
}

function isLive(record: LeaseRecord, now: Date): boolean {
  return record.state === "held" && record.expiresAt !== undefined && new Date(record.expiresAt) > now;
}

/** A held lease: renew it while working, release it when done. */
export class Lease {
  private current: LeaseRecord;
  private lost?: LockLostError;
  private timer?: TimerHandle;
  /** The renewal keepAlive is running, if any (release waits for it). */
  private renewing?: Promise<void>;

  constructor(
    private readonly lock: StoreLock,
    record: LeaseRecord,
  ) {
    this.current = record;
  }

  get seq(): number {
    return this.current.seq;
  }

  get expiresAt(): Date {
    return new Date(this.current.expiresAt!);
  }

  get leaseId(): string {
    return this.current.leaseId;
  }

  /**
   * Extend the lease by the lock's TTL. Throws LockLostError when someone else wrote the next lease
   * object. A late renewal that still wins the next number is safe: nobody else could have taken it.
   */
  async renew(): Promise<void> {
    if (this.lost) throw this.lost;
    const next = this.lock.record(this.current.seq + 1, "held", this.current.leaseId, this.current.data);
    if (!(await this.lock.create(next)))
      throw this.lose(`lease object ${next.seq} was written by someone else`);
    this.current = next;
  }

  /** Give the lock up (a "released" object); `data` is kept for whoever takes it next. */
  async release(data?: Record<string, unknown>): Promise<void> {
    this.stopRenewing();
    await this.settled();
    if (this.lost) return;
    const next = this.lock.record(
      this.current.seq + 1,
      "released",
      this.current.leaseId,
      data ?? this.current.data,
    );
    if (!(await this.lock.create(next))) this.lose(`lease object ${next.seq} was written by someone else`);
  }

  /**
   * Renew every third of the TTL until released. When the lease is lost, onLost is called once:
   * the caller must stop the work the lock protects. A failed renewal (store outage) is retried at
   * the next tick while the lease is still valid.
   */
  keepAlive(onLost: (error: LockLostError) => void): void {
    const interval = Math.max(1, Math.floor(this.lock.ttlMs / 3));
    const tick = () => {
      this.renewing = this.renew().then(
        () => {
          if (this.timer !== undefined) this.timer = this.lock.clock.setTimeout(tick, interval);
        },
        (error) => {
          if (error instanceof LockLostError) {
            this.timer = undefined;
            onLost(error);
          } else if (this.lock.clock.now() >= this.expiresAt) {
            this.timer = undefined;
            onLost(this.lose(`renewal failed until the lease expired: ${(error as Error).message}`));
          } else if (this.timer !== undefined) {
            this.timer = this.lock.clock.setTimeout(tick, interval);
          }
        },
      );
    };
    this.timer = this.lock.clock.setTimeout(tick, interval);
  }

  /** Resolves when no renewal is in flight. */
  async settled(): Promise<void> {
    while (this.renewing) {
      const current = this.renewing;
      await current;
      if (this.renewing === current) this.renewing = undefined;
    }
  }

  stopRenewing(): void {
    if (this.timer !== undefined) this.lock.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private lose(detail: string): LockLostError {
    this.stopRenewing();
    this.lost ??= new LockLostError(this.lock.name, detail);
    return this.lost;
  }
}
