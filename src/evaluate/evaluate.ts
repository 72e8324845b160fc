import { isHeading, selectRequirements } from "../catalog/load.js";
import type { Catalog, CatalogRequirement } from "../catalog/types.js";
import { getCheck } from "../checks/registry.js";
import type { AnyCheck } from "../checks/types.js";
import { UsageError } from "../errors.js";
import { canonicalJson } from "../evidence/canonical.js";
import { resolveTrust, type TrustAnchor, type TrustSet } from "../evidence/trust.js";
import { type IgnoredRecord, ignoredWarning, loadVouched } from "../evidence/vouched.js";
import { buildHistories } from "../state/build.js";
import type { Histories } from "../state/history.js";
import { RESOURCE_NOUNS, type ResourceType, type StateBase } from "../state/types.js";
import type { EvidenceStore } from "../store/types.js";
import { VERSION } from "../version.js";
import { listAttachments } from "./attach.js";
import { judgeHistory, summarize, worst } from "./intervals.js";
import { isoSeconds, type Period } from "./period.js";
import { discoverScope, HISTORY_COLLECTORS, readEvidence } from "./read.js";
import {
  type CheckResult,
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
  /**
   * Keys whose signed manifests vouch for evidence (the configured signer's, pinned ones). Only
   * records such a manifest lists are read. Without anchors (or a resolved `trust`), the keys the
   * store publishes are trusted as they are: library convenience, not proof of origin.
   */
  trustedKeys?: TrustAnchor[];
  trust?: TrustSet;
}

/** Collectors whose evidence builds each resource type's states. */
const COLLECTORS: Record<ResourceType, string[]> = {
  cognito_user_pool: ["cognito_user_pools", "config_resource_timeline", "cloudtrail_activity"],
  cognito_user_pool_client: ["cognito_user_pools"],
  cloudtrail_trail: ["cloudtrail_trails", "config_resource_timeline", "cloudtrail_activity"],
  cloudtrail_trails: ["cloudtrail_trails", "config_resource_timeline", "cloudtrail_activity"],
  logs_log_group: ["logs_log_groups", "cloudtrail_trails", "config_resource_timeline", "cloudtrail_activity"],
  cloudwatch_security_monitoring: [
    "logs_log_groups",
    "cloudwatch_alarms",
    "config_resource_timeline",
    "cloudtrail_activity",
  ],
  config_service: ["config_recorder", "cloudtrail_activity"],
  config_rule_evaluation: ["config_rule_compliance", "config_resource_timeline"],
};

interface ResolvedCheck {
  check: AnyCheck;
  params: Record<string, unknown>;
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
    resolved.set(
      r.id,
      (r.checks ?? []).map((ref) => resolveCheck(r, framework.id, ref.id, ref.params)),
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
    ...new Set(allChecks.flatMap((c) => COLLECTORS[c.check.resourceType as ResourceType])),
  ].sort();
  const schedule = options.schedule ?? {};
  const holdMs = (collector: string) =>
    ((schedule.collectors?.[collector] ?? schedule.intervalHours ?? 24) + (schedule.slackHours ?? 2)) *
    HOUR_MS;
  const records =
    collectors.length === 0
      ? []
      : await readEvidence(options.store, {
          accounts: scope.accounts,
          regions: scope.regions,
          collectors,
          window,
          now,
          vouched,
          ignored,
        });
  const histories = buildHistories(records, { holdMs, window });

  const memo = new Map<string, CheckResult>();
  const runCheck = (rc: ResolvedCheck): CheckResult => {
    const id = `${rc.check.id}|${canonicalJson(rc.params)}`;
    let result = memo.get(id);
    if (!result) {
      result = evaluateCheck(rc, histories, scope, window, period.pointInTime);
      memo.set(id, result);
    }
    return structuredClone(result);
  };

  const requirements: RequirementResult[] = [];
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
      return result;
    });
    const attachments = await listAttachments(options.store, control, start, period.end.getTime());
    const result: RequirementResult = {
      id: r.id,
      title: r.title,
      description: r.description,
      status: "MANUAL",
      checks,
    };
    if (r.manual) result.manual = r.manual;
    if (r.crosswalk?.length) result.crosswalk = r.crosswalk;
    if (attachments.length) result.attachments = attachments;
    if (checks.length === 0 && isHeading(r)) {
      result.status = "NOT_APPLICABLE"; // settled below from the requirements under it
    } else if (checks.length === 0) {
      result.status = "MANUAL";
      result.reason = attachments.length
        ? `manual: ${attachments.length} attachment${attachments.length === 1 ? "" : "s"} cover the period (${attachments.map((a) => a.fileName).join(", ")}); a person must review ${attachments.length === 1 ? "it" : "them"}`
        : `manual: no evidence is attached for ${period.label}${r.manual?.evidenceHint ? `; attach ${r.manual.evidenceHint}` : ""} (auditpack attach --control ${control} --file ...)`;
    } else {
      result.status = worst(checks.map((c) => c.status)) ?? "ERROR";
      const counts = STATUSES.map((s) => [s, checks.filter((c) => c.status === s).length] as const).filter(
        ([, n]) => n > 0,
      );
      result.reason = `${checks.length} check${checks.length === 1 ? "" : "s"}: ${counts.map(([s, n]) => `${n} ${s}`).join(", ")}`;
    }
    requirements.push(result);
  }

  rollUpHeadings(selected, requirements);

  const sources = new Set(records.map((l) => l.record.source));
  for (const r of requirements) if (r.attachments?.length) sources.add("manual");
  const scenarios = [
    ...new Set(records.map((l) => l.record.scenario).filter((s): s is string => Boolean(s))),
  ].sort();
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
    scope: { accounts: scope.accounts, regions: scope.regions },
    provenance: {
      sources: [...sources].sort() as Findings["provenance"]["sources"],
      demonstration: sources.has("fixture"),
    },
    summary,
    ledger: {
      verified: ignored.length === 0,
      trust: trust.mode,
      trustedKeys: [...trust.keys.keys()].sort(),
      records: records.length,
      ...(ignored.length > 0 ? { warning: ignoredWarning(ignored.length) } : {}),
      ignored: ignored.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    },
    requirements,
  };
  if (scenarios.length) findings.provenance.scenarios = scenarios;
  return findings;
}

/**
 * A heading (no checks, no manual rationale) is assessed through the requirements under it: it takes
 * their worst status. Children come after their parent in catalog order, so walk backwards.
 */
function rollUpHeadings(selected: CatalogRequirement[], results: RequirementResult[]): void {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (let i = selected.length - 1; i >= 0; i--) {
    const req = selected[i]!;
    if (!isHeading(req)) continue;
    const children = selected.filter((c) => c.parent === req.id).map((c) => byId.get(c.id)!);
    const result = byId.get(req.id)!;
    result.status = worst(children.map((c) => c.status)) ?? "MANUAL";
    result.reason = children.length
      ? `assessed through ${children.length} requirement${children.length === 1 ? "" : "s"} under it: ${children.map((c) => `${c.id} ${c.status}`).join(", ")}`
      : "a heading with no requirement under it in this selection";
  }
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
  { check, params }: ResolvedCheck,
  histories: Histories,
  scope: { accounts: string[]; regions: string[] },
  window: { start: number; end: number },
  pointInTime: boolean,
): CheckResult {
  const type = check.resourceType as ResourceType;
  const findings: ResourceFinding[] = [];
  const judge = (state: StateBase) =>
    !check.appliesTo || check.appliesTo(state, params) ? check.evaluate(state, params) : undefined;
  for (const account of scope.accounts) {
    for (const region of scope.regions) {
      const where = `${account}/${region}`;
      const history = histories.get(type, account, region);
      const before = findings.length;
      for (const resource of history?.resources.values() ?? []) {
        const { intervals, judged } = judgeHistory(resource.observations as never, window, judge);
        if (!judged || intervals.length === 0) continue;
        const states = resource.observations
          .map((o) => o.state as StateBase | undefined)
          .filter((s) => s !== undefined);
        const last = states[states.length - 1];
        const place = { resource: states.find((s) => s.arn)?.arn ?? resource.key, name: last?.name };
        findings.push(findingOf({ ...place, account, region }, intervals, pointInTime));
      }
      if (findings.length > before) continue;
      const noun = RESOURCE_NOUNS[type];
      const none = check.whenNone?.(params) ?? {
        status: "NOT_APPLICABLE" as const,
        reason: `no ${noun} here (the evidence lists none)`,
      };
      const markers = history?.markers ?? [];
      let intervals = judgeHistory(markers, window, () => ({
        status: none.status,
        reason: `${where}: ${none.reason}`,
      })).intervals;
      if (markers.length === 0) {
        const needed = COLLECTORS[type].filter((c) => !HISTORY_COLLECTORS.has(c));
        intervals = [
          {
            start: isoSeconds(window.start),
            end: isoSeconds(window.end),
            status: "ERROR",
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
