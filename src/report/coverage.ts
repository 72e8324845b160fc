import type { CoverageEntry, FindingsView, StatusInterval } from "../evaluate/types.js";

/**
 * The report's coverage section (issue 10): per account and region, how each part of the period is
 * known — observed by auditpack, reconstructed from AWS Config or CloudTrail history, not covered,
 * or not read — measured over the time each check watched each resource, with the evidence behind
 * it (findings.coverage) and the stretches nothing covers. Render-neutral: the PDFs and the
 * workbook draw it from here.
 */

export const KNOWN_BY = [
  "observed",
  "config-timeline",
  "inferred-from-activity",
  "not-covered",
  "not-read",
  "unstated",
] as const;
export type KnownBy = (typeof KNOWN_BY)[number];

/** Column labels and the legend's meaning of each, in words an assessor can check against the evidence. */
export const KNOWN_BY_LABEL: Record<KnownBy, string> = {
  observed: "Observed",
  "config-timeline": "AWS Config history",
  "inferred-from-activity": "CloudTrail history",
  "not-covered": "Not covered",
  "not-read": "Not read",
  unstated: "Basis not recorded",
};
export const KNOWN_BY_MEANING: Record<KnownBy, string> = {
  observed:
    "auditpack read the setting from AWS at the time: a collection snapshot, or a time AWS itself reported (a trail's StartLoggingTime or StopLoggingTime, a recorder's last start or stop).",
  "config-timeline":
    "Reconstructed from AWS Config configuration items, which AWS recorded each time the resource changed.",
  "inferred-from-activity":
    "Reconstructed from CloudTrail management events: a known value carried across a stretch that the events cover completely with no event able to change it, or fixed by the event that changed it (for example StopLogging).",
  "not-covered":
    "No evidence exists and none can be obtained: auditpack was not yet collecting and AWS keeps no history of the setting. Reported as NOT COVERED, never as a pass.",
  "not-read":
    "Evidence that should exist could not be read (access denied, throttling, a failed page). Reported as ERROR.",
  unstated: "Evaluated by an auditpack version that did not record how each interval is known.",
};

export interface CoverageGap {
  start: string;
  end: string;
  /** Checks with a NOT_COVERED stretch exactly here, and on how many resources. */
  checks: Array<{ checkId: string; resources: number }>;
}

export interface CoverageRow {
  account: string;
  region: string;
  /** Seconds of check-on-resource time in the period, by how they are known. */
  seconds: Record<KnownBy, number>;
  /** The same as shares of the row's total, in percent (0 when the row has no timed finding). */
  percent: Record<KnownBy, number>;
  /** (check, resource) pairs with a timed finding here. */
  findings: number;
  /** Of those, the ones with a NOT_COVERED stretch. */
  notCoveredFindings: number;
  /** NOT_COVERED stretches, by start. */
  gaps: CoverageGap[];
  /** The evidence this account and region holds (findings.coverage), when the findings carry it. */
  sources?: CoverageEntry;
  /** Plain words: what evidence covers the period here, from when, and what nothing covers. */
  text: string;
}

export interface CoverageSection {
  /** One per account and region, sorted. */
  rows: CoverageRow[];
  /** All rows together. */
  total: Pick<CoverageRow, "seconds" | "percent" | "findings" | "notCoveredFindings">;
  /** One paragraph on the whole period. */
  statement: string;
}

type Seconds = Record<KnownBy, number>;
const zero = (): Seconds => Object.fromEntries(KNOWN_BY.map((k) => [k, 0])) as Seconds;

function knownBy(i: StatusInterval): KnownBy {
  if (i.basis) return i.basis.kind;
  if (i.status === "NOT_COVERED") return "not-covered";
  if (i.status === "ERROR") return "not-read";
  return "unstated";
}

function percentOf(seconds: Seconds): Seconds {
  const sum = KNOWN_BY.reduce((n, k) => n + seconds[k], 0);
  const out = zero();
  if (sum > 0) for (const k of KNOWN_BY) out[k] = (100 * seconds[k]) / sum;
  return out;
}

/** "63.2%", "<0.1%" for a share too small to round to one, "0%" for none, "100%" for all. */
export function percentText(p: number): string {
  if (p === 0) return "0%";
  if (p === 100) return "100%";
  if (p < 0.05) return "<0.1%";
  if (p > 99.95) return ">99.9%";
  return `${p.toFixed(1)}%`;
}

/** "2026-10-28T09:26:51Z" -> "2026-10-28 09:26:51 UTC"; whole minutes drop the seconds, midnight prints the day alone. */
export function whenText(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const seconds = m[3] && m[3] !== "00" ? `:${m[3]}` : "";
  return m[2] === "00:00" && !seconds ? m[1]! : `${m[1]} ${m[2]}${seconds} UTC`;
}

const RESOURCE_TYPE_WORDS: Record<string, string> = {
  "AWS::Cognito::UserPool": "Cognito user pools",
  "AWS::CloudTrail::Trail": "CloudTrail trails",
  "AWS::Logs::LogGroup": "CloudWatch Logs log groups",
  "AWS::CloudWatch::Alarm": "CloudWatch alarms",
  "AWS::Config::ConfigurationRecorder": "Config recorders",
  "AWS::Config::ResourceCompliance": "Config rule compliance",
};

export function resourceTypeWords(types: readonly string[]): string {
  return types.map((t) => RESOURCE_TYPE_WORDS[t] ?? t).join(", ");
}

/** The coverage section of a report, from the findings' intervals and findings.coverage. */
export function coverageSection(findings: FindingsView): CoverageSection {
  const start = Date.parse(findings.period.start);
  const end = Date.parse(findings.period.end);
  const rows = new Map<string, CoverageRow>();
  const rowOf = (account: string, region: string): CoverageRow => {
    const key = `${account}\u0000${region}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        account,
        region,
        seconds: zero(),
        percent: zero(),
        findings: 0,
        notCoveredFindings: 0,
        gaps: [],
        text: "",
      };
      rows.set(key, row);
    }
    return row;
  };
  for (const c of findings.coverage ?? []) rowOf(c.account, c.region).sources = c;

  // A check on a resource serves several requirements with the same intervals: count it once.
  const seen = new Set<string>();
  const gaps = new Map<CoverageRow, Map<string, Map<string, Set<string>>>>();
  for (const req of findings.requirements)
    for (const check of req.checks)
      for (const f of check.findings) {
        if (f.intervals.length === 0) continue;
        const key = `${check.id}\u0000${f.account}\u0000${f.region}\u0000${f.resource}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const row = rowOf(f.account, f.region);
        row.findings += 1;
        let uncovered = false;
        for (const i of f.intervals) {
          const s = Math.max(start, Date.parse(i.start));
          const e = Math.min(end, Date.parse(i.end));
          if (!(e > s)) continue;
          const kind = knownBy(i);
          row.seconds[kind] += (e - s) / 1000;
          if (kind !== "not-covered") continue;
          uncovered = true;
          const byStretch = gaps.get(row) ?? new Map<string, Map<string, Set<string>>>();
          gaps.set(row, byStretch);
          const stretch = `${i.start}\u0000${i.end}`;
          const byCheck = byStretch.get(stretch) ?? new Map<string, Set<string>>();
          byStretch.set(stretch, byCheck);
          const resources = byCheck.get(check.id) ?? new Set<string>();
          byCheck.set(check.id, resources);
          resources.add(f.resource);
        }
        if (uncovered) row.notCoveredFindings += 1;
      }

  const sorted = [...rows.values()].sort((a, b) =>
    a.account === b.account ? a.region.localeCompare(b.region) : a.account.localeCompare(b.account),
  );
  for (const row of sorted) {
    row.percent = percentOf(row.seconds);
    row.gaps = [...(gaps.get(row) ?? new Map()).entries()]
      .map(([stretch, byCheck]) => {
        const [s, e] = stretch.split("\u0000") as [string, string];
        return {
          start: s,
          end: e,
          checks: [...byCheck.entries()]
            .map(([checkId, resources]) => ({ checkId, resources: resources.size }))
            .sort((a, b) => a.checkId.localeCompare(b.checkId)),
        };
      })
      .sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end));
    row.text = rowText(row, findings.period);
  }
  const total = aggregate(sorted);
  return { rows: sorted, total, statement: statement(sorted.length, total) };
}

function aggregate(rows: readonly CoverageRow[]): CoverageSection["total"] {
  const seconds = zero();
  for (const r of rows) for (const k of KNOWN_BY) seconds[k] += r.seconds[k];
  return {
    seconds,
    percent: percentOf(seconds),
    findings: rows.reduce((n, r) => n + r.findings, 0),
    notCoveredFindings: rows.reduce((n, r) => n + r.notCoveredFindings, 0),
  };
}

/**
 * At most `max` rows for a table that must stay bounded: the rows with the most time not covered or
 * not read, in account and region order, and the others summed into one line.
 */
export function cappedCoverage(
  rows: readonly CoverageRow[],
  max: number,
): { rows: CoverageRow[]; rest?: CoverageRow & { pairs: number } } {
  if (rows.length <= max) return { rows: [...rows] };
  const weak = (r: CoverageRow) => r.seconds["not-covered"] + r.seconds["not-read"];
  const keep = new Set([...rows].sort((a, b) => weak(b) - weak(a)).slice(0, max));
  const others = rows.filter((r) => !keep.has(r));
  const sum = aggregate(others);
  return {
    rows: rows.filter((r) => keep.has(r)),
    rest: {
      account: `${others.length} more account/region pair(s)`,
      region: "",
      ...sum,
      gaps: [],
      pairs: others.length,
      text:
        sum.seconds["not-covered"] + sum.seconds["not-read"] === 0
          ? "Every second of their finding time is observed or reconstructed from AWS history."
          : `${percentText(sum.percent["not-covered"])} of their finding time is not covered and ${percentText(sum.percent["not-read"])} was not read; the workbook (sheet Coverage) lists each.`,
    },
  };
}

function spansText(spans: ReadonlyArray<{ start: string; end: string }>, periodEnd: string): string {
  return spans
    .map((s) => `${whenText(s.start)} to ${s.end === periodEnd ? "the period end" : whenText(s.end)}`)
    .join(", ");
}

function rowText(row: CoverageRow, period: FindingsView["period"]): string {
  const out: string[] = [];
  const c = row.sources;
  if (c) {
    if (!c.snapshots.first) out.push("auditpack collected no snapshot here in the period.");
    else if (Date.parse(c.snapshots.first) > Date.parse(period.start))
      out.push(
        `auditpack's first collection here was ${whenText(c.snapshots.first)} (${c.snapshots.count} record(s)); nothing earlier was collected, so the time before it rests on AWS history.`,
      );
    else
      out.push(
        `auditpack collected ${c.snapshots.count} snapshot record(s) here from ${whenText(c.snapshots.first)} to ${whenText(c.snapshots.last ?? c.snapshots.first)}.`,
      );
    out.push(
      c.activity.length > 0
        ? `CloudTrail management events cover ${spansText(c.activity, period.end)} completely${Date.parse(c.activity[0]!.start) > Date.parse(period.start) ? " (LookupEvents keeps 90 days, or collection began then)" : ""}.`
        : "No CloudTrail management events were read: changes between snapshots cannot be timed.",
    );
    out.push(
      c.configTimeline.spans.length > 0
        ? `AWS Config history covers ${spansText(c.configTimeline.spans, period.end)} for ${resourceTypeWords(c.configTimeline.resourceTypes) || "no recorded resource"}.`
        : "No AWS Config history (not recorded, or not collected).",
    );
    if (c.failedRecords > 0) out.push(`${c.failedRecords} record(s) hold a collection error.`);
  }
  if (row.findings === 0) out.push("No timed finding here.");
  else if (row.gaps.length === 0 && row.seconds["not-read"] === 0)
    out.push("Every second of the period is observed or reconstructed.");
  else {
    if (row.gaps.length > 0) {
      const first = row.gaps[0]!;
      const checks = new Set(row.gaps.flatMap((g) => g.checks.map((x) => x.checkId)));
      out.push(
        `Not covered: ${percentText(row.percent["not-covered"])} of the finding time (${row.notCoveredFindings} check/resource pair(s) of ${checks.size} check(s), from ${whenText(first.start)}): settings AWS keeps no history of, before auditpack collected them.`,
      );
    }
    if (row.seconds["not-read"] > 0)
      out.push(`Not read: ${percentText(row.percent["not-read"])} of the finding time (collection errors).`);
  }
  return out.join(" ");
}

function statement(pairs: number, t: CoverageSection["total"]): string {
  if (t.findings === 0)
    return "No automated finding is timed over the period: nothing to measure coverage on.";
  const p = t.percent;
  const parts = [
    `${percentText(p.observed)} observed by auditpack's own collections`,
    `${percentText(p["config-timeline"])} reconstructed from AWS Config history`,
    `${percentText(p["inferred-from-activity"])} reconstructed from CloudTrail management events`,
    `${percentText(p["not-covered"])} not covered`,
    `${percentText(p["not-read"])} not read`,
    ...(p.unstated > 0 ? [`${percentText(p.unstated)} of unrecorded basis`] : []),
  ];
  const tail =
    t.notCoveredFindings > 0
      ? ` The stretches no evidence covers, in ${t.notCoveredFindings} check/resource pair(s), are reported NOT COVERED: never counted as a pass, and a requirement that holds one is never PASS.`
      : t.seconds["not-read"] === 0 && t.seconds.unstated === 0
        ? " Every second of the period is covered by evidence."
        : "";
  return `Across ${pairs} account/region pair(s), of the time each check watched each resource in the period, ${parts.join(", ")}.${tail}`;
}
