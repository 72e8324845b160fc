import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadCatalog } from "./catalog/load.js";
import { ObjectExistsError, UsageError } from "./errors.js";
import { evaluateBatch, planEvaluation, planRelatedAccounts } from "./evaluate/evaluate.js";
import { mergeFromPartialsStreaming } from "./evaluate/merge.js";
import { partialsPrefix, writePartial } from "./evaluate/partial.js";
import { parsePeriod } from "./evaluate/period.js";
import { resolveScope } from "./evaluate/scope.js";
import { sha256Hex } from "./evidence/canonical.js";
import type { TrustAnchor } from "./evidence/trust.js";
import { type LambdaRuntime, runtime } from "./lambda-runtime.js";
import { checkInfoFromRegistry } from "./report/check-info.js";
import { listFiles } from "./report/checksums.js";
import { buildReport, formatsFor } from "./report/package.js";

/**
 * The evaluate half of the deployed state machine (issue 11): after collection and the seal, a plan
 * names one item per account, a Distributed Map evaluates each account in its own invocation and
 * writes its findings partial to the evidence bucket (create-only, hashed), and one task merges the
 * partials into the package and signs it. The merge is the one `report --from-partials` runs.
 */

/** What the plan fixes for every item: the same evaluation id everywhere, or the merge refuses. */
export interface EvaluationEvent {
  framework: string;
  /** A --period value: 2026-Q3, 2026-08 or a day range. */
  period: string;
  requirements?: string[];
  /** The evaluation's clock (ISO); the plan sets it to its own start when absent. */
  now?: string;
  accounts?: string[];
  regions?: string[];
}

/** The fixed part of every item: the same evaluation everywhere, or the merge refuses. */
export type EvaluationSpec = Required<Omit<EvaluationEvent, "requirements">> & {
  requirements: string[];
  id: string;
};

/** One evaluate Map item, as the state machine's ItemSelector assembles it. */
export interface EvaluationItem {
  evaluation: EvaluationSpec;
  account: string;
  /** Accounts this one's findings depend on (the cross-account index). */
  related: string[];
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new UsageError(`event.${field} must be a non-empty string`);
  return value;
}

function strings(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw new UsageError(`event.${field} must be a list of strings`);
  return value as string[];
}

/** The configured signer's key and the config's trust: list, as the CLI trusts evidence. */
async function anchors(rt: LambdaRuntime): Promise<TrustAnchor[]> {
  const out: TrustAnchor[] = [{ pem: await rt.signer.publicKeyPem(), source: "the configured signer" }];
  for (const [i, file] of rt.loaded.config.trust.entries())
    out.push({
      pem: await readFile(path.resolve(rt.loaded.baseDir, file), "utf8"),
      source: `config trust[${i}] ${file}`,
    });
  return out;
}

async function planFor(
  rt: LambdaRuntime,
  e: EvaluationEvent & { now: string; accounts: string[]; regions: string[] },
) {
  return planEvaluation({
    store: rt.store,
    catalog: loadCatalog(e.framework),
    requirements: e.requirements ?? [],
    period: parsePeriod(e.period, "event.period"),
    now: new Date(e.now),
    scope: { accounts: e.accounts, regions: e.regions },
    ...(rt.loaded.config.assessment ? { assessment: rt.loaded.config.assessment } : {}),
    trustedKeys: await anchors(rt),
  });
}

/** The evaluate Map's items: one per account in scope, with the accounts its findings depend on. */
export async function evaluatePlanHandler(
  event: EvaluationEvent,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{
  evaluationId: string;
  evaluation: EvaluationSpec;
  items: Array<Pick<EvaluationItem, "account" | "related">>;
}> {
  const rt = await runtime(env);
  const framework = text(event?.framework, "framework");
  const period = text(event?.period, "period");
  const now = event.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now))) throw new UsageError(`event.now "${now}" is not an ISO timestamp`);
  const scope = await resolveScope({
    store: rt.store,
    config: rt.loaded.config,
    accounts: strings(event.accounts, "accounts"),
    regions: strings(event.regions, "regions"),
  });
  if (scope.accounts.length === 0 || scope.regions.length === 0)
    throw new UsageError(
      "no accounts or regions to evaluate: the store holds no evidence and the config names none",
    );
  const evaluation = {
    framework,
    period,
    requirements: strings(event.requirements, "requirements") ?? [],
    now,
    accounts: scope.accounts,
    regions: scope.regions,
  };
  const plan = await planFor(rt, evaluation);
  const related = await planRelatedAccounts(plan);
  // The evaluation once, beside the items: Step Functions' ItemSelector joins them per item, so
  // the state stays small (a state's input is at most 256 KiB) for hundreds of accounts.
  const items = scope.accounts.map((account) => ({
    account,
    related: [...(related.get(account) ?? [])].sort(),
  }));
  return { evaluationId: plan.header.id, evaluation: { ...evaluation, id: plan.header.id }, items };
}

/** One Map item: evaluate one account and write its partial (a retry finds it already written). */
export async function evaluateAccountHandler(
  item: EvaluationItem,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ account: string; key: string; sha256: string }> {
  const rt = await runtime(env);
  const account = text(item?.account, "account");
  const plan = await planFor(rt, item.evaluation);
  if (plan.header.id !== item.evaluation.id)
    throw new UsageError(
      `event.evaluation.id ${item.evaluation.id} is not what this deployment computes (${plan.header.id}): the code or config changed since the plan`,
      { hint: "start the evaluation again from its plan" },
    );
  if (!plan.scope.accounts.includes(account))
    throw new UsageError(`event.account ${account} is not in the evaluation's accounts`);
  const related = new Map([[account, new Set(strings(item.related, "related") ?? [])]]);
  const partial = await evaluateBatch(plan, [account], related);
  try {
    return { account, ...(await writePartial(rt.store, partial)) };
  } catch (error) {
    // Same inputs, same bytes, same key: a retried item finds its own partial there.
    if (!(error instanceof ObjectExistsError)) throw error;
    const key = error.key;
    return { account, key, sha256: sha256Hex(await rt.store.get(key)) };
  }
}

/**
 * Merge the Map's partials into one signed package, written to reports/<framework>_<period>/<id>/
 * in the evidence bucket (create-only).
 */
export async function mergeHandler(
  event: { evaluationId: string; framework: string; period: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ evaluationId: string; prefix: string; files: number; reportId: string }> {
  const rt = await runtime(env);
  const id = text(event?.evaluationId, "evaluationId");
  const framework = text(event.framework, "framework");
  const period = parsePeriod(text(event.period, "period"), "event.period");
  const catalog = loadCatalog(framework);
  const prefix = partialsPrefix(id);
  const work = await mkdtemp(path.join(tmpdir(), "auditpack-merge-"));
  try {
    const out = path.join(work, "package");
    // The partials spill to /tmp (the function's ephemeral storage) and every output reads them back.
    const built = await mergeFromPartialsStreaming(
      {
        store: rt.store,
        partials: { store: rt.store, prefix, where: `${rt.store.location}/${prefix}` },
        expect: { framework: catalog.framework.id, period: period.label },
        catalog,
        ...(rt.loaded.config.assessment ? { assessment: rt.loaded.config.assessment } : {}),
        trustedKeys: await anchors(rt),
      },
      (findings) =>
        buildReport({
          findings,
          catalog,
          out,
          formats: formatsFor("all"),
          sign: { signer: rt.signer },
          zip: false,
          force: false,
          organisation: rt.loaded.config.organization.name,
          checkInfo: checkInfoFromRegistry,
        }),
    );
    const target = `reports/${catalog.framework.id}_${period.label.replace(/\.\./g, "_to_")}/${id}/`;
    let files = 0;
    for (const name of await listFiles(out)) {
      const bytes = await readFile(path.join(out, name));
      await rt.store.put(`${target}${name}`, bytes, { sha256: sha256Hex(bytes) });
      files++;
    }
    return { evaluationId: id, prefix: target, files, reportId: built.reportId };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
