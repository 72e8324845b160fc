import type { Attachment, Status } from "./types.js";

/**
 * Assessment findings in the standard's vocabulary (the ROC's "In Place", "Not Applicable", "Not
 * Tested", "Not in Place"), beside the automated status. Pure.
 *
 *   PASS            -> In Place
 *   NOT_APPLICABLE  -> Not Applicable (with the reason: entity type, empty population, ...)
 *   FAIL            -> Not in Place
 *   ERROR           -> Not Tested (the evidence could not show it either way)
 *   MANUAL          -> In Place, pending assessor review, when attachments cover every second of the
 *                      period; otherwise Not Tested, naming what is missing
 *
 * A parent's finding is the most severe of its own and its children's, in the order Not in Place >
 * Not Tested > In Place (pending review) > In Place > Not Applicable, matching the status roll-up.
 */
export type AssessmentFinding = "In Place" | "Not Applicable" | "Not Tested" | "Not in Place";
export const ASSESSMENT_FINDINGS: readonly AssessmentFinding[] = [
  "In Place",
  "Not Applicable",
  "Not Tested",
  "Not in Place",
];

export interface Assessment {
  finding: AssessmentFinding;
  /** In Place on the strength of attached evidence a person has yet to review. */
  pendingReview?: boolean;
  reason: string;
}

export interface AssessInput {
  id: string;
  parent?: string;
  /** The automated status after the roll-up. */
  status: Status;
  reason?: string;
  /** The requirement's own status before its children (rollup.ts); absent for a heading. */
  own?: Status;
  attachments?: readonly Pick<Attachment, "fileName" | "validFrom" | "validTo" | "attachedAt">[];
}

const ORDER = (a: Assessment): number =>
  a.finding === "Not in Place"
    ? 5
    : a.finding === "Not Tested"
      ? 4
      : a.finding === "In Place"
        ? a.pendingReview
          ? 3
          : 2
        : 1;

/** The part of [start, end) that the attachments' validity does not cover, in ms (0 = covered). */
export function uncoveredMs(
  attachments: AssessInput["attachments"],
  period: { start: number; end: number },
): number {
  const spans = (attachments ?? [])
    .map((a) => ({
      from: Math.max(period.start, Date.parse(a.validFrom ?? a.attachedAt)),
      to: Math.min(period.end, a.validTo ? Date.parse(a.validTo) : Number.POSITIVE_INFINITY),
    }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
  let covered = 0;
  let reach = period.start;
  for (const s of spans) {
    if (s.to <= reach) continue;
    covered += s.to - Math.max(reach, s.from);
    reach = s.to;
  }
  return period.end - period.start - covered;
}

/** A day's grace: a validTo of 23:59:59 on the last day covers the period. */
const GRACE_MS = 86_400_000;

/** The finding of one requirement from its own status and attachments (children aside). */
export function assessOwn(input: AssessInput, period: { start: number; end: number }): Assessment {
  const reason = input.reason ?? "";
  switch (input.status) {
    case "PASS":
      return { finding: "In Place", reason };
    case "NOT_APPLICABLE":
      return { finding: "Not Applicable", reason };
    case "FAIL":
      return { finding: "Not in Place", reason };
    case "MANUAL": {
      const attached = input.attachments ?? [];
      if (attached.length === 0) {
        return { finding: "Not Tested", reason: `nothing is attached for the period; ${reason}` };
      }
      const missing = uncoveredMs(attached, period);
      const names = attached.map((a) => a.fileName).join(", ");
      if (missing <= GRACE_MS) {
        return {
          finding: "In Place",
          pendingReview: true,
          reason: `attachments cover the period (${names}); in place pending assessor review`,
        };
      }
      return {
        finding: "Not Tested",
        reason: `attachments (${names}) leave ${Math.ceil(missing / GRACE_MS)} day(s) of the period uncovered`,
      };
    }
    default:
      return { finding: "Not Tested", reason: `the evidence could not show it: ${reason}` };
  }
}

/**
 * Every requirement's finding. A requirement whose status comes from its children (a heading, or a
 * parent whose own part is overruled by a failing child) takes the most severe finding of its own
 * and its children's.
 */
export function assessAll(
  inputs: readonly AssessInput[],
  period: { start: number; end: number },
): Map<string, Assessment> {
  const ids = new Set(inputs.map((i) => i.id));
  const children = new Map<string, AssessInput[]>();
  for (const i of inputs) {
    if (i.parent !== undefined && ids.has(i.parent)) {
      children.set(i.parent, [...(children.get(i.parent) ?? []), i]);
    }
  }
  const out = new Map<string, Assessment>();
  const visit = (input: AssessInput): Assessment => {
    const done = out.get(input.id);
    if (done) return done;
    const kids = (children.get(input.id) ?? []).map((c) => ({ id: c.id, a: visit(c) }));
    const own =
      input.own !== undefined
        ? assessOwn({ ...input, status: input.own }, period)
        : kids.length === 0
          ? assessOwn(input, period)
          : undefined;
    let result: Assessment;
    if (kids.length === 0) result = own!;
    else {
      const worstKid = kids.reduce((w, k) => (ORDER(k.a) > ORDER(w.a) ? k : w));
      if (own && ORDER(own) >= ORDER(worstKid.a)) result = own;
      else {
        const same = kids.filter((k) => ORDER(k.a) === ORDER(worstKid.a)).map((k) => k.id);
        result = {
          ...worstKid.a,
          reason: `${worstKid.a.finding}${worstKid.a.pendingReview ? " (pending review)" : ""} through ${same.join(", ")}: ${worstKid.a.reason}`,
        };
      }
    }
    // The automated status is the arbiter of failure: never In Place beside a FAIL or ERROR.
    if (input.status === "FAIL" && result.finding !== "Not in Place") {
      result = { finding: "Not in Place", reason: input.reason ?? result.reason };
    }
    out.set(input.id, result);
    return result;
  };
  for (const i of inputs) visit(i);
  return out;
}
