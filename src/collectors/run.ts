import { RateLimiter } from "../aws/rate-limit.js";
import { Ledger } from "../evidence/ledger.js";
import { vouchedBySigner } from "../evidence/positions.js";
import { runCollectors } from "./run-execute.js";
import { planRun } from "./run-plan.js";
import { chooseSource } from "./run-source.js";
import type { CollectOptions, CollectSummary } from "./run-types.js";

/**
 * The collection runner, by concern in sibling modules: run-types.ts (what collect takes and
 * gives), run-plan.ts (options to a checked Plan), run-source.ts (live AWS or a fixture scenario:
 * one strategy, chosen once), run-execute.ts (collectors over account-region pairs),
 * run-envelope.ts (records, redacted) and run-errors.ts (failures as error records keep them).
 */
export type { ErrorInfo } from "../errors.js";
export { describeError } from "./run-errors.js";
export { defaultSince, PSEUDONYMIZE_KEY_ENV } from "./run-plan.js";
export { checkRecordFixtures } from "./run-source.js";
export type { CollectOptions, CollectorResult, CollectProgress, CollectSummary } from "./run-types.js";

/**
 * Run collectors over every account and region in scope and write their records through the ledger:
 * the library entry behind `auditpack collect`, the scheduler and the Lambda handler. A failure of one
 * collector in one account and region becomes an error record there, and the run goes on.
 */
export async function collect(options: CollectOptions): Promise<CollectSummary> {
  const started = performance.now();
  const source = await chooseSource(options);
  const plan = planRun(options, source);
  const recorder = source.recorder(options);
  const limiter = new RateLimiter({ signal: options.signal });
  const factory = await source.clients(options, plan, limiter, recorder);
  try {
    const access = await source.access(options, plan, factory);
    if (recorder)
      for (const [account, identity] of access.identities) recorder.addCallerIdentity(account, identity);
    plan.accounts = access.accounts;

    const collectorIds = plan.collectors.map((c) => c.collector.id);
    const window = { start: plan.window.start.toISOString(), end: plan.window.end.toISOString() };
    const callerIdentities = [...access.identities.values()];
    const ledger = new Ledger(options.store, options.signer, { now: plan.now });
    const writer = await source.beginRun(
      ledger,
      {
        scope: {
          accounts: plan.accounts,
          regions: plan.regions,
          collectors: collectorIds,
          ...source.label,
          window,
        },
        callerIdentities,
      },
      plan,
    );

    const vouched = vouchedBySigner(options.store, options.signer);
    const results = await runCollectors({ plan, factory, writer, options, access, vouched });
    const run = await writer.finish();

    const recordedFixtures = recorder?.write({
      description: `recorded by auditpack collect (${collectorIds.join(", ")})`,
      clock: plan.now(),
      accounts: plan.accounts,
      regions: plan.regions,
      window: plan.window,
    });
    const totals = {
      records: sum(results, (r) => r.records),
      bytes: sum(results, (r) => r.bytes),
      errors: sum(results, (r) => r.errors),
      durationMs: Math.round(performance.now() - started),
    };
    return {
      status: results.some((r) => r.status === "error") ? "partial" : "ok",
      runId: run.runId,
      ...source.label,
      accounts: plan.accounts,
      regions: plan.regions,
      collectors: collectorIds,
      window,
      callerIdentities,
      manifests: run.manifests,
      results,
      totals,
      ...(recordedFixtures ? { recordedFixtures } : {}),
    };
  } finally {
    factory.destroy();
  }
}

function sum<T>(items: T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}
