import type { CheckOutcome } from "../checks/types.js";
import { effectiveAt, type Observation } from "../state/history.js";
import { isoSeconds } from "./period.js";
import type { EvidenceRef, Status, StatusInterval } from "./types.js";

/** Worst first: a requirement, check or resource takes the worst status it contains. */
const RANK: Record<Status, number> = { FAIL: 5, ERROR: 4, PASS: 3, MANUAL: 2, NOT_APPLICABLE: 1 };

export function worst(statuses: Iterable<Status>): Status | undefined {
  let out: Status | undefined;
  for (const s of statuses) if (!out || RANK[s] > RANK[out]) out = s;
  return out;
}

interface Segment {
  start: number;
  end: number;
  /** GAP: no evidence; ABSENT: the resource did not exist; OUT: not in the check's scope then. */
  kind: Status | "GAP" | "ABSENT" | "OUT";
  reason: string;
  evidence: EvidenceRef[];
}

export interface Window {
  start: number;
  end: number;
}

function mergeEvidence(a: EvidenceRef[], b: EvidenceRef[]): EvidenceRef[] {
  const seen = new Map(a.map((e) => [e.key, e]));
  for (const e of b) if (!seen.has(e.key)) seen.set(e.key, e);
  return [...seen.values()];
}

/**
 * Evaluate a resource's history over a window, second by second in effect: split the window where
 * any observation starts or stops covering, judge the observation in effect in each piece, and merge
 * neighbours with the same status and reason. `judge` returns undefined when the state is out of the
 * check's scope. Returns the intervals (absent and out-of-scope stretches left out) and whether any
 * in-scope state was judged or an error was in effect.
 */
export function judgeHistory<S>(
  observations: readonly Observation<S>[],
  window: Window,
  judge: (state: S) => CheckOutcome | undefined,
): { intervals: StatusInterval[]; judged: boolean } {
  const points = new Set<number>([window.start]);
  for (const o of observations) {
    if (o.at > window.start && o.at < window.end) points.add(o.at);
    if (o.until > window.start && o.until < window.end) points.add(o.until);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let judged = false;
  sorted.forEach((start, i) => {
    const end = sorted[i + 1] ?? window.end;
    const o = effectiveAt(observations, start);
    let seg: Segment;
    if (!o) seg = { start, end, kind: "GAP", reason: "", evidence: [] };
    else if (o.kind === "absent") seg = { start, end, kind: "ABSENT", reason: "", evidence: o.evidence };
    else if (o.kind === "error") {
      judged = true; // an error in effect is reported: it may hide anything
      seg = {
        start,
        end,
        kind: "ERROR",
        reason:
          `evidence could not be collected: ${o.error?.code ?? "Error"}: ${o.error?.message ?? ""}`.trim(),
        evidence: o.evidence,
      };
    } else {
      const outcome = judge(o.state as S);
      if (outcome) judged = true;
      seg = outcome
        ? { start, end, kind: outcome.status, reason: outcome.reason, evidence: o.evidence }
        : { start, end, kind: "OUT", reason: "", evidence: [] };
    }
    const last = segments[segments.length - 1];
    if (last && last.kind === seg.kind && last.reason === seg.reason && last.end === seg.start) {
      last.end = seg.end;
      last.evidence = mergeEvidence(last.evidence, seg.evidence);
    } else segments.push(seg);
  });
  const intervals: StatusInterval[] = [];
  for (const s of segments) {
    if (s.kind === "ABSENT" || s.kind === "OUT") continue;
    if (s.kind === "GAP") {
      const before = observations.filter((o) => o.at < s.start).at(-1);
      const after = observations.find((o) => o.at >= s.end);
      const context = [
        before ? `last evidence before from ${isoSeconds(before.at)}` : undefined,
        after ? `next from ${isoSeconds(after.at)}` : undefined,
      ].filter(Boolean);
      intervals.push({
        start: isoSeconds(s.start),
        end: isoSeconds(s.end),
        status: "ERROR",
        reason: `no evidence between ${isoSeconds(s.start)} and ${isoSeconds(s.end)}${context.length ? ` (${context.join(", ")})` : ""}`,
        evidence: [],
      });
      continue;
    }
    intervals.push({
      start: isoSeconds(s.start),
      end: isoSeconds(s.end),
      status: s.kind,
      reason: s.reason,
      evidence: s.evidence,
    });
  }
  return { intervals, judged };
}

const HOUR = 3_600_000;

/** "3d 4h 5m 6s" */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const parts: string[] = [];
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (sec || parts.length === 0) parts.push(`${sec}s`);
  return parts.join(" ");
}

/** One sentence for a resource over the period, naming the failing or missing stretches. */
export function summarize(intervals: StatusInterval[], status: Status, pointInTime: boolean): string {
  const of = (s: Status) => intervals.filter((i) => i.status === s);
  const span = (list: StatusInterval[]) =>
    list.reduce((t, i) => t + Date.parse(i.end) - Date.parse(i.start), 0);
  const listed = (list: StatusInterval[]) =>
    list
      .slice(0, 3)
      .map((i) => `${i.start}–${i.end}`)
      .join(", ") + (list.length > 3 ? `, and ${list.length - 3} more` : "");
  const chosen = of(status);
  const first = chosen[0];
  if (!first) return "";
  if (pointInTime) return first.reason;
  if (status === "FAIL" || status === "ERROR") {
    const total = span(chosen);
    const what = status === "FAIL" ? "failing" : "unknown";
    return `${first.reason}; ${what} for ${duration(total)} in ${chosen.length} interval${chosen.length === 1 ? "" : "s"}: ${listed(chosen)}`;
  }
  const lastReason = chosen[chosen.length - 1]!.reason;
  const whole = intervals.length === chosen.length;
  return whole ? `${lastReason} throughout` : lastReason;
}

export { HOUR };
