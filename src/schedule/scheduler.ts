import { Cron } from "croner";
import { collectorIds, defaultSchedules } from "../collectors/registry.js";
import { type CollectOptions, type CollectSummary, collect } from "../collectors/run.js";
import type { AuditpackConfig } from "../config/schema.js";
import { AuditpackError, describeError, UsageError } from "../errors.js";
import { Ledger } from "../evidence/ledger.js";
import {
  MANIFESTS_PREFIX,
  parseManifestKey,
  parseSealKey,
  type RunManifest,
  SEALS_PREFIX,
  type Seal,
} from "../evidence/ledger-format.js";
import { keyTimestamp, parseEvidenceKey } from "../evidence/record.js";
import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { didYouMean } from "../suggest.js";
import { type Clock, systemClock, type TimerHandle } from "./clock.js";
import { type Lease, StoreLock } from "./lock.js";

/** The default crons collectors declare (collectors/types.ts): snapshots daily, event streams hourly (UTC). */
export { DAILY as DEFAULT_DAILY_CRON, HOURLY as DEFAULT_HOURLY_CRON } from "../collectors/types.js";
/** The ledger is sealed daily, after the midnight snapshots. */
export const DEFAULT_SEAL_CRON = "30 0 * * *";

const DAY_MS = 86_400_000;

/** Collectors that fire together: every schedule entry with the same cron expression. */
export interface ScheduleJob {
  cron: string;
  collectors: string[];
  /** Where each came from: "schedules[2]" or "default". */
  origins: string[];
}

interface ArmedJob extends ScheduleJob {
  pattern: Cron;
  next: Date | null;
}

function cronOf(expression: string): Cron {
  // Paused and without a callback: used only to compute fire times, never starts a timer itself.
  return new Cron(expression, { paused: true, timezone: "UTC", mode: "5-or-6-parts" });
}

/**
 * The config's schedules grouped by cron expression, or the defaults. Every problem is reported at
 * once, each naming its entry (`schedules[2].cron: ...`).
 */
export function planSchedules(
  config: AuditpackConfig,
  source = "the config",
  now = new Date(),
): ScheduleJob[] {
  if (config.schedules.length === 0) {
    // Each collector declares its default cron beside its code.
    return defaultSchedules().map((j) => ({ ...j, origins: j.collectors.map(() => "default") }));
  }
  const problems: string[] = [];
  const jobs = new Map<string, ScheduleJob>();
  config.schedules.forEach((entry, i) => {
    const where = `schedules[${i}]`;
    let ok = true;
    if (!collectorIds.includes(entry.collector)) {
      const hint = didYouMean(entry.collector, collectorIds);
      problems.push(`${where}.collector: unknown collector "${entry.collector}"${hint ? ` (${hint})` : ""}`);
      ok = false;
    }
    const cron = entry.cron.trim().replace(/\s+/g, " ");
    try {
      if (cronOf(cron).nextRun(now) === null) {
        problems.push(`${where}.cron: "${entry.cron}" never fires`);
        ok = false;
      }
    } catch (error) {
      const reason = (error as Error).message.replace(/^CronPattern: /, "");
      problems.push(`${where}.cron: "${entry.cron}" is not a valid cron expression (${reason})`);
      ok = false;
    }
    if (!ok) return;
    const job = jobs.get(cron) ?? { cron, collectors: [], origins: [] };
    if (!job.collectors.includes(entry.collector)) {
      job.collectors.push(entry.collector);
      job.origins.push(where);
    }
    jobs.set(cron, job);
  });
  if (problems.length > 0) {
    throw new UsageError(`invalid schedules in ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`, {
      hint:
        'a schedule is {collector, cron}; cron has five fields "minute hour day-of-month month day-of-week" in UTC, ' +
        `e.g. "0 * * * *" (hourly) or "0 2 * * *" (daily at 02:00); collectors: ${collectorIds.join(", ")}`,
    });
  }
  return [...jobs.values()];
}

/** The newest fire time at or before `now` (whole seconds), or undefined. */
export function previousFire(pattern: Cron, now: Date): Date | undefined {
  return pattern.previousRuns(1, new Date(now.getTime() + 1000))[0];
}

/** One log event; written as one JSON line. */
export type SchedulerEvent = { event: string } & Record<string, unknown>;

export type RunReason = "schedule" | "catch-up";

export interface RunReport {
  collectors: string[];
  slot: string;
  status: "ok" | "partial" | "failed" | "skipped";
  error?: unknown;
}

export interface SchedulerOptions {
  store: EvidenceStore;
  signer: Signer;
  config: AuditpackConfig;
  /** Names the config in validation errors. */
  source?: string;
  clock?: Clock;
  /** Receives every event (default: a JSON line on stdout). */
  log?: (event: SchedulerEvent) => void;
  /** The collection entry (default: the same collect() the CLI uses). */
  collect?: (options: CollectOptions) => Promise<CollectSummary>;
  /** Extra options for every collect() call (profile, fixtures for demos and tests). */
  collectOptions?: Partial<CollectOptions>;
  lockTtlMs?: number;
  /** On stop, runs in flight get this long to finish before they are aborted (their manifests are still written). */
  shutdownGraceMs?: number;
  sealCron?: string;
  /** Longest single timer; the schedule is re-read at least this often (wall-clock jumps). */
  maxSleepMs?: number;
  /** Lock owner shown in lease objects. */
  owner?: string;
}

export function jsonLineLogger(
  stream: NodeJS.WritableStream = process.stdout,
): (event: SchedulerEvent) => void {
  return (event) => stream.write(`${JSON.stringify(event)}\n`);
}

/**
 * The long-running scheduler behind `auditpack schedule`: runs each collector on its cron, seals the
 * ledger daily, never runs a collector twice at once (a lock in the store, so also across processes),
 * catches up at start on what a downtime missed, and stops cleanly.
 */
export class Scheduler {
  readonly jobs: ScheduleJob[];
  private readonly armed: ArmedJob[];
  private readonly seal: { pattern: Cron; next: Date | null; cron: string };
  private readonly clock: Clock;
  private readonly log: (event: SchedulerEvent) => void;
  private readonly collectFn: (options: CollectOptions) => Promise<CollectSummary>;
  private readonly locks = new Map<string, StoreLock>();
  private readonly running = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly controllers = new Set<AbortController>();
  private sealing = false;
  private timer?: TimerHandle;
  private started = false;
  private stopping = false;
  private stopped?: Promise<void>;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.jobs = planSchedules(options.config, options.source, this.clock.now());
    this.armed = this.jobs.map((job) => ({ ...job, pattern: cronOf(job.cron), next: null }));
    const sealCron = options.sealCron ?? DEFAULT_SEAL_CRON;
    this.seal = { cron: sealCron, pattern: cronOf(sealCron), next: null };
    this.log = wrapLog(options.log ?? jsonLineLogger(), this.clock);
    this.collectFn = options.collect ?? collect;
  }

  /** Run what a downtime missed, then follow the schedules until stop(). */
  async start(): Promise<void> {
    if (this.started) throw new Error("the scheduler is already started");
    this.started = true;
    const now = this.clock.now();
    for (const job of this.armed) job.next = job.pattern.nextRun(now);
    this.seal.next = this.seal.pattern.nextRun(now);
    this.log({
      event: "scheduler.started",
      store: this.options.store.location,
      schedules: this.armed.map((j) => ({
        cron: j.cron,
        collectors: j.collectors,
        next: j.next?.toISOString(),
      })),
      seal: { cron: this.seal.cron, next: this.seal.next?.toISOString() },
    });
    const due = await this.dueNow(now);
    this.track(this.runDue(due));
    this.arm();
  }

  /** `--once`: run everything due now (missed or never run), seal when due, and return. */
  async runOnce(): Promise<RunReport[]> {
    this.started = true;
    const due = await this.dueNow(this.clock.now());
    const reports = await this.track(this.runDue(due));
    await this.idle();
    return reports;
  }

  /** Stop taking new work; runs in flight finish (aborted after the grace period) and write their manifests. */
  stop(reason = "stop"): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.log({ event: "scheduler.stopping", reason, running: [...this.running] });
      const grace = this.clock.setTimeout(() => {
        for (const c of this.controllers) c.abort(new Error(`auditpack schedule is stopping (${reason})`));
      }, this.options.shutdownGraceMs ?? 5000);
      await this.idle();
      this.clock.clearTimeout(grace);
      this.log({ event: "scheduler.stopped" });
    })();
    return this.stopped;
  }

  /** Resolves when no run or seal is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Collectors currently running in this process. */
  get runningCollectors(): string[] {
    return [...this.running];
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const done = () => this.inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  private arm(): void {
    if (this.stopping) return;
    const nexts = [...this.armed.map((j) => j.next), this.seal.next].filter((d): d is Date => d !== null);
    if (nexts.length === 0) return;
    const wait = Math.min(...nexts.map((d) => d.getTime())) - this.clock.now().getTime();
    this.timer = this.clock.setTimeout(
      () => this.onTimer(),
      Math.max(0, Math.min(wait, this.options.maxSleepMs ?? 60_000)),
    );
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.stopping) return;
    const now = this.clock.now();
    for (const job of this.armed) {
      if (job.next && job.next <= now) {
        const slot = job.next;
        // Fire once for a missed stretch (a suspended machine), not once per missed slot.
        job.next = job.pattern.nextRun(now);
        this.track(this.runJob(job.collectors, slot, "schedule"));
      }
    }
    if (this.seal.next && this.seal.next <= now) {
      const slot = this.seal.next;
      this.seal.next = this.seal.pattern.nextRun(now);
      this.track(this.runSeal(slot, "schedule"));
    }
    this.arm();
  }

  /** Per job, the collectors whose last fire time has passed with no record of theirs since. */
  private async dueNow(now: Date): Promise<{ jobs: { collectors: string[]; slot: Date }[]; seal?: Date }> {
    const jobs: { collectors: string[]; slot: Date }[] = [];
    for (const job of this.armed) {
      const slot = previousFire(job.pattern, now);
      if (!slot) continue;
      const seen = await collectorsWithRecordsSince(this.options.store, job.collectors, slot, now);
      const missed = job.collectors.filter((c) => !seen.has(c));
      if (missed.length > 0) jobs.push({ collectors: missed, slot });
    }
    const sealSlot = previousFire(this.seal.pattern, now);
    const lastSeal = await lastSealedAt(this.options.store);
    const seal = sealSlot && (!lastSeal || lastSeal < sealSlot) ? sealSlot : undefined;
    return { jobs, ...(seal ? { seal } : {}) };
  }

  private async runDue(due: {
    jobs: { collectors: string[]; slot: Date }[];
    seal?: Date;
  }): Promise<RunReport[]> {
    const reports = (
      await Promise.all(due.jobs.map((j) => this.track(this.runJob(j.collectors, j.slot, "catch-up"))))
    ).flat();
    // After the catch-up runs, so the seal covers their manifests.
    if (due.seal) await this.track(this.runSeal(due.seal, "catch-up"));
    return reports;
  }

  private lock(name: string): StoreLock {
    let lock = this.locks.get(name);
    if (!lock) {
      lock = new StoreLock(this.options.store, name, {
        clock: this.clock,
        ttlMs: this.options.lockTtlMs,
        owner: this.options.owner,
      });
      this.locks.set(name, lock);
    }
    return lock;
  }

  /** Take each collector's lock, run those we got in one collect(), release. */
  private async runJob(collectors: string[], slotDate: Date, reason: RunReason): Promise<RunReport[]> {
    const slot = slotDate.toISOString();
    const skipped = (collector: string, why: string, extra: Record<string, unknown> = {}): RunReport => {
      this.log({ event: "run.skipped", collector, slot, reason: why, ...extra });
      return { collectors: [collector], slot, status: "skipped" };
    };
    const reports: RunReport[] = [];
    const mine: string[] = [];
    for (const c of collectors) {
      if (this.running.has(c)) reports.push(skipped(c, "the previous run is still in progress"));
      else {
        this.running.add(c);
        mine.push(c);
      }
    }
    const leases: { collector: string; lease: Lease }[] = [];
    try {
      for (const collector of mine) {
        if (this.stopping) {
          reports.push(skipped(collector, "the scheduler is stopping"));
          continue;
        }
        const got = await this.lock(`collector-${collector}`).acquire({ slot });
        if (!got.acquired) {
          reports.push(
            skipped(collector, "running in another process", {
              holder: got.holder.owner,
              until: got.holder.expiresAt,
            }),
          );
          continue;
        }
        const previous = got.previous;
        const doneSlot = previous?.state === "released" ? previous.data?.slot : undefined;
        if (typeof doneSlot === "string" && doneSlot >= slot) {
          await got.lease.release(previous?.data);
          reports.push(skipped(collector, "already collected for this slot", { by: previous?.owner }));
          continue;
        }
        leases.push({ collector, lease: got.lease });
      }
      if (leases.length === 0) return reports;
      reports.push(await this.collectWithLeases(leases, slot, reason));
      return reports;
    } finally {
      for (const c of mine) this.running.delete(c);
    }
  }

  private async collectWithLeases(
    leases: { collector: string; lease: Lease }[],
    slot: string,
    reason: RunReason,
  ): Promise<RunReport> {
    const collectors = leases.map((l) => l.collector);
    const controller = new AbortController();
    this.controllers.add(controller);
    for (const { collector, lease } of leases) {
      lease.keepAlive((error) => {
        this.log({ event: "lock.lost", collector, slot, message: error.message });
        controller.abort(error);
      });
    }
    const started = this.clock.now().getTime();
    this.log({ event: "run.started", collectors, slot, reason });
    let report: RunReport;
    try {
      const summary = await this.collectFn({
        ...this.options.collectOptions,
        store: this.options.store,
        signer: this.options.signer,
        config: this.options.config,
        collectors,
        signal: controller.signal,
        now: () => this.clock.now(),
      });
      for (const r of summary.results) {
        if (r.status === "error") {
          this.log({
            event: "collector.failed",
            runId: summary.runId,
            collector: r.collector,
            account: r.account,
            region: r.region,
            ...r.error,
          });
        }
      }
      this.log({
        event: "run.finished",
        runId: summary.runId,
        collectors,
        slot,
        status: summary.status,
        ...(controller.signal.aborted ? { interrupted: true } : {}),
        records: summary.totals.records,
        bytes: summary.totals.bytes,
        errors: summary.totals.errors,
        durationMs: summary.totals.durationMs,
        accounts: summary.accounts.length,
        regions: summary.regions.length,
        manifests: summary.manifests.map((m) => m.key),
        byCollector: byCollector(summary),
      });
      report = { collectors, slot, status: summary.status };
    } catch (error) {
      this.log({
        event: "run.failed",
        collectors,
        slot,
        durationMs: this.clock.now().getTime() - started,
        error: describe(error),
      });
      report = { collectors, slot, status: "failed", error };
    } finally {
      this.controllers.delete(controller);
    }
    await Promise.all(
      leases.map(({ collector, lease }) =>
        lease.release({ slot, status: report.status }).catch((error) => {
          this.log({ event: "lock.release-failed", collector, slot, error: describe(error) });
        }),
      ),
    );
    return report;
  }

  private async runSeal(slotDate: Date, reason: RunReason): Promise<RunReport[]> {
    const slot = slotDate.toISOString();
    if (this.sealing || this.stopping) return [];
    this.sealing = true;
    try {
      const got = await this.lock("seal").acquire({ slot });
      if (!got.acquired) {
        this.log({
          event: "seal.skipped",
          slot,
          reason: "sealing in another process",
          holder: got.holder.owner,
        });
        return [];
      }
      const started = this.clock.now().getTime();
      let status: RunReport["status"] = "ok";
      try {
        const ledger = new Ledger(this.options.store, this.options.signer, { now: () => this.clock.now() });
        const sealed = await ledger.seal({ now: this.clock.now() });
        const durationMs = this.clock.now().getTime() - started;
        if (sealed)
          this.log({
            event: "seal.finished",
            slot,
            reason,
            key: sealed.key,
            seq: sealed.seq,
            manifests: sealed.manifests,
            durationMs,
          });
        else this.log({ event: "seal.skipped", slot, reason: "every manifest is already sealed" });
      } catch (error) {
        status = "failed";
        this.log({ event: "seal.failed", slot, error: describe(error) });
      } finally {
        await got.lease.release({ slot, status }).catch(() => undefined);
      }
      return [{ collectors: [], slot, status }];
    } finally {
      this.sealing = false;
    }
  }
}

function wrapLog(log: (e: SchedulerEvent) => void, clock: Clock): (e: SchedulerEvent) => void {
  return (event) => log({ time: clock.now().toISOString(), ...event });
}

/** A log line's view of an error: its class name, describeError's message and the hint if any. */
function describe(error: unknown): Record<string, unknown> {
  const { message } = describeError(error);
  const name = (error as Error | undefined)?.name ?? "Error";
  return { name, message, ...(error instanceof AuditpackError && error.hint ? { hint: error.hint } : {}) };
}

function byCollector(
  summary: CollectSummary,
): Record<string, { records: number; errors: number; durationMs: number }> {
  const out: Record<string, { records: number; errors: number; durationMs: number }> = {};
  for (const r of summary.results) {
    const c = out[r.collector] ?? { records: 0, errors: 0, durationMs: 0 };
    out[r.collector] = c;
    c.records += r.records;
    c.errors += r.errors;
    c.durationMs = Math.max(c.durationMs, r.durationMs);
  }
  return out;
}

/**
 * Which of `collectors` stored a record collected at or after `since`: read from the run manifests
 * of the days since (the day before too, for runs that started before midnight), so it needs no
 * knowledge of accounts and regions and lists only a few days of keys.
 */
export async function collectorsWithRecordsSince(
  store: EvidenceStore,
  collectors: readonly string[],
  since: Date,
  now: Date,
): Promise<Set<string>> {
  const wanted = new Set(collectors);
  const seen = new Set<string>();
  const sinceStamp = keyTimestamp(since.toISOString());
  for (let day = Math.floor(since.getTime() / DAY_MS) - 1; day <= Math.floor(now.getTime() / DAY_MS); day++) {
    const iso = new Date(day * DAY_MS).toISOString();
    const prefix = `${MANIFESTS_PREFIX}${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/`;
    for await (const info of store.list(prefix)) {
      if (!parseManifestKey(info.key)) continue;
      const manifest = JSON.parse((await store.get(info.key)).toString("utf8")) as RunManifest;
      const scope = (manifest.scope as { collectors?: unknown }).collectors;
      if (Array.isArray(scope) && !scope.some((c) => wanted.has(c as string))) continue;
      for (const record of manifest.records) {
        const parsed = parseEvidenceKey(record.key);
        if (parsed && wanted.has(parsed.collector) && parsed.stamp >= sinceStamp) seen.add(parsed.collector);
      }
      if (seen.size === wanted.size) return seen;
    }
  }
  return seen;
}

async function lastSealedAt(store: EvidenceStore): Promise<Date | undefined> {
  let last: string | undefined;
  for await (const info of store.list(SEALS_PREFIX))
    if (parseSealKey(info.key) !== undefined) last = info.key;
  if (!last) return undefined;
  const seal = JSON.parse((await store.get(last)).toString("utf8")) as Seal;
  return new Date(seal.sealedAt);
}
