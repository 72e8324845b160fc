import type { CheckOutcome } from "../checks/types.js";
import { activityCollectorIds, timelineCollectorIds } from "../collectors/registry.js";
import { effectiveAt, type Observation } from "../state/history.js";
import { hasUnknown, recordReads } from "../state/unknown.js";
import { isoSeconds } from "./period.js";
import type { Basis, EvidenceRef, Status, StatusInterval } from "./types.js";

/**
 * Worst first: a requirement, check or resource takes the worst status it contains (docs/CONTROLS.md,
 * "Roll-up"). FAIL: the evidence shows a failure. ERROR: evidence that should exist could not be
 * read (access denied, throttling, a failed page), so anything may hide there and the collection
 * needs fixing. NOT_COVERED: no evidence exists for a stretch and none can be obtained (auditpack
 * was not collecting and AWS keeps no history of the setting): a stated limit of the assessment.
 * PASS only where every second is covered and passing.
 */
const RANK: Record<Status, number> = {
  FAIL: 6,
  ERROR: 5,
  NOT_COVERED: 4,
  PASS: 3,
  MANUAL: 2,
  NOT_APPLICABLE: 1,
};

/** What a gap says (the stretch's own times are put in front once neighbours are merged). */
export const NO_HISTORY = "auditpack was not collecting and AWS keeps no history of this setting";

/** An observation's basis: its own, or from the collector of its evidence. */
export function basisOf(o: Pick<Observation<unknown>, "basis" | "evidence">): Basis {
  if (o.basis) return o.basis;
  const collectors = o.evidence.map((e) => e.collector ?? e.key.split("/")[3] ?? "");
  if (collectors.length > 0 && collectors.every((c) => timelineCollectorIds.has(c)))
    return { kind: "config-timeline" };
  if (collectors.length > 0 && collectors.every((c) => activityCollectorIds.has(c)))
    return { kind: "inferred-from-activity" };
  return { kind: "observed" };
}

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
  /** The evidence of the last piece merged into this stretch, when more than one was. */
  endEvidence?: EvidenceRef[];
  basis?: Basis;
}

function sameBasis(a: Basis | undefined, b: Basis | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Judge a state that may have unknown fields: through a view that logs what the check reads. A
 * verdict that read an unknown field is no verdict: the stretch is NOT_COVERED.
 */
function judgeKnown<S>(
  state: S,
  judge: (state: S) => CheckOutcome | undefined,
): CheckOutcome | { status: "NOT_COVERED"; reason: string } | undefined {
  if (state === null || typeof state !== "object" || !hasUnknown(state)) return judge(state);
  const { view, log } = recordReads(state as object);
  const outcome = judge(view as S);
  if (log.unknown.size === 0) return outcome;
  return { status: "NOT_COVERED", reason: `${[...log.unknown].sort().join(", ")} unknown: ${NO_HISTORY}` };
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
      const outcome = judgeKnown(o.state as S, judge);
      if (outcome) judged = true;
      const basis = basisOf(o);
      seg = outcome
        ? {
            start,
            end,
            kind: outcome.status,
            reason: outcome.reason,
            evidence: o.evidence,
            basis: outcome.status === "NOT_COVERED" ? undefined : basis,
          }
        : { start, end, kind: "OUT", reason: "", evidence: [] };
    }
    const last = segments[segments.length - 1];
    if (
      last &&
      last.kind === seg.kind &&
      last.reason === seg.reason &&
      last.end === seg.start &&
      sameBasis(last.basis, seg.basis)
    ) {
      last.end = seg.end;
      // A stretch cites what starts it and what ends it (findings v2): the snapshots in between are
      // in the findings' evidence table, found by account, region, collector and time.
      last.endEvidence = seg.evidence;
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
        status: "NOT_COVERED",
        reason: `no evidence for ${isoSeconds(s.start)} to ${isoSeconds(s.end)}: ${NO_HISTORY}${context.length ? ` (${context.join(", ")})` : ""}`,
        evidence: [],
      });
      continue;
    }
    const interval: StatusInterval = {
      start: isoSeconds(s.start),
      end: isoSeconds(s.end),
      status: s.kind,
      reason:
        s.kind === "NOT_COVERED"
          ? `no evidence for ${isoSeconds(s.start)} to ${isoSeconds(s.end)}: ${s.reason}`
          : withCause(s.reason, s.basis, s.start),
      evidence: s.endEvidence ? mergeEvidence(s.evidence, s.endEvidence) : s.evidence,
    };
    if (s.basis) interval.basis = s.basis;
    intervals.push(interval);
  }
  return { intervals, judged };
}

/** A stretch that an event begins says which event, when and who: "(StopLogging at ... by ...)". */
function withCause(reason: string, basis: Basis | undefined, start: number): string {
  const at = isoSeconds(start);
  const atStart = basis?.events?.filter((e) => e.at === at) ?? [];
  // A CloudTrail event names its caller; a status time (GetTrailStatus...) only when.
  const cause = atStart.find((e) => e.principal) ?? atStart[0];
  if (!cause) return reason;
  return `${reason} (${cause.name} at ${cause.at}${cause.principal ? ` by ${cause.principal}` : ""})`;
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
  // The reason in force at the end of the period: a threshold that changed mid-period reads as it is now.
  const latest = chosen[chosen.length - 1];
  if (!latest) return "";
  if (pointInTime) return latest.reason;
  if (status === "FAIL" || status === "ERROR" || status === "NOT_COVERED") {
    const total = span(chosen);
    const what = status === "FAIL" ? "failing" : status === "ERROR" ? "unknown" : "not covered";
    return `${latest.reason}; ${what} for ${duration(total)} in ${chosen.length} interval${chosen.length === 1 ? "" : "s"}: ${listed(chosen)}`;
  }
  const whole = intervals.length === chosen.length;
  return whole ? `${latest.reason} throughout` : latest.reason;
}

export { HOUR };
