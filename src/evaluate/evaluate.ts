import { FRAMEWORK_ALIASES, requirementKind, selectRequirements } from "../catalog/load.js";
import type { Catalog, CatalogRequirement } from "../catalog/types.js";
import { getCheck } from "../checks/registry.js";
import type { AnyCheck } from "../checks/types.js";
import { collectorsFor, historyCollectorIds, stateAdapters } from "../collectors/registry.js";
import type { AssessmentConfig } from "../config/assessment.js";
import { UsageError, VerificationError } from "../errors.js";
import { canonicalJson } from "../evidence/canonical.js";
import { resolveTrust, type TrustAnchor, type TrustSet } from "../evidence/trust.js";
import { type IgnoredRecord, ignoredWarning, loadVouched, type VouchedRecords } from "../evidence/vouched.js";
import { GarbageCollector } from "../heap.js";
import { buildHistories, type LoadedRecord } from "../state/build.js";
import type { Histories } from "../state/history.js";
import { RESOURCE_NOUNS, type ResourceType, type StateBase } from "../state/types.js";
import type { EvidenceStore } from "../store/types.js";
import { VERSION } from "../version.js";
import { assessAll } from "./assessment.js";
import { notApplicableFor, roleSightings, scopeStatement } from "./assessment-scope.js";
import { listAttachments } from "./attach.js";
import { coverageOf } from "./coverage.js";
import { annotateFindings, indexActivityEvents } from "./edge-events.js";
import { judgeHistory, summarize, worst } from "./intervals.js";
import { Lazy } from "./lazy.js";
import { type EvaluationHeader, evaluationId, type FindingsPartial, PARTIAL_SCHEMA } from "./partial.js";
import { isoSeconds, type Period } from "./period.js";
import { inPopulation, type RoleSubject, roleKindOf } from "./population.js";
import { discoverScope, readEvidence } from "./read.js";
import { relatedAccounts } from "./related-accounts.js";
import { fullyEvidenced, type RollupCheck, type RollupNode, rollUp } from "./rollup.js";
import { type MergeSource, memorySource, SpilledPartials } from "./spill.js";
import {
  type CheckResult,
  type EvidenceRef,
  type EvidenceTableEntry,
  FINDINGS_SCHEMA,
  type Findings,
  type RequirementResult,
  type ResourceFinding,
  STATUSES,
  type Status,
  type StatusInterval,
  type Waiver,
} from "./types.js";
import { applyWaivers } from "./waivers.js";

const HOUR_MS = 3_600_000;

/** How often snapshot collectors run; a snapshot stands for the state until the next is due. */
export interface Schedule {
  /** Default 24 (daily collection). */
  intervalHours?: number;
  /** Late runs tolerated before a gap counts as missing evidence; default 2. */
  slackHours?: number;
  /** Per-collector interval overrides, in hours. */
  collectors?: Record<string, number>;
}

export interface EvaluateOptions {
  store: EvidenceStore;
  catalog: Catalog;
  /** Requirement ids ("8", "10.2"): each with everything under it; all when absent. */
  requirements?: string[];
  period: Period;
  waivers?: Waiver[];
  now: Date;
  schedule?: Schedule;
  /** Accounts and regions to evaluate; discovered from the store's keys when empty. */
  scope?: { accounts: string[]; regions: string[] };
  /** The assessment's scope as data (config `assessment`): entity type, CDE, resource roles. */
  assessment?: AssessmentConfig;
  /**
   * Keys whose signed manifests vouch for evidence (the configured signer's, pinned ones). Only
   * records such a manifest lists are read. Without anchors (or a resolved `trust`), the keys the
   * store publishes are trusted as they are: library convenience, not proof of origin.
   */
  trustedKeys?: TrustAnchor[];
  trust?: TrustSet;
  /**
   * Accounts evaluated together (default 1): each batch's records are read, judged and dropped
   * before the next, so the evidence in memory is the largest account's rather than the organisation's. The
   * findings are the same for any batch size.
   */
  accountsPerBatch?: number;
}

interface ResolvedCheck {
  check: AnyCheck;
  params: Record<string, unknown>;
  /** The requirement's population (a resource role), when its resources have roles. */
  population?: string;
  supporting?: boolean;
}

function resolveCheck(
  requirement: CatalogRequirement,
  framework: string,
  id: string,
  raw: unknown,
): ResolvedCheck {
  const check = getCheck(id);
  const parsed = check.paramsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `catalog ${framework} requirement ${requirement.id}: parameters of check ${id} are invalid: ${issue.path.join(".") || "(params)"}: ${issue.message}`,
    );
  }
  return { check, params: parsed.data as Record<string, unknown> };
}

/** What every batch of one evaluation shares: its resolved checks, window, trust and scope. */
export interface EvaluationPlan {
  header: EvaluationHeader;
  options: EvaluateOptions;
  selected: CatalogRequirement[];
  resolved: Map<string, ResolvedCheck[]>;
  /** Each distinct check once, by its key (check id, parameters, population). */
  distinct: Map<string, ResolvedCheck>;
  keyOf: Map<ResolvedCheck, string>;
  window: { start: number; end: number };
  now: number;
  trust: TrustSet;
  scope: { accounts: string[]; regions: string[] };
  collectors: string[];
  holdMs: (collector: string) => number;
  /** The ledger's vouching, read once when a batch first needs it (a merge never does). */
  vouched: () => Promise<VouchedRecords>;
}

/** Resolve what an evaluation needs before any account is read: checks, window, trust, scope. */
export async function planEvaluation(options: EvaluateOptions): Promise<EvaluationPlan> {
  const { catalog, period } = options;
  const framework = catalog.framework;
  const selected =
    options.requirements && options.requirements.length > 0
      ? selectRequirements(catalog, options.requirements, "--requirements")
      : catalog.requirements;
  const resolved = new Map<string, ResolvedCheck[]>();
  for (const r of selected) {
    // A requirement that does not apply to the entity is not run (its checks would only add noise).
    if (notApplicableFor(r, options.assessment)) {
      resolved.set(r.id, []);
      continue;
    }
    resolved.set(
      r.id,
      (r.checks ?? []).map((ref) => {
        const rc = resolveCheck(r, framework.id, ref.id, ref.params);
        const population =
          r.population !== undefined && roleKindOf(rc.check.resourceType) ? r.population : undefined;
        return {
          ...rc,
          ...(population ? { population } : {}),
          ...(ref.supporting ? { supporting: true } : {}),
        };
      }),
    );
  }
  const allChecks = [...resolved.values()].flat();
  const keyOf = new Map<ResolvedCheck, string>();
  const distinct = new Map<string, ResolvedCheck>();
  for (const rc of allChecks) {
    const key = `${rc.check.id}|${canonicalJson(rc.params)}|${rc.population ?? ""}`;
    keyOf.set(rc, key);
    if (!distinct.has(key)) distinct.set(key, rc);
  }

  const now = options.now.getTime();
  const start = period.start.getTime();
  // An evaluation during the period stops at now: the rest has not happened yet.
  const end = !period.pointInTime && now > start && now < period.end.getTime() ? now : period.end.getTime();

  const trust =
    options.trust ??
    (await resolveTrust(options.store, options.trustedKeys ? { anchors: options.trustedKeys } : {}));
  let vouching: Promise<VouchedRecords> | undefined;
  const vouched = () => {
    vouching ??= loadVouched(options.store, trust);
    return vouching;
  };
  const scope =
    options.scope && options.scope.accounts.length > 0 && options.scope.regions.length > 0
      ? options.scope
      : await discoverScope(options.store, await vouched());
  const schedule = options.schedule ?? {};
  const headerBody = {
    framework: framework.id,
    requirements: options.requirements ?? [],
    period: {
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      label: period.label,
      pointInTime: period.pointInTime,
    },
    scope: { accounts: scope.accounts, regions: scope.regions },
    now: options.now.toISOString(),
    toolVersion: VERSION,
  };
  return {
    header: { id: evaluationId(headerBody), ...headerBody },
    options,
    selected,
    resolved,
    distinct,
    keyOf,
    window: { start, end },
    now,
    trust,
    scope,
    collectors: [
      ...new Set(allChecks.flatMap((c) => collectorsFor(c.check.resourceType as ResourceType))),
    ].sort(),
    holdMs: (collector) =>
      ((schedule.collectors?.[collector] ?? schedule.intervalHours ?? 24) + (schedule.slackHours ?? 2)) *
      HOUR_MS,
    vouched,
  };
}

/** The cross-account index for a plan (related-accounts.ts); empty when one batch holds every account. */
export async function planRelatedAccounts(plan: EvaluationPlan): Promise<Map<string, Set<string>>> {
  if (plan.collectors.length === 0) return new Map();
  return relatedAccounts(plan.options.store, {
    ...plan.scope,
    window: plan.window,
    now: plan.now,
    vouched: await plan.vouched(),
  });
}

/**
 * Evaluate one batch of accounts: read its records (and those of the accounts its findings depend
 * on), build its histories, run every check over it. What it returns is all that is kept.
 */
export async function evaluateBatch(
  plan: EvaluationPlan,
  batch: string[],
  related: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<FindingsPartial> {
  const { scope, window, now, collectors } = plan;
  const own = new Set(batch);
  const needed = new Set(batch.flatMap((a) => [a, ...(related.get(a) ?? [])]));
  const records: LoadedRecord[] = [];
  const ignored: IgnoredRecord[] = [];
  const scratch: IgnoredRecord[] = []; // a related account's ignored records are its own batch's to report
  const vouched = collectors.length > 0 ? await plan.vouched() : undefined;
  // In scope order, account by account, as a whole-scope read would list them.
  for (const account of scope.accounts.filter((a) => needed.has(a))) {
    if (collectors.length === 0) break;
    const read = await readEvidence(plan.options.store, {
      accounts: [account],
      regions: scope.regions,
      collectors,
      window,
      now,
      vouched,
      ignored: own.has(account) ? ignored : scratch,
    });
    for (const loaded of read) records.push(loaded);
  }
  const evidence: EvidenceTableEntry[] = [];
  const sources = new Set<string>();
  const scenarios = new Set<string>();
  const mine = records.filter((l) => own.has(l.record.account));
  for (const l of mine) {
    const { collector, account, region, collectedAt } = l.record;
    evidence.push({ key: l.ref.key, sha256: l.ref.sha256, collector, account, region, collectedAt });
    sources.add(l.record.source);
    if (l.record.scenario) scenarios.add(l.record.scenario);
  }
  const histories = buildHistories(records, { holdMs: plan.holdMs, window, adapters: stateAdapters });
  const batchScope = { accounts: batch, regions: scope.regions };
  const events = indexActivityEvents(records);
  const checks: Record<string, ResourceFinding[]> = {};
  for (const [key, rc] of plan.distinct) {
    const list = checkFindings(
      rc,
      histories,
      batchScope,
      window,
      plan.options.period.pointInTime,
      plan.options.assessment,
    );
    annotateFindings(list, events);
    checks[key] = list;
  }
  return {
    schema: PARTIAL_SCHEMA,
    evaluation: plan.header,
    accounts: batch,
    checks,
    coverage: coverageOf(mine, batchScope, window),
    sightings: plan.options.assessment ? roleSightings(histories, batchScope) : [],
    evidence,
    sources: [...sources].sort(),
    scenarios: [...scenarios].sort(),
    ignored,
  };
}

/** The batches of an evaluation, in scope order, and the cross-account index they need. */
async function planBatches(options: EvaluateOptions) {
  const perBatch = options.accountsPerBatch ?? 1;
  if (!(perBatch >= 1) || (!Number.isInteger(perBatch) && perBatch !== Number.POSITIVE_INFINITY))
    throw new UsageError(`accountsPerBatch must be a whole number of accounts, 1 or more (got ${perBatch})`);
  const plan = await planEvaluation(options);
  const batches: string[][] = [];
  for (let i = 0; i < plan.scope.accounts.length; i += perBatch)
    batches.push(plan.scope.accounts.slice(i, i + perBatch));
  const related = batches.length > 1 ? await planRelatedAccounts(plan) : new Map<string, Set<string>>();
  return { plan, batches, related };
}

/**
 * Evaluate a framework's requirements over a period into Findings (DESIGN.md section 4): one batch
 * of accounts at a time (issue 11), so the evidence and histories in memory are one batch's, not the organisation's,
 * then one merge. The findings are the same for any batch size.
 */
export async function evaluate(options: EvaluateOptions): Promise<Findings> {
  const { plan, batches, related } = await planBatches(options);
  const partials: FindingsPartial[] = [];
  const heap = new GarbageCollector();
  for (const batch of batches) {
    partials.push(await evaluateBatch(plan, batch, related));
    heap.between();
  }
  return mergePartials(plan, partials);
}

/**
 * `evaluate` in bounded memory: each batch's findings are written to a temporary folder as soon as
 * it is judged, and `use` gets Findings whose checks' findings and evidence table are read back
 * from there as they are iterated (writeFindingsJson streams them). The folder is removed when `use`
 * settles. The bytes written are those of `evaluate`'s Findings.
 */
export async function evaluateStreaming<T>(
  options: EvaluateOptions,
  use: (findings: StreamedFindings) => Promise<T>,
): Promise<T> {
  const { plan, batches, related } = await planBatches(options);
  async function* judged(): AsyncGenerator<FindingsPartial> {
    const heap = new GarbageCollector();
    for (const batch of batches) {
      yield await evaluateBatch(plan, batch, related);
      heap.between();
    }
  }
  return mergeStreaming(plan, judged(), use);
}

/**
 * The merge of partials that arrive one at a time (evaluated batches, or partials read from a store
 * by mergeFromPartials): each is checked and spilled to a temporary folder as it comes, and `use`
 * gets findings read back from there as they are iterated. The folder is removed when `use` settles.
 */
export async function mergeStreaming<T>(
  plan: EvaluationPlan,
  partials: AsyncIterable<FindingsPartial>,
  use: (findings: StreamedFindings) => Promise<T>,
): Promise<T> {
  const spill = new SpilledPartials(plan.distinct.keys());
  try {
    for await (const partial of partials) {
      checkPartial(plan, partial);
      spill.add(partial);
    }
    return await use(await mergeSource(plan, spill));
  } finally {
    spill.dispose();
  }
}

/** A partial of this evaluation, with findings for every check it runs (exit 1 naming it otherwise). */
function checkPartial(plan: EvaluationPlan, p: FindingsPartial): void {
  if (p.evaluation.id !== plan.header.id)
    throw new VerificationError(
      `a partial of evaluation ${p.evaluation.id} cannot be merged into evaluation ${plan.header.id}`,
    );
  for (const key of plan.distinct.keys())
    if (!p.checks[key])
      throw new VerificationError(`the partial of ${p.accounts.join(", ")} has no findings for check ${key}`);
}

/** A check's result whose findings are read as they are iterated. */
export type StreamedCheck = Omit<CheckResult, "findings"> & { findings: Lazy<ResourceFinding> };

/** Findings whose checks' findings and evidence table are read as they are iterated (lazy.ts). */
export type StreamedFindings = Omit<Findings, "requirements" | "evidence"> & {
  requirements: Array<Omit<RequirementResult, "checks"> & { checks: StreamedCheck[] }>;
  evidence: Lazy<EvidenceTableEntry>;
};

/**
 * Streamed findings read into memory: what `evaluate` returns. Findings read back from a spill
 * hold a fresh copy of each evidence reference every time it is cited; each record's reference is
 * made one object again (and the evidence table shares its strings), which is most of their memory.
 */
export function materialize(streamed: StreamedFindings): Findings {
  const refs = new Map<string, EvidenceRef>();
  const one = (ref: EvidenceRef) => {
    const known = refs.get(ref.key);
    if (known?.sha256 === ref.sha256) return known;
    if (!known) refs.set(ref.key, ref);
    return ref;
  };
  const shared = (f: ResourceFinding): ResourceFinding => ({
    ...f,
    evidence: f.evidence.map(one),
    intervals: f.intervals.map((i) => ({ ...i, evidence: i.evidence.map(one) })),
  });
  const requirements = streamed.requirements.map((r) => ({
    ...r,
    checks: r.checks.map((c) => ({ ...c, findings: c.findings.toArray().map(shared) })),
  }));
  const evidence = streamed.evidence.toArray().map((e) => {
    const ref = refs.get(e.key);
    return ref?.sha256 === e.sha256 ? { ...e, key: ref.key, sha256: ref.sha256 } : e;
  });
  return { ...streamed, requirements, evidence };
}

/**
 * The findings of an evaluation from its partials (in scope order, every account once: see
 * orderPartials): each check's findings joined, then waivers, attachments, the roll-up and the
 * standard's vocabulary, once. Both the single-machine path and the AWS evaluate Map end here.
 */
export async function mergePartials(
  plan: EvaluationPlan,
  partials: readonly FindingsPartial[],
): Promise<Findings> {
  for (const p of partials) checkPartial(plan, p);
  return materialize(await mergeSource(plan, memorySource(partials)));
}

/** The one finding of a check that had no account or region in scope at all. */
const NO_SCOPE: ResourceFinding = {
  resource: "(scope)",
  account: "",
  region: "",
  status: "ERROR",
  reason:
    "no account or region in scope: configure scope.accounts and scope.regions or collect evidence first",
  evidence: [],
  intervals: [],
};

/**
 * One requirement's use of a check, judged in one pass over its findings with the requirement's
 * waivers applied (each finding copied first: a check's findings are shared by every requirement
 * using it). The roll-up gets the findings it reads (rollup.ts trustedCheckStatus, firstReason): the
 * first of each status and the first PASS one lacking evidence for part of the period.
 */
function judgeCheck(
  rc: ResolvedCheck,
  source: MergeSource,
  key: string,
  waive: (f: ResourceFinding) => ResourceFinding,
): { result: StreamedCheck; rollup: RollupCheck } {
  const findings = new Lazy(function* () {
    let any = false;
    for (const f of source.findingsOf(key)) {
      any = true;
      yield waive(f);
    }
    if (!any) yield waive({ ...NO_SCOPE });
  });
  const statuses = new Set<Status>();
  const read: ResourceFinding[] = [];
  let gapSeen = false;
  for (const f of findings) {
    const first = !statuses.has(f.status);
    statuses.add(f.status);
    const gap = !gapSeen && f.status === "PASS" && !fullyEvidenced(f);
    if (gap) gapSeen = true;
    if (first || gap) read.push(f);
  }
  const status = worst(statuses) ?? "ERROR";
  const result: StreamedCheck = { id: rc.check.id, status, parameters: rc.params, findings };
  if (rc.supporting) result.supporting = true;
  if (rc.population) result.population = rc.population;
  return {
    result,
    rollup: { id: result.id, status, ...(rc.supporting ? { supporting: true } : {}), findings: read },
  };
}

/** The merge proper, over partials in memory or spilled to disk: checks' findings stay lazy. */
async function mergeSource(plan: EvaluationPlan, source: MergeSource): Promise<StreamedFindings> {
  const { options, selected, resolved, scope, trust } = plan;
  const { period } = options;
  const framework = options.catalog.framework;
  const start = plan.window.start;
  const end = plan.window.end;
  const { coverage, sightings, ignored } = source;
  const sources = new Set(source.sources);
  const scenarioNames = new Set(source.scenarios);

  const requirements: StreamedFindings["requirements"] = [];
  const nodes: RollupNode[] = [];
  const retiredIds = Object.entries(FRAMEWORK_ALIASES)
    .filter(([, alias]) => alias.to === framework.id)
    .map(([id]) => id);
  for (const r of selected) {
    const control = `${framework.id}:${r.id}`;
    const judged = resolved.get(r.id)!.map((rc) =>
      judgeCheck(rc, source, plan.keyOf.get(rc)!, (f) => {
        const copy = { ...f };
        applyWaivers(
          copy,
          { requirement: control, check: rc.check.id },
          options.waivers ?? [],
          period.end.getTime(),
        );
        return copy;
      }),
    );
    const checks = judged.map((j) => j.result);
    const attachments = await listAttachments(
      options.store,
      [control, ...retiredIds.map((id) => `${id}:${r.id}`)],
      start,
      period.end.getTime(),
    );
    const result: StreamedFindings["requirements"][number] = {
      id: r.id,
      title: r.title,
      description: r.description,
      status: "MANUAL", // settled by the roll-up below
      checks,
    };
    if (r.manual) result.manual = r.manual;
    if (r.crosswalk?.length) result.crosswalk = r.crosswalk;
    if (attachments.length) result.attachments = attachments;
    if (r.testingProcedures?.length) result.testingProcedures = r.testingProcedures;
    if (r.serviceProviderOnly) result.serviceProviderOnly = true;
    if (r.population) result.population = r.population;
    if (r.applicability) result.applicability = r.applicability;
    requirements.push(result);
    nodes.push({
      id: r.id,
      ...(r.parent !== undefined ? { parent: r.parent } : {}),
      kind: requirementKind(r),
      checks: judged.map((j) => j.rollup),
      ...(notApplicableFor(r, options.assessment)
        ? { notApplicable: notApplicableFor(r, options.assessment) }
        : {}),
      manualReason: attachments.length
        ? `${attachments.length} attachment${attachments.length === 1 ? "" : "s"} (${attachments.map((a) => a.fileName).join(", ")}); a person must review ${attachments.length === 1 ? "it" : "them"}`
        : `no evidence is attached for ${period.label}${r.manual?.evidenceHint ? `; attach ${r.manual.evidenceHint}` : ""} (auditpack attach --control ${control} --file ...)`,
    });
  }

  // One rule for every level (rollup.ts), then the standard's vocabulary beside it (assessment.ts).
  const rolled = rollUp(nodes);
  for (const result of requirements) {
    const r = rolled.get(result.id)!;
    result.status = r.status;
    result.reason = r.reason;
  }
  const assessed = assessAll(
    requirements.map((result, i) => {
      const own = rolled.get(result.id)!.own;
      return {
        id: result.id,
        ...(nodes[i]!.parent !== undefined ? { parent: nodes[i]!.parent } : {}),
        status: result.status,
        reason: result.reason ?? "",
        ...(own !== undefined ? { own } : {}),
        ...(result.attachments ? { attachments: result.attachments } : {}),
      };
    }),
    { start, end: period.end.getTime() },
  );
  for (const result of requirements) result.assessment = assessed.get(result.id)!;

  for (const r of requirements) if (r.attachments?.length) sources.add("manual");
  const scenarios = [...scenarioNames].sort();
  const summary = Object.fromEntries(
    STATUSES.map((s) => [s, requirements.filter((r) => r.status === s).length]),
  ) as Record<Status, number>;
  const findings: StreamedFindings = {
    schema: FINDINGS_SCHEMA,
    framework: { id: framework.id, name: framework.name, version: framework.version },
    period: {
      start: isoSeconds(period.start),
      end: isoSeconds(period.pointInTime ? period.start : end),
      label: period.label,
    },
    generatedAt: options.now.toISOString(),
    toolVersion: VERSION,
    scope: {
      accounts: scope.accounts,
      regions: scope.regions,
      ...(options.assessment
        ? { assessment: scopeStatement(options.assessment, sightings, requirements) }
        : {}),
    },
    provenance: {
      sources: [...sources].sort() as Findings["provenance"]["sources"],
      demonstration: sources.has("fixture"),
    },
    summary,
    coverage,
    ledger: {
      verified: ignored.length === 0,
      trust: trust.mode,
      trustedKeys: [...trust.keys.keys()].sort(),
      records: source.records,
      ...(ignored.length > 0 ? { warning: ignoredWarning(ignored.length) } : {}),
      ignored: [...ignored].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    },
    requirements,
    evidence: new Lazy(() => source.evidence()),
  };
  if (scenarios.length) findings.provenance.scenarios = scenarios;
  return findings;
}

function dedupe(refs: EvidenceRef[]): EvidenceRef[] {
  const map = new Map<string, EvidenceRef>();
  for (const r of refs) if (!map.has(r.key)) map.set(r.key, r);
  return [...map.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A finding over its intervals: the worst status, their summary, and the evidence of all of them. */
function findingOf(
  place: Pick<ResourceFinding, "resource" | "name" | "account" | "region">,
  intervals: StatusInterval[],
  pointInTime: boolean,
): ResourceFinding {
  const status = worst(intervals.map((i) => i.status)) ?? "ERROR";
  return {
    ...place,
    status,
    reason: summarize(intervals, status, pointInTime),
    evidence: dedupe(intervals.flatMap((i) => i.evidence)),
    intervals,
  };
}

/** Run one check over every account and region in scope. */
export function evaluateCheck(
  resolved: ResolvedCheck,
  histories: Histories,
  scope: { accounts: string[]; regions: string[] },
  window: { start: number; end: number },
  pointInTime: boolean,
  assessment?: AssessmentConfig,
): CheckResult {
  return checkResult(resolved, checkFindings(resolved, histories, scope, window, pointInTime, assessment));
}

/** One check's findings over these accounts and regions (one batch of a streaming evaluation). */
function checkFindings(
  { check, params, population }: ResolvedCheck,
  histories: Histories,
  scope: { accounts: string[]; regions: string[] },
  window: { start: number; end: number },
  pointInTime: boolean,
  assessment?: AssessmentConfig,
): ResourceFinding[] {
  const type = check.resourceType as ResourceType;
  const findings: ResourceFinding[] = [];
  // The requirement's population: a resource in another role is out of this check's scope.
  const member = (state: StateBase) =>
    inPopulation(assessment, population, type, state as unknown as RoleSubject);
  const judge = (state: StateBase) =>
    (!check.appliesTo || check.appliesTo(state, params)) && member(state)
      ? check.evaluate(state, params)
      : undefined;
  for (const account of scope.accounts) {
    for (const region of scope.regions) {
      const where = `${account}/${region}`;
      const history = histories.get(type, account, region);
      const before = findings.length;
      const otherRoles: string[] = [];
      for (const resource of history?.resources.values() ?? []) {
        const states = resource.observations
          .map((o) => o.state as StateBase | undefined)
          .filter((s) => s !== undefined);
        if (population && states.length > 0 && !states.some(member)) {
          otherRoles.push(states[states.length - 1]!.name);
          continue;
        }
        const { intervals, judged } = judgeHistory(resource.observations as never, window, judge);
        if (!judged || intervals.length === 0) continue;
        const last = states[states.length - 1];
        const place = { resource: states.find((s) => s.arn)?.arn ?? resource.key, name: last?.name };
        findings.push(findingOf({ ...place, account, region }, intervals, pointInTime));
      }
      if (findings.length > before) continue;
      const noun = RESOURCE_NOUNS[type];
      const none =
        population && otherRoles.length > 0
          ? {
              status: "NOT_APPLICABLE" as const,
              reason: `population empty: no ${noun} in the role ${population} here (${otherRoles.length} in other roles: ${[...new Set(otherRoles)].sort().join(", ")})`,
            }
          : (check.whenNone?.(params) ?? {
              status: "NOT_APPLICABLE" as const,
              reason: `no ${noun} here (the evidence lists none)${population ? `; population: ${population}` : ""}`,
            });
      const markers = history?.markers ?? [];
      let intervals = judgeHistory(markers, window, () => ({
        status: none.status,
        reason: `${where}: ${none.reason}`,
      })).intervals;
      if (markers.length === 0) {
        const needed = collectorsFor(type).filter((c) => !historyCollectorIds.has(c));
        intervals = [
          {
            start: isoSeconds(window.start),
            end: isoSeconds(window.end),
            status: "NOT_COVERED",
            reason: `no evidence from ${needed.join(", ")} for ${where} in the period: ${noun} cannot be assessed`,
            evidence: [],
          },
        ];
      }
      findings.push(
        findingOf(
          { resource: where, name: `(${noun} in ${where})`, account, region },
          intervals,
          pointInTime,
        ),
      );
    }
  }
  return findings;
}

/** A check's result over all its findings; none at all means nothing was in scope. */
function checkResult({ check, params }: ResolvedCheck, findings: ResourceFinding[]): CheckResult {
  if (findings.length === 0)
    return { id: check.id, status: "ERROR", parameters: params, findings: [{ ...NO_SCOPE }] };
  return { id: check.id, status: worst(findings.map((f) => f.status))!, parameters: params, findings };
}
