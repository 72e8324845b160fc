import type { Status } from "./types.js";

/**
 * The one roll-up rule over a framework's requirement hierarchy (docs/CONTROLS.md, "How a status is
 * decided"). Pure: it sees each requirement's own checks, whether it applies, and its children.
 *
 * 1. A requirement's own status:
 *    - does not apply (e.g. service providers only, assessed entity a merchant): NOT_APPLICABLE;
 *    - a check FAILs: FAIL (a supporting check's failure counts: an observed failure is a failure);
 *    - else a check is ERROR (a collection failed): ERROR;
 *    - else a check is NOT_COVERED (nothing was collected and AWS keeps no history): NOT_COVERED;
 *      a PASS check whose intervals leave a member or a stretch unjudged: ERROR;
 *    - else checks PASS: PASS only if at least one passing check is sufficient (not a
 *      "supporting, not sufficient" proxy) and there is no manual part; otherwise MANUAL, naming
 *      what a person must still assess;
 *    - no applicable check (every check NOT_APPLICABLE, e.g. an empty population): MANUAL when a
 *      manual part exists, else NOT_APPLICABLE with the checks' reasons;
 *    - manual only: MANUAL; a heading has no own status.
 * 2. A parent's status is the most severe of its own and its children's, in the order
 *    FAIL > ERROR > NOT_COVERED > MANUAL > PASS > NOT_APPLICABLE. So a parent never contradicts its children: it is
 *    FAIL only with a failing child or own check, and PASS only when everything under it passed
 *    (or does not apply). A heading with nothing under it in the selection is MANUAL.
 * 3. The reason is the one of whatever decided the status: the parent names the children that
 *    carry it and quotes the first one's reason.
 */

/** Most severe first. Unknown statuses (added later) rank with ERROR: never a silent pass. */
const SEVERITY: Readonly<Record<string, number>> = {
  FAIL: 6,
  ERROR: 5,
  NOT_COVERED: 4,
  MANUAL: 3,
  PASS: 2,
  NOT_APPLICABLE: 1,
};
const severity = (s: Status): number => SEVERITY[s] ?? SEVERITY.ERROR!;

export function mostSevere(statuses: Iterable<Status>): Status | undefined {
  let out: Status | undefined;
  for (const s of statuses) if (out === undefined || severity(s) > severity(out)) out = s;
  return out;
}

export interface RollupInterval {
  start: string;
  end: string;
  status: Status;
  reason?: string;
}

export interface RollupFinding {
  resource?: string;
  status: Status;
  reason?: string;
  intervals: RollupInterval[];
}

export interface RollupCheck {
  id: string;
  status: Status;
  /** A proxy, "supporting, not sufficient". */
  supporting?: boolean;
  findings: RollupFinding[];
}

export interface RollupNode {
  id: string;
  parent?: string;
  /** automated, partly-manual (checks plus a manual part), manual, or heading. */
  kind: "automated" | "partly-manual" | "manual" | "heading";
  checks: RollupCheck[];
  /** Set when the requirement does not apply, with why (e.g. service providers only). */
  notApplicable?: string;
  /** The reason shown for a manual requirement (what is attached, what to attach). */
  manualReason?: string;
}

export interface Rolled {
  status: Status;
  reason: string;
  /** The status from the requirement's own checks and manual part, before its children. */
  own?: Status;
  /** The requirement whose own status decided this one: the path down to it and its reason. */
  decidedBy?: { path: string[]; reason: string };
}

/**
 * A PASS finding must be PASS (or NOT_APPLICABLE) in every interval, with no hole between them:
 * evidence for every second.
 */
export function fullyEvidenced(f: RollupFinding): boolean {
  if (f.status !== "PASS" || f.intervals.length === 0) return false;
  for (let i = 0; i < f.intervals.length; i++) {
    const interval = f.intervals[i]!;
    if (interval.status !== "PASS" && interval.status !== "NOT_APPLICABLE") return false;
    if (i > 0 && f.intervals[i - 1]!.end !== interval.start) return false;
  }
  return true;
}

/**
 * A check's status as the roll-up trusts it: PASS only with at least one PASS finding and full
 * evidence for every member (findings NOT_APPLICABLE throughout, e.g. a region without the
 * resource, do not count either way).
 */
export function trustedCheckStatus(check: RollupCheck): { status: Status; reason?: string } {
  if (check.status !== "PASS") return { status: check.status };
  const members = check.findings.filter((f) => f.status !== "NOT_APPLICABLE");
  if (members.length === 0) return { status: "ERROR", reason: `${check.id}: PASS without any finding` };
  const gap = members.find((f) => !fullyEvidenced(f));
  if (gap) {
    return {
      status: "ERROR",
      reason: `${check.id}: ${gap.resource ?? "a resource"} lacks PASS evidence for part of the period`,
    };
  }
  return { status: "PASS" };
}

const firstReason = (check: RollupCheck, status: Status): string | undefined =>
  check.findings.find((f) => f.status === status)?.reason;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Rule 1: the requirement's own status, or undefined for a heading. */
export function ownStatus(node: RollupNode): Rolled | undefined {
  if (node.notApplicable) return { status: "NOT_APPLICABLE", reason: node.notApplicable };
  if (node.kind === "heading") return undefined;
  const manualReason = node.manualReason ?? "manual: a person must assess it";
  if (node.kind === "manual") return { status: "MANUAL", reason: manualReason };

  const judged = node.checks.map((c) => ({ check: c, ...trustedCheckStatus(c) }));
  const applicable = judged.filter((j) => j.status !== "NOT_APPLICABLE");
  const failing = applicable.filter((j) => j.status === "FAIL");
  if (failing.length > 0) {
    const first = failing[0]!;
    const why = firstReason(first.check, "FAIL");
    return {
      status: "FAIL",
      reason: `${plural(failing.length, "check")} of ${applicable.length} FAIL: ${failing.map((j) => j.check.id).join(", ")}${why ? ` (${why})` : ""}`,
    };
  }
  const unknown = applicable.filter((j) => j.status !== "PASS");
  if (unknown.length > 0) {
    const first = unknown[0]!;
    const why = first.reason ?? firstReason(first.check, first.status);
    // A failed collection (ERROR) outranks a stretch nothing covers (NOT_COVERED).
    return {
      status: unknown.some((j) => j.status === "ERROR") ? "ERROR" : mostSevere(unknown.map((j) => j.status))!,
      reason: `${unknown.map((j) => `${j.check.id} ${j.status}`).join(", ")}${why ? ` (${why})` : ""}`,
    };
  }
  if (applicable.length > 0) {
    const sufficient = applicable.filter((j) => !j.check.supporting);
    const passed = `${plural(applicable.length, "check")} PASS`;
    if (sufficient.length === 0) {
      return {
        status: "MANUAL",
        reason: `${passed}, all supporting, not sufficient (${applicable.map((j) => j.check.id).join(", ")}); ${manualReason}`,
      };
    }
    if (node.kind === "partly-manual") {
      return { status: "MANUAL", reason: `automated part: ${passed}; manual part: ${manualReason}` };
    }
    const na = judged.length - applicable.length;
    return { status: "PASS", reason: `${passed}${na ? `, ${na} NOT_APPLICABLE` : ""}` };
  }
  const naReasons = [
    ...new Set(judged.map((j) => firstReason(j.check, "NOT_APPLICABLE")).filter((r) => r !== undefined)),
  ];
  const why = naReasons.length ? `: ${naReasons.slice(0, 3).join("; ")}` : "";
  if (node.kind === "partly-manual") {
    return { status: "MANUAL", reason: `no check applies${why}; manual part: ${manualReason}` };
  }
  return { status: "NOT_APPLICABLE", reason: `no check applies${why}` };
}

/**
 * Roll the whole hierarchy up (rules 1-3). Nodes may come in any order; a node whose parent is not
 * among them is a root. Returns each node's status and reason.
 */
export function rollUp(nodes: readonly RollupNode[]): Map<string, Rolled> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, RollupNode[]>();
  for (const n of nodes) {
    if (n.parent === undefined || !byId.has(n.parent)) continue;
    children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  }
  const out = new Map<string, Rolled>();
  // A requirement that does not apply takes what lies under it out of scope with it.
  const inherited = (node: RollupNode): string | undefined => {
    for (let n: RollupNode | undefined = node; n; n = n.parent ? byId.get(n.parent) : undefined) {
      if (n.notApplicable) return n === node ? n.notApplicable : `under ${n.id}: ${n.notApplicable}`;
    }
    return undefined;
  };
  const visit = (node: RollupNode, path: Set<string>): Rolled => {
    const done = out.get(node.id);
    if (done) return done;
    if (path.has(node.id)) throw new Error(`requirement ${node.id} is its own ancestor`);
    path.add(node.id);
    const notApplicable = inherited(node);
    const own = ownStatus(notApplicable ? { ...node, notApplicable } : node);
    const kids = (children.get(node.id) ?? []).map((c) => ({ id: c.id, ...visit(c, path) }));
    path.delete(node.id);
    const rolled = combine(own, kids);
    out.set(node.id, rolled);
    return rolled;
  };
  for (const n of nodes) visit(n, new Set());
  return out;
}

/** Rule 2 and 3 for one node. */
function combine(own: Rolled | undefined, kids: Array<{ id: string } & Rolled>): Rolled {
  if (kids.length === 0) {
    return own
      ? { ...own, own: own.status, decidedBy: { path: [], reason: own.reason } }
      : { status: "MANUAL", reason: "a heading with no requirement under it in this selection" };
  }
  const status = mostSevere([...(own ? [own.status] : []), ...kids.map((k) => k.status)])!;
  const carrying = kids.filter((k) => k.status === status);
  const summary = `${kids.map((k) => `${k.id} ${k.status}`).join(", ")}`;
  if (own && own.status === status) {
    const reason = carrying.length
      ? `${own.reason}; also ${status} under it: ${carrying.map((k) => k.id).join(", ")}`
      : own.reason;
    return { status, reason, own: own.status, decidedBy: { path: [], reason: own.reason } };
  }
  // Quote the requirement that decided, however deep: "FAIL through 10.4.1 (10.4.1 > 10.4.1.1: ...)".
  const first = carrying[0]!;
  const decidedBy = {
    path: [first.id, ...(first.decidedBy?.path ?? [])],
    reason: first.decidedBy?.reason ?? first.reason,
  };
  const through = `${status} through ${carrying.map((k) => k.id).join(", ")} (${decidedBy.path.join(" > ")}: ${decidedBy.reason})`;
  return own
    ? { status, reason: `${through}; own part: ${own.status} (${own.reason})`, own: own.status, decidedBy }
    : { status, reason: `${through} [${summary}]`, decidedBy };
}
