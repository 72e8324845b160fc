import path from "node:path";
import { type FixtureScenario, loadScenario } from "../aws/fixtures.js";
import { UsageError } from "../errors.js";
import { Ledger } from "../evidence/ledger.js";
import { type AnyCollector, collectors as allCollectors, getCollector } from "./registry.js";
import { type CollectOptions, type CollectSummary, collect } from "./run.js";

const HOUR_MS = 3_600_000;

export interface ScheduledRun {
  runId: string;
  clock: string;
  collectors: string[];
  records: number;
  errors: number;
  status: CollectSummary["status"];
}

/** One summary over every run of a replayed schedule: results and totals add up, `runId` is the last run's. */
export interface ScenarioReplaySummary extends CollectSummary {
  runs: ScheduledRun[];
}

export interface ReplayScenarioOptions extends Omit<CollectOptions, "fixtures" | "now" | "recordFixtures"> {
  fixtures: string | FixtureScenario;
  /** Seal the ledger after each run, at its clock, as the scheduler's daily seal would have. */
  seal?: boolean;
  /** Called before each run (for a progress display). */
  onRun?: (run: { index: number; total: number; clock: Date; collectors: string[] }) => void;
}

/** The clocks of a scenario's scheduled snapshot runs, before its final run at the clock. */
export function scheduledClocks(scenario: FixtureScenario): Date[] {
  const schedule = scenario.schedule;
  if (!schedule) return [];
  const clocks: Date[] = [];
  const step = schedule.intervalHours * HOUR_MS;
  for (let t = schedule.first.getTime(); t < scenario.clock.getTime(); t += step) clocks.push(new Date(t));
  return clocks;
}

/**
 * Replay a fixture scenario the way its evidence was collected: each scheduled snapshot run at its
 * own clock (a separate run in the ledger, as `auditpack schedule` writes them), then every collector
 * at the scenario's clock. A scenario without a schedule is one run at its clock, as `collect` does.
 */
export async function replayScenario(options: ReplayScenarioOptions): Promise<ScenarioReplaySummary> {
  const scenario =
    typeof options.fixtures === "string"
      ? loadScenario(options.fixtures, options.fixturesRoot)
      : options.fixtures;
  const chosen = options.collectors?.map((c) => (typeof c === "string" ? getCollector(c) : c));
  const scheduled = scheduledCollectors(scenario, chosen);
  // --since narrows the replay to the runs from then on, as it narrows the history window.
  const since = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const clocks = scheduled.length > 0 ? scheduledClocks(scenario).filter((c) => c.getTime() >= since) : [];
  const intervalMs = (scenario.schedule?.intervalHours ?? 0) * HOUR_MS;
  const runs = [
    ...clocks.map((clock) => ({
      clock,
      collectors: scheduled,
      since: new Date(clock.getTime() - intervalMs),
    })),
    { clock: scenario.clock, collectors: chosen, since: options.since },
  ];

  const summaries: CollectSummary[] = [];
  for (const [index, run] of runs.entries()) {
    options.onRun?.({
      index,
      total: runs.length,
      clock: run.clock,
      collectors: (run.collectors ?? allCollectors).map((c) => c.id),
    });
    summaries.push(
      await collect({
        ...options,
        fixtures: scenario,
        collectors: run.collectors,
        since: run.since,
        now: () => run.clock,
      }),
    );
    if (options.seal) await new Ledger(options.store, options.signer).seal({ now: run.clock });
  }
  return merge(
    summaries,
    runs.map((r) => r.clock),
  );
}

/** The scenario's scheduled collectors, narrowed to those asked for. */
function scheduledCollectors(scenario: FixtureScenario, chosen: AnyCollector[] | undefined): AnyCollector[] {
  const scheduled = (scenario.schedule?.collectors ?? []).map((id) => {
    try {
      return getCollector(id);
    } catch (error) {
      if (error instanceof UsageError)
        throw new UsageError(
          `${path.join(scenario.dir, "scenario.json")}: schedule.collectors: ${error.message}`,
        );
      throw error;
    }
  });
  if (!chosen) return scheduled;
  return chosen.filter((c) => scheduled.some((s) => s.id === c.id));
}

function merge(summaries: CollectSummary[], clocks: Date[]): ScenarioReplaySummary {
  const last = summaries.at(-1)!;
  const results = summaries.flatMap((s) => s.results);
  return {
    ...last,
    status: summaries.some((s) => s.status === "partial") ? "partial" : "ok",
    window: { start: summaries[0]!.window.start, end: last.window.end },
    manifests: summaries.flatMap((s) => s.manifests),
    results,
    totals: {
      records: sum(summaries, (s) => s.totals.records),
      bytes: sum(summaries, (s) => s.totals.bytes),
      errors: sum(summaries, (s) => s.totals.errors),
      durationMs: sum(summaries, (s) => s.totals.durationMs),
    },
    runs: summaries.map((s, i) => ({
      runId: s.runId,
      clock: clocks[i]!.toISOString(),
      collectors: s.collectors,
      records: s.totals.records,
      errors: s.totals.errors,
      status: s.status,
    })),
  };
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((n, item) => n + value(item), 0);
}
