import { createHash } from "node:crypto";
import type { Catalog } from "../catalog/types.js";
import type { AttestationConfig } from "../config/attestation.js";
import { byKey, uncitedEvidence } from "../evaluate/evidence-table.js";
import type {
  Attachment,
  Basis,
  EvidenceRef,
  FindingsView,
  RequirementResult,
  ResourceFinding,
  Status,
  StatusInterval,
} from "../evaluate/types.js";
import { STATUSES } from "../evaluate/types.js";
import { parseEvidenceKey } from "../evidence/record.js";
import type { CertificateInfo } from "../signing/certificate.js";
import type { SignatureAlgorithm } from "../signing/types.js";
import { type AccountRow, accountRows } from "./accounts.js";
import { type ReportAttestation, resolveAttestation } from "./attestation.js";
import { type CoverageSection, coverageSection } from "./coverage.js";
import { EvidenceIndex } from "./evidence-index.js";
import { type Incident, incidentsOf, type Problem, problemsOf } from "./incidents.js";
import {
  type Branding,
  fillText,
  type Layout,
  paragraphs,
  type ReportTemplate,
  type SectionName,
} from "./templates.js";
import { type VerifyCommand, verifyCommands } from "./verify-text.js";

/**
 * The render-neutral report model: everything the PDF and Excel renderers draw, computed once from
 * Findings + catalog + template. Large row sets (one row per resource, check and interval) are not
 * copied: they are generated on demand, so a 200,000-row evaluation is never held twice.
 */

/** A day's status in a strip: a finding status, WAIVED (a waived failure), or NO_DATA (nothing evaluated). */
export type DayStatus = Status | "WAIVED" | "NO_DATA";
export const DAY_STATUSES: readonly DayStatus[] = [
  "PASS",
  "FAIL",
  "WAIVED",
  "ERROR",
  "NOT_COVERED",
  "MANUAL",
  "NOT_APPLICABLE",
  "NO_DATA",
];
/** Which status a day shows when several resources disagree: the worst wins. */
const DAY_RANK: Record<DayStatus, number> = {
  NO_DATA: 0,
  NOT_APPLICABLE: 1,
  PASS: 2,
  MANUAL: 3,
  NOT_COVERED: 4,
  WAIVED: 5,
  ERROR: 6,
  FAIL: 7,
};

/** DAY_RANK inverted: index = rank. */
const RANKED_DAY_STATUSES: DayStatus[] = (Object.entries(DAY_RANK) as [DayStatus, number][])
  .sort((x, y) => x[1] - y[1])
  .map(([s]) => s);

export const DEMONSTRATION_MARKING = "DEMONSTRATION DATA — not evidence of a real environment";
export const UNVERIFIED_MARKING = "UNVERIFIED EVIDENCE — records not vouched for by the ledger were ignored";

/** One row per resource, check and interval: the Findings sheet, findings.csv. */
export interface FindingRow {
  requirementId: string;
  requirementTitle: string;
  checkId: string;
  resource: string;
  account: string;
  region: string;
  /** The finding's status over the whole period, after waivers. */
  findingStatus: Status;
  start: string;
  end: string;
  /** This interval's status as evaluated (before waivers). */
  status: Status;
  /** A waiver covers this finding. */
  waived: boolean;
  reason: string;
  waiverId?: string;
  evidence: EvidenceRef[];
  /** How this interval is known (absent for NOT_COVERED and ERROR stretches, and older findings). */
  basis?: Basis;
}

/** A list shown in full in Excel and capped in the PDF: `rows` is what the PDF shows of `total`. */
export interface Capped<T> {
  rows: T[];
  total: number;
}

export interface CheckSection {
  id: string;
  title?: string;
  description?: string;
  status: Status;
  /** "minLength=12, requireNumbers=true", or "" when the check takes none. */
  parameters: string;
  /** Collectors whose evidence the check read. */
  collectors: string[];
  resources: number;
  /** Resources whose finding is FAIL or ERROR (after waivers). */
  failing: number;
}

export interface ResourceRow {
  checkId: string;
  resource: string;
  account: string;
  region: string;
  status: Status;
  reason: string;
  intervals: number;
  waiverId?: string;
  /** The status before the waiver. */
  waivedStatus?: Status;
}

export interface WaiverRow {
  id: string;
  requirementId: string;
  checkId: string;
  resource: string;
  account: string;
  region: string;
  originalStatus: Status;
  reason: string;
  approver: string;
  expires: string;
}

export interface EvidenceEntry {
  key: string;
  sha256: string;
  collector: string;
  account: string;
  region: string;
  collectedAt?: string;
  /** Requirement ids that cite this record. */
  requirements: string[];
}

/** A resource whose status changed inside the period (Timeline sheet). */
export interface TimelineChange {
  at: string;
  requirementId: string;
  checkId: string;
  resource: string;
  account: string;
  region: string;
  from: Status;
  to: Status;
  reason: string;
}

export interface RequirementSection {
  id: string;
  title: string;
  status: Status;
  /** What it asks, in our own words. */
  asks: string;
  manual?: { rationale: string; evidenceHint?: string };
  crosswalk: string[];
  checks: CheckSection[];
  strip: DayStatus[];
  /** Days with at least one unwaived FAIL or ERROR. */
  failingDays: number;
  failingIntervals: Capped<FindingRow>;
  findings: Capped<ResourceRow>;
  waivers: Capped<WaiverRow>;
  attachments: Attachment[];
  evidence: Capped<EvidenceEntry>;
  /** The roll-up's one line on the status (findings.json `reason`). */
  reason?: string;
  /** The finding in the standard's vocabulary (In Place, Not Tested, ...). */
  assessment?: RequirementResult["assessment"];
  testingProcedures?: string[];
  serviceProviderOnly?: boolean;
  population?: string;
  /** Keys of every record the requirement cites (uncapped), sorted: the PDF cites them by E-number. */
  citedKeys: string[];
}

export interface RequirementGroup {
  id: string;
  title: string;
  requirements: RequirementSection[];
}

export interface ReportModel {
  reportId: string;
  title: string;
  organisation: string;
  framework: { id: string; name: string; version: string; publisher?: string; url?: string };
  period: { label: string; start: string; end: string };
  scope: { accounts: string[]; regions: string[] };
  generatedAt: string;
  toolVersion: string;
  requirementsInScope: string[];
  /** Set when any evidence came from fixtures: every page and sheet carries the marking. */
  demonstration?: { marking: string; scenarios: string[] };
  /** Set when the evidence did not verify (report --allow-unverified): every page and sheet says so. */
  unverified?: { marking: string; ignored: number; records: Array<{ key: string; reason: string }> };
  branding: Branding;
  logo?: ReportTemplate["logo"];
  sections: SectionName[];
  rowsPerTable: number;
  text: { introduction: string[]; methodology: string[]; attestation: string[]; verification: string[] };
  verification: {
    algorithm?: SignatureAlgorithm;
    keyId?: string;
    pdfSigned: boolean;
    commands: VerifyCommand[];
  };
  summary: {
    requirementCounts: Record<Status, number>;
    /** Resource findings by status (after waivers). */
    findingCounts: Record<Status, number>;
    waivedFindings: number;
    /** Number of finding rows (resource x check x interval). */
    findingRows: number;
    /** UTC dates (YYYY-MM-DD) of the strip's days. */
    days: string[];
  };
  groups: RequirementGroup[];
  /** Every evidence record read, E-numbered in key order (the uncited ones read again on each pass). */
  evidenceIndex: EvidenceIndex;
  waivers: WaiverRow[];
  /** The assessment's stated scope (config `assessment`), when given. */
  scopeStatement?: FindingsView["scope"]["assessment"];
  /**
   * How each part of the period is known, per account and region: observed, reconstructed from AWS
   * Config or CloudTrail history, not covered, not read (from the intervals and findings.coverage).
   */
  coverage: CoverageSection;
  /** Results by account, worst first (every account: the PDF shows rowsPerTable of them). */
  accounts: AccountRow[];
  /** Incident cards: every failing stretch, merged, with the events and evidence of its edges. */
  incidents: Incident[];
  /** The root-cause view: failing findings grouped by check and resource, with every requirement affected. */
  problems: Problem[];
  /** Who attests the package, and the certificate that signs its PDFs (attestation.ts). */
  attestation: ReportAttestation;
  findingRows(): Iterable<FindingRow>;
  timeline(): Iterable<TimelineChange>;
}

export interface CheckInfo {
  title: string;
  description?: string;
  severity?: string;
}

export interface ReportModelInput {
  findings: FindingsView;
  catalog?: Catalog;
  template: ReportTemplate;
  /** Organisation name from the config; the template's branding.organisation wins when set. */
  organisation?: string;
  /** Check titles and descriptions (the check registry). */
  checkInfo?: (checkId: string) => CheckInfo | undefined;
  verification?: { algorithm?: SignatureAlgorithm; keyId?: string; pdfSigned?: boolean };
  /** Which outputs the package holds, for the verification commands. */
  hasPdf?: boolean | readonly string[];
  /** The config's `attestation`: who signs the assertions. */
  attestation?: AttestationConfig;
  /** The certificate that signs the PDFs (signing/certificate.ts p12Certificate). */
  certificate?: CertificateInfo;
  /** The PDF signature's signing time (ISO 8601 UTC). */
  signingTime?: string;
}

const DAY_MS = 86_400_000;
const FAILING: ReadonlySet<Status> = new Set<Status>(["FAIL", "ERROR"]);

export function buildReportModel(input: ReportModelInput): ReportModel {
  const { findings, template } = input;
  const cap = template.layout.rowsPerTable;
  const days = periodDays(findings.period.start, findings.period.end);
  const firstDay = days.length > 0 ? days[0]! / DAY_MS : 0;
  const catalogById = new Map((input.catalog?.requirements ?? []).map((r) => [r.id, r]));
  const evidence = new Map<string, EvidenceEntry>();
  const allWaivers: WaiverRow[] = [];
  const findingCounts = zeroCounts();
  const requirementCounts = zeroCounts();
  let waivedFindings = 0;
  let findingRows = 0;

  const sections = findings.requirements.map((req): RequirementSection => {
    requirementCounts[req.status] += 1;
    const catalogEntry = catalogById.get(req.id);
    const ranks = new Uint8Array(days.length).fill(
      req.status === "MANUAL" ? DAY_RANK.MANUAL : DAY_RANK.NO_DATA,
    );
    const failing: FindingRow[] = [];
    let failingTotal = 0;
    const notPassing: ResourceRow[] = [];
    const passing: ResourceRow[] = [];
    let resourceTotal = 0;
    const waivers: WaiverRow[] = [];
    const sectionEvidence = new Map<string, EvidenceEntry>();
    const cite = (ref: EvidenceRef) => {
      let entry = evidence.get(ref.key);
      if (!entry) {
        entry = evidenceEntry(ref);
        evidence.set(ref.key, entry);
      }
      if (
        entry.requirements[entry.requirements.length - 1] !== req.id &&
        !entry.requirements.includes(req.id)
      ) {
        entry.requirements.push(req.id);
      }
      sectionEvidence.set(ref.key, entry);
      return entry;
    };

    const checks = req.checks.map((check): CheckSection => {
      const collectors = new Set<string>();
      let failingResources = 0;
      let applicable = 0;
      for (const f of check.findings) {
        findingCounts[f.status] += 1;
        resourceTotal += 1;
        if (f.status !== "NOT_APPLICABLE") applicable += 1;
        if (FAILING.has(f.status)) failingResources += 1;
        const bucket = f.status === "PASS" && !f.waiver ? passing : notPassing;
        if (bucket.length < cap) {
          bucket.push({
            checkId: check.id,
            resource: f.resource,
            account: f.account,
            region: f.region,
            status: f.status,
            reason: f.reason,
            intervals: f.intervals.length,
            ...(f.waiver ? { waiverId: f.waiver.id, waivedStatus: f.waiver.originalStatus } : {}),
          });
        }
        if (f.waiver) {
          waivedFindings += 1;
          const w: WaiverRow = {
            id: f.waiver.id,
            requirementId: req.id,
            checkId: check.id,
            resource: f.resource,
            account: f.account,
            region: f.region,
            originalStatus: f.waiver.originalStatus,
            reason: f.waiver.reason,
            approver: f.waiver.approver,
            expires: f.waiver.expires,
          };
          waivers.push(w);
          allWaivers.push(w);
        }
        for (const ref of f.evidence) collectors.add(cite(ref).collector);
        // Plain loops, no row objects: this runs once per interval of a large evaluation.
        if (f.intervals.length === 0) findingRows += 1;
        for (const interval of f.intervals) {
          findingRows += 1;
          for (const ref of interval.evidence) collectors.add(cite(ref).collector);
          const failingInterval = FAILING.has(interval.status);
          const rank = failingInterval && f.waiver ? DAY_RANK.WAIVED : DAY_RANK[interval.status];
          markDays(ranks, firstDay, interval.start, interval.end, rank);
          if (failingInterval) {
            failingTotal += 1;
            if (failing.length < cap) failing.push(findingRow(req, check.id, f, interval));
          }
        }
      }
      const info = input.checkInfo?.(check.id);
      const params = check.parameters ?? catalogEntry?.checks?.find((c) => c.id === check.id)?.params;
      return {
        id: check.id,
        ...(info?.title ? { title: info.title } : {}),
        ...(info?.description ? { description: info.description } : {}),
        status: check.status,
        parameters: formatParameters(params),
        collectors: [...collectors].sort(),
        // "failing 2 of 4": resources the check applies to; NOT_APPLICABLE rows are no part of the count.
        resources: applicable,
        failing: failingResources,
      };
    });
    const strip = Array.from(ranks, (r) => RANKED_DAY_STATUSES[r]!);
    for (const a of req.attachments ?? []) {
      cite({ key: a.key, sha256: a.sha256, collectedAt: a.attachedAt, collector: "manual" });
    }
    if (req.status !== "MANUAL" && checks.length > 0 && checks.every((c) => c.status === "NOT_APPLICABLE")) {
      strip.fill("NOT_APPLICABLE");
    }
    const sectionEvidenceRows = [...sectionEvidence.values()].sort(byKey);
    return {
      id: req.id,
      title: req.title,
      status: req.status,
      asks: req.description ?? catalogEntry?.description ?? req.title,
      ...((req.manual ?? catalogEntry?.manual) ? { manual: req.manual ?? catalogEntry?.manual } : {}),
      crosswalk: req.crosswalk ?? catalogEntry?.crosswalk ?? [],
      checks,
      strip,
      failingDays: strip.filter((d) => d === "FAIL" || d === "ERROR").length,
      failingIntervals: { rows: failing.sort((a, b) => a.start.localeCompare(b.start)), total: failingTotal },
      findings: { rows: [...notPassing, ...passing].slice(0, cap), total: resourceTotal },
      waivers: { rows: waivers.slice(0, cap), total: waivers.length },
      attachments: req.attachments ?? [],
      evidence: { rows: sectionEvidenceRows.slice(0, cap), total: sectionEvidenceRows.length },
      ...(req.reason ? { reason: req.reason } : {}),
      ...(req.assessment ? { assessment: req.assessment } : {}),
      ...(req.testingProcedures ? { testingProcedures: req.testingProcedures } : {}),
      ...(req.serviceProviderOnly ? { serviceProviderOnly: true } : {}),
      ...(req.population ? { population: req.population } : {}),
      citedKeys: sectionEvidenceRows.map((e) => e.key),
    };
  });

  rollUpHeadings(sections);
  const organisation = template.branding.organisation || input.organisation || "Unnamed organisation";
  const frameworkTitle = `${findings.framework.name} v${findings.framework.version}`;
  const reportId = reportIdOf(findings);
  const placeholders: Record<string, string> = {
    organisation,
    framework: frameworkTitle,
    period: findings.period.label,
    periodStart: findings.period.start.slice(0, 10),
    periodEnd: lastDayOf(findings.period.end),
    reportId,
    toolVersion: findings.toolVersion,
  };
  const text = (block: string) => paragraphs(fillText(block, placeholders));
  const algorithm = input.verification?.algorithm;
  const catalogFramework = input.catalog?.framework;

  return {
    reportId,
    title: `${frameworkTitle} compliance report`,
    organisation,
    framework: {
      ...findings.framework,
      ...(catalogFramework ? { publisher: catalogFramework.publisher, url: catalogFramework.url } : {}),
    },
    period: findings.period,
    scope: findings.scope,
    generatedAt: findings.generatedAt,
    toolVersion: findings.toolVersion,
    requirementsInScope: findings.requirements.map((r) => r.id),
    ...(findings.provenance.demonstration
      ? { demonstration: { marking: DEMONSTRATION_MARKING, scenarios: findings.provenance.scenarios ?? [] } }
      : {}),
    ...(findings.ledger?.unverifiedAllowed
      ? {
          unverified: {
            marking: UNVERIFIED_MARKING,
            ignored: findings.ledger.ignored.length,
            records: findings.ledger.ignored,
          },
        }
      : {}),
    branding: template.branding,
    ...(template.logo ? { logo: template.logo } : {}),
    sections: template.layout.sections,
    rowsPerTable: cap,
    text: {
      introduction: text(template.text.introduction),
      methodology: text(template.text.methodology),
      attestation: text(template.text.attestation),
      verification: text(template.text.verification),
    },
    verification: {
      ...(algorithm ? { algorithm } : {}),
      ...(input.verification?.keyId ? { keyId: input.verification.keyId } : {}),
      pdfSigned: input.verification?.pdfSigned ?? false,
      commands: verifyCommands(algorithm, input.hasPdf ?? true),
    },
    summary: {
      requirementCounts,
      findingCounts,
      waivedFindings,
      findingRows,
      days: days.map((d) => new Date(d).toISOString().slice(0, 10)),
    },
    groups: groupSections(sections, template.layout),
    evidenceIndex: withStretchEvidence(evidence, findings),
    waivers: allWaivers,
    ...(findings.scope.assessment ? { scopeStatement: findings.scope.assessment } : {}),
    coverage: coverageSection(findings),
    accounts: accountRows(findings),
    incidents: incidentsOf(findings, { severityOf: (id) => input.checkInfo?.(id)?.severity }),
    problems: problemsOf(findings, { severityOf: (id) => input.checkInfo?.(id)?.severity }),
    attestation: resolveAttestation({
      ...(input.attestation ? { config: input.attestation } : {}),
      text: template.text,
      placeholders,
      lastDay: lastDayOf(findings.period.end),
      ...(input.certificate ? { certificate: input.certificate } : {}),
      ...(input.signingTime ? { signedAt: input.signingTime } : {}),
    }),
    findingRows: () => allFindingRows(findings),
    timeline: () => timelineOf(findings),
  };
}

/**
 * The day strips follow the roll-up rule of src/evaluate/rollup.ts: a parent's day is the most
 * severe of its own (when it has checks) and its sub-requirements' days, so a parent never shows a
 * better day than a child. Deepest first, so "8" sees "8.3" already rolled up.
 */
function rollUpHeadings(sections: RequirementSection[]): void {
  const depth = (id: string) => id.split(".").length;
  for (const heading of [...sections].sort((a, b) => depth(b.id) - depth(a.id))) {
    const prefix = `${heading.id}.`;
    const descendants = sections.filter((s) => s.id.startsWith(prefix));
    const direct = descendants.filter((s) => depth(s.id) === depth(heading.id) + 1);
    const children = direct.length > 0 ? direct : descendants;
    if (children.length === 0) continue;
    const own = heading.checks.length > 0;
    heading.strip = heading.strip.map((mine, d) =>
      children.reduce<DayStatus>(
        (worst, c) => {
          const day = c.strip[d] ?? "NO_DATA";
          return DAY_RANK[day] > DAY_RANK[worst] ? day : worst;
        },
        own ? mine : "NO_DATA",
      ),
    );
    heading.failingDays = heading.strip.filter((d) => d === "FAIL" || d === "ERROR").length;
  }
}

function findingRow(
  req: Pick<RequirementResult, "id" | "title">,
  checkId: string,
  f: ResourceFinding,
  i: StatusInterval,
): FindingRow {
  return {
    requirementId: req.id,
    requirementTitle: req.title,
    checkId,
    resource: f.resource,
    account: f.account,
    region: f.region,
    findingStatus: f.status,
    waived: f.waiver !== undefined,
    ...(f.waiver ? { waiverId: f.waiver.id } : {}),
    start: i.start,
    end: i.end,
    status: i.status,
    reason: i.reason,
    evidence: i.evidence,
    ...(i.basis ? { basis: i.basis } : {}),
  };
}

/** Rows of one finding: one per interval, or one for the whole period when it has none. */
function rowsOf(
  req: Pick<RequirementResult, "id" | "title">,
  checkId: string,
  f: ResourceFinding,
): FindingRow[] {
  if (f.intervals.length === 0) {
    const whole = {
      start: "",
      end: "",
      status: f.waiver?.originalStatus ?? f.status,
      reason: f.reason,
      evidence: f.evidence,
    };
    return [findingRow(req, checkId, f, whole)];
  }
  return f.intervals.map((i) => findingRow(req, checkId, f, i));
}

function* allFindingRows(findings: FindingsView): Iterable<FindingRow> {
  for (const req of findings.requirements)
    for (const check of req.checks) for (const f of check.findings) yield* rowsOf(req, check.id, f);
}

function* timelineOf(findings: FindingsView): Iterable<TimelineChange> {
  for (const req of findings.requirements)
    for (const check of req.checks)
      for (const f of check.findings)
        for (let i = 1; i < f.intervals.length; i++) {
          const prev = f.intervals[i - 1]!;
          const cur = f.intervals[i]!;
          if (prev.status === cur.status) continue;
          yield {
            at: cur.start,
            requirementId: req.id,
            checkId: check.id,
            resource: f.resource,
            account: f.account,
            region: f.region,
            from: prev.status,
            to: cur.status,
            reason: cur.reason,
          };
        }
}

/** Start instants (ms) of each UTC day the period touches. */
export function periodDays(start: string, end: string): number[] {
  const s = Date.parse(start);
  const e = Date.parse(end);
  if (!Number.isFinite(s) || !Number.isFinite(e) || e <= s) return [];
  const first = Math.floor(s / DAY_MS) * DAY_MS;
  const out: number[] = [];
  // Bounded: a period of more than ~10 years is not a report period.
  for (let d = first; d < e && out.length < 4000; d += DAY_MS) out.push(d);
  return out;
}

/** Raise each day the interval touches to at least `rank`. */
function markDays(ranks: Uint8Array, firstDay: number, start: string, end: string, rank: number): void {
  const n = ranks.length;
  if (!start || !end || n === 0) return;
  const s = Date.parse(start);
  const e = Date.parse(end);
  if (!Number.isFinite(s) || !Number.isFinite(e)) return;
  const from = Math.max(0, Math.floor(s / DAY_MS) - firstDay);
  // An interval ending exactly at midnight does not touch the next day; an instant still marks its own.
  const to = Math.min(n - 1, Math.max(Math.ceil(e / DAY_MS) - 1, Math.floor(s / DAY_MS)) - firstDay);
  for (let d = from; d <= to; d++) if (ranks[d]! < rank) ranks[d] = rank;
}

/**
 * Every record the evaluation read: the cited ones, then the snapshots inside stretches that only
 * the findings' evidence table lists (v2), under the requirements whose stretches they sit in.
 */
function withStretchEvidence(cited: Map<string, EvidenceEntry>, findings: FindingsView): EvidenceIndex {
  const uncited = uncitedEvidence(findings);
  return new EvidenceIndex(cited.values(), {
    *[Symbol.iterator]() {
      for (const { entry, citedBy } of uncited)
        yield { ...entry, requirements: [...new Set(citedBy.map((c) => c.requirement))] };
    },
  });
}

function evidenceEntry(ref: EvidenceRef): EvidenceEntry {
  const parsed = parseEvidenceKey(ref.key);
  const collectedAt = ref.collectedAt ?? parsed?.collectedAt;
  return {
    key: ref.key,
    sha256: ref.sha256,
    collector: ref.collector ?? parsed?.collector ?? "",
    account: parsed?.account ?? "",
    region: parsed?.region ?? "",
    ...(collectedAt ? { collectedAt } : {}),
    requirements: [],
  };
}

function groupSections(sections: RequirementSection[], layout: Layout): RequirementGroup[] {
  const titles = new Map(layout.groups.map((g) => [g.id, g.title]));
  const order = new Map(layout.groups.map((g, i) => [g.id, i]));
  const groups = new Map<string, RequirementGroup>();
  for (const s of sections) {
    const id = s.id.split(".")[0] ?? s.id;
    let group = groups.get(id);
    if (!group) {
      group = { id, title: titles.get(id) ?? `Requirement ${id}`, requirements: [] };
      groups.set(id, group);
    }
    group.requirements.push(s);
  }
  // Layout order first, then the standard's numbering.
  return [...groups.values()].sort(
    (a, b) =>
      (order.get(a.id) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.id) ?? Number.MAX_SAFE_INTEGER) ||
      compareIds(a.id, b.id),
  );
}

/** "8.3.10" after "8.3.9": numeric segment by segment. */
export function compareIds(a: string, b: string): number {
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const diff = Number(x) - Number(y);
    if (Number.isFinite(diff) && diff !== 0) return diff;
    const text = x.localeCompare(y);
    if (text !== 0) return text;
  }
  return 0;
}

export function formatParameters(params: Record<string, unknown> | undefined): string {
  if (!params) return "";
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

/** A stable id: the same findings give the same report id. */
export function reportIdOf(findings: FindingsView): string {
  const h = createHash("sha256")
    .update(
      JSON.stringify([
        findings.framework.id,
        findings.period,
        findings.generatedAt,
        findings.scope,
        findings.summary,
        findings.requirements.map((r) => [r.id, r.status]),
      ]),
    )
    .digest("hex")
    .slice(0, 10)
    .toUpperCase();
  return `AP-${findings.period.label.replace(/[^0-9A-Za-z]/g, "")}-${h}`;
}

/** The last day inside an end-exclusive period: "2026-10-01T00:00:00Z" -> "2026-09-30". */
export function lastDayOf(endIso: string): string {
  const t = Date.parse(endIso);
  return Number.isFinite(t) ? new Date(t - 1).toISOString().slice(0, 10) : endIso;
}

function zeroCounts(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}
