import { FRAMEWORK_ALIASES, requirementKind, selectRequirements } from "../catalog/load.js";
import type { Catalog, CatalogRequirement } from "../catalog/types.js";
import { getCheck } from "../checks/registry.js";
import type { AnyCheck } from "../checks/types.js";
import { collectorsFor, historyCollectorIds, stateAdapters } from "../collectors/registry.js";
import type { AssessmentConfig } from "../config/assessment.js";
import { UsageError } from "../errors.js";
import { canonicalJson } from "../evidence/canonical.js";
import { resolveTrust, type TrustAnchor, type TrustSet } from "../evidence/trust.js";
import { type IgnoredRecord, ignoredWarning, loadVouched } from "../evidence/vouched.js";
import { buildHistories, type LoadedRecord } from "../state/build.js";
import type { Histories } from "../state/history.js";
import { RESOURCE_NOUNS, type ResourceType, type StateBase } from "../state/types.js";
import type { EvidenceStore } from "../store/types.js";
import { VERSION } from "../version.js";
import { assessAll } from "./assessment.js";
import { notApplicableFor, type RoleSighting, roleSightings, scopeStatement } from "./assessment-scope.js";
import { listAttachments } from "./attach.js";
import { coverageOf } from "./coverage.js";
import { annotateFindings, indexActivityEvents } from "./edge-events.js";
import { relatedAccounts } from "./related-accounts.js";
import { judgeHistory, summarize, worst } from "./intervals.js";
import { isoSeconds, type Period } from "./period.js";
import { inPopulation, type RoleSubject, roleKindOf } from "./population.js";
import { discoverScope, readEvidence } from "./read.js";
import { type RollupNode, rollUp } from "./rollup.js";
import {
  type CheckResult,
  type CoverageEntry,
  type EvidenceRef,
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
   * before the next, so memory follows the largest account rather than the organisation. The
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

/** Evaluate a framework's requirements over a period into Findings (DESIGN.md section 4). */
export async function evaluate(options: EvaluateOptions): Promise<Findings> {
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

  const now = options.now.getTime();
  const start = period.start.getTime();
  // An evaluation during the period stops at now: the rest has not happened yet.
  const end = !period.pointInTime && now > start && now < period.end.getTime() ? now : period.end.getTime();
  const window = { start, end };

  const trust =
    options.trust ??
    (await resolveTrust(options.store, options.trustedKeys ? { anchors: options.trustedKeys } : {}));
  const vouched = await loadVouched(options.store, trust);
  const ignored: IgnoredRecord[] = [];
  const scope =
    options.scope && options.scope.accounts.length > 0 && options.scope.regions.length > 0
      ? options.scope
      : await discoverScope(options.store, vouched);
  const collectors = [
    ...new Set(allChecks.flatMap((c) => collectorsFor(c.check.resourceType as ResourceType))),
  ].sort();
  const schedule = options.schedule ?? {};
  const holdMs = (collector: string) =>
    ((schedule.collectors?.[collector] ?? schedule.intervalHours ?? 24) + (schedule.slackHours ?? 2)) *
    HOUR_MS;
  // One batch of accounts at a time (issue 11): read its records (and those of the accounts its
  // findings depend on), build its histories, run every check over it, keep the findings, drop the
  // rest. Peak memory follows the largest batch, not the organisation.
  const perBatch = options.accountsPerBatch ?? 1;
  if (!(perBatch >= 1) || (!Number.isInteger(perBatch) && perBatch !== Number.POSITIVE_INFINITY))
    throw new UsageError(`accountsPerBatch must be a whole number of accounts, 1 or more (got ${perBatch})`);
  const batches: string[][] = [];
  for (let i = 0; i < scope.accounts.length; i += perBatch)
    batches.push(scope.accounts.slice(i, i + perBatch));
  const related =
    batches.length > 1 && collectors.length > 0
      ? await relatedAccounts(options.store, { ...scope, window, now, vouched })
      : new Map<string, Set<string>>();
  const checkIds = new Map<ResolvedCheck, string>();
  const found = new Map<string, ResourceFinding[]>();
  for (const rc of allChecks) {
    const id = `${rc.check.id}|${canonicalJson(rc.params)}|${rc.population ?? ""}`;
    checkIds.set(rc, id);
    found.set(id, []);
  }
  const distinct = [...new Map(allChecks.map((rc) => [checkIds.get(rc)!, rc])).entries()];
  const coverage: CoverageEntry[] = [];
  const sightings: RoleSighting[] = [];
  const sources = new Set<string>();
  const scenarioNames = new Set<string>();
  let recordCount = 0;
  for (const batch of batches) {
    const own = new Set(batch);
    const needed = new Set(batch.flatMap((a) => [a, ...(related.get(a) ?? [])]));
    const records: LoadedRecord[] = [];
    const scratch: IgnoredRecord[] = []; // a related account's ignored records are its own batch's to report
    // In scope order, account by account, as a whole-scope read would list them.
    for (const account of scope.accounts.filter((a) => needed.has(a))) {
      if (collectors.length === 0) break;
      const read = await readEvidence(options.store, {
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
    const mine = records.filter((l) => own.has(l.record.account));
    recordCount += mine.length;
    for (const l of mine) {
      sources.add(l.record.source);
      if (l.record.scenario) scenarioNames.add(l.record.scenario);
    }
    const histories = buildHistories(records, { holdMs, window, adapters: stateAdapters });
    const batchScope = { accounts: batch, regions: scope.regions };
    const events = indexActivityEvents(records);
    for (const [id, rc] of distinct) {
      const list = checkFindings(rc, histories, batchScope, window, period.pointInTime, options.assessment);
      annotateFindings(list, events);
      found.get(id)!.push(...list);
    }
    coverage.push(...coverageOf(mine, batchScope, window));
    if (options.assessment) sightings.push(...roleSightings(histories, batchScope));
  }
  const runCheck = (rc: ResolvedCheck): CheckResult =>
    checkResult(rc, structuredClone(found.get(checkIds.get(rc)!)!));

  const requirements: RequirementResult[] = [];
  const nodes: RollupNode[] = [];
  const retiredIds = Object.entries(FRAMEWORK_ALIASES)
    .filter(([, alias]) => alias.to === framework.id)
    .map(([id]) => id);
  for (const r of selected) {
    const control = `${framework.id}:${r.id}`;
    const checks = resolved.get(r.id)!.map((rc) => {
      const result = runCheck(rc);
      for (const f of result.findings) {
        applyWaivers(
          f,
          { requirement: control, check: rc.check.id },
          options.waivers ?? [],
          period.end.getTime(),
        );
      }
      result.status = worst(result.findings.map((f) => f.status)) ?? "ERROR";
      if (rc.supporting) result.supporting = true;
      if (rc.population) result.population = rc.population;
      return result;
    });
    const attachments = await listAttachments(
      options.store,
      [control, ...retiredIds.map((id) => `${id}:${r.id}`)],
      start,
      period.end.getTime(),
    );
    const result: RequirementResult = {
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
      checks,
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
  const findings: Findings = {
    schema: "auditpack.findings/v1",
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
      records: recordCount,
      ...(ignored.length > 0 ? { warning: ignoredWarning(ignored.length) } : {}),
      ignored: ignored.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    },
    requirements,
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
  if (findings.length === 0) {
    return {
      id: check.id,
      status: "ERROR",
      parameters: params,
      findings: [
        {
          resource: "(scope)",
          account: "",
          region: "",
          status: "ERROR",
          reason:
            "no account or region in scope: configure scope.accounts and scope.regions or collect evidence first",
          evidence: [],
          intervals: [],
        },
      ],
    };
  }
  return { id: check.id, status: worst(findings.map((f) => f.status))!, parameters: params, findings };
}
