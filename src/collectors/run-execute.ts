import type { ClientFactory } from "../aws/clients.js";
import { mapBounded } from "../concurrency.js";
import type { ErrorInfo } from "../errors.js";
import type { RunWriter } from "../evidence/ledger.js";
import { lastManifestedPeriodEnd } from "../evidence/positions.js";
import type { EvidenceCall, EvidencePeriod, EvidenceRecord } from "../evidence/record.js";
import type { VouchedRecords } from "../evidence/vouched.js";
import { envelope } from "./run-envelope.js";
import { describeError } from "./run-errors.js";
import type { AccountAccess, CollectOptions, CollectorResult, Plan, PlannedCollector } from "./run-types.js";
import type { ClientConstructor, CollectContext } from "./types.js";

/** What every collector of a run shares. */
export interface RunContext {
  plan: Plan;
  factory: ClientFactory;
  writer: RunWriter;
  options: CollectOptions;
  access: AccountAccess;
  /** Records the ledger vouches for (incremental positions come from these only). */
  vouched: () => Promise<VouchedRecords>;
}

/**
 * Every planned collector in every account and region, `aws.concurrency` account-region pairs at a
 * time, the collectors of one pair together. Results in plan order.
 */
export async function runCollectors(run: RunContext): Promise<CollectorResult[]> {
  const { plan } = run;
  const pairs = plan.accounts.flatMap((account) => plan.regions.map((region) => ({ account, region })));
  // Settle: every pair runs even if one rejects; the first rejection in pair order is rethrown.
  const settled = await mapBounded(
    pairs,
    run.options.config.aws.concurrency,
    ({ account, region }) =>
      Promise.all(plan.collectors.map((entry) => runCollector(entry, run, account, region))),
    { failure: "settle" },
  );
  const results: CollectorResult[] = [];
  for (const s of settled) {
    if (s.status === "rejected") throw s.reason;
    results.push(...s.value);
  }
  return results;
}

/**
 * One collector in one account and region. Its failure (or its account's) becomes an error record
 * there; only a store that cannot take that record leaves the failure in the result alone.
 */
async function runCollector(
  entry: PlannedCollector,
  run: RunContext,
  account: string,
  region: string,
): Promise<CollectorResult> {
  const { collector } = entry;
  const { plan, writer, options } = run;
  const started = performance.now();
  const result: CollectorResult = {
    collector: collector.id,
    account,
    region,
    status: "ok",
    records: 0,
    bytes: 0,
    errors: 0,
    durationMs: 0,
  };
  const tag = { collector: collector.id, account, region };
  options.onProgress?.({ type: "start", ...tag });
  const redaction = entry.pseudonymize ? { pseudonymizeKey: plan.pseudonymizeKey } : {};
  const wrap = (calls: EvidenceCall[], payload: unknown, period?: EvidencePeriod): EvidenceRecord =>
    envelope(plan, { ...tag, runId: writer.runId }, redaction, calls, payload, period);

  const write = async (record: EvidenceRecord): Promise<void> => {
    const written = await writer.writeRecord(record);
    result.records++;
    result.bytes += written.size;
    options.onProgress?.({ type: "record", ...tag, key: written.key, size: written.size });
  };

  let lastEnd: Promise<Date | undefined> | undefined;
  const ctx: CollectContext<unknown> = {
    account,
    region,
    client: <C>(ctor: ClientConstructor<C>) => run.factory.client(ctor, account, region),
    now: plan.now,
    window: { start: new Date(plan.window.start), end: new Date(plan.window.end) },
    options: entry.options,
    lastPeriodEnd: () => {
      lastEnd ??= run
        .vouched()
        .then((vouched) => lastManifestedPeriodEnd(options.store, vouched, tag, plan.source.label));
      return lastEnd;
    },
    emit: async ({ payload, calls, period }) => write(wrap(calls, payload, period)),
    progress: (done, total) =>
      options.onProgress?.({ type: "progress", ...tag, done, ...(total === undefined ? {} : { total }) }),
    signal: options.signal ?? new AbortController().signal,
  };

  let failure: ErrorInfo | undefined = run.access.failures.get(account);
  if (!failure) {
    try {
      await collector.collect(ctx);
    } catch (error) {
      failure = describeError(error);
    }
  }
  if (failure) {
    result.status = "error";
    result.error = failure;
    const calls: EvidenceCall[] = failure.operation
      ? [
          {
            service: collector.service,
            operation: failure.operation,
            ...(failure.requestId ? { requestId: failure.requestId } : {}),
          },
        ]
      : [];
    const record = wrap(calls, { recordsBeforeError: result.records });
    record.error = { ...failure };
    try {
      await write(record);
      result.errors++;
    } catch (error) {
      // The store itself failed: nothing more can be written; the summary still says why.
      const info = describeError(error);
      result.error = {
        code: info.code,
        message: `${failure.message}; writing the error record failed: ${info.message}`,
      };
    }
  }
  result.durationMs = Math.round(performance.now() - started);
  options.onProgress?.({ type: "finish", result });
  return result;
}
