import { loadCatalog } from "../catalog/load.js";
import type { Catalog } from "../catalog/types.js";
import { UsageError } from "../errors.js";
import type { EvidenceStore } from "../store/types.js";
import {
  type EvaluateOptions,
  materialize,
  mergeStreaming,
  planEvaluation,
  type StreamedFindings,
} from "./evaluate.js";
import { eachPartial, type FindingsPartial, noPartials, orderPartials, readPartial } from "./partial.js";
import type { Findings } from "./types.js";

export interface MergeOptions
  extends Omit<EvaluateOptions, "catalog" | "period" | "requirements" | "scope" | "now"> {
  /** Where the partials are (a store's partials prefix); `where` names it in messages. */
  partials: { store: EvidenceStore; prefix: string; where: string };
  /** When given, the partials must be of this framework and period (else exit 2). */
  expect?: { framework?: string; period?: string };
  catalog?: Catalog;
}

/**
 * Findings from the partials of one evaluation (the AWS evaluate Map's output, or any evaluation's
 * partials): each partial checked against its hash, all of one evaluation, every account once,
 * then merged as `evaluate` merges its batches. The evaluation's framework, requirements, period,
 * scope and clock come from the partials themselves.
 */
export async function mergeFromPartials(options: MergeOptions): Promise<Findings> {
  return mergeFromPartialsStreaming(options, async (streamed) => materialize(streamed));
}

/**
 * mergeFromPartials in bounded memory (report --from-partials, the AWS merge task): the partials
 * are read once to check them and keep their headers, then again one at a time, in scope order, into
 * a spill, and `use` gets findings read back from there as they are iterated (evaluateStreaming).
 */
export async function mergeFromPartialsStreaming<T>(
  options: MergeOptions,
  use: (findings: StreamedFindings) => Promise<T>,
): Promise<T> {
  const { store, prefix, where } = options.partials;
  const found: Array<{
    key: string;
    partial: Pick<FindingsPartial, "evaluation" | "accounts"> & { key: string };
  }> = [];
  for await (const { key, partial } of eachPartial(store, prefix))
    found.push({ key, partial: { key, evaluation: partial.evaluation, accounts: partial.accounts } });
  if (found.length === 0) throw noPartials(where);
  const header = found[0]!.partial.evaluation;
  const wanted = options.expect ?? {};
  if (wanted.framework !== undefined && wanted.framework !== header.framework)
    throw new UsageError(
      `--from-partials: ${where} holds partials of ${header.framework}, not --framework ${wanted.framework}`,
    );
  if (wanted.period !== undefined && wanted.period !== header.period.label)
    throw new UsageError(
      `--from-partials: ${where} holds partials of period ${header.period.label}, not --period ${wanted.period}`,
    );
  const ordered = orderPartials(found);
  const catalog = options.catalog ?? loadCatalog(header.framework);
  const plan = await planEvaluation({
    ...options,
    catalog,
    requirements: header.requirements,
    period: {
      start: new Date(header.period.start),
      end: new Date(header.period.end),
      label: header.period.label,
      pointInTime: header.period.pointInTime,
    },
    scope: header.scope,
    now: new Date(header.now),
  });
  if (plan.header.id !== header.id)
    throw new UsageError(
      `--from-partials: the partials were made by auditpack ${header.toolVersion} (evaluation ${header.id}); this auditpack computes evaluation ${plan.header.id} from their header`,
      { hint: "merge with the auditpack version that evaluated them" },
    );
  // Read again, checked again: a partial replaced since the first pass no longer matches its name.
  async function* inOrder(): AsyncGenerator<FindingsPartial> {
    for (const { key } of ordered) yield await readPartial(store, key);
  }
  return mergeStreaming(plan, inOrder(), use);
}
