import type { FindingsView, Status } from "../evaluate/types.js";

/**
 * The distinct problems open at the end of the period: unwaived resource findings whose last
 * interval failed (FAIL or ERROR), grouped by check and resource, since one misconfigured
 * resource checked under several requirements is one problem to fix, not several.
 */
export interface OpenProblem {
  checkId: string;
  resource: string;
  account: string;
  region: string;
  status: Status;
  /** Start of the failing stretch that runs to the period end. */
  since: string;
  reason: string;
  requirements: string[];
}

const FAILING: ReadonlySet<string> = new Set(["FAIL", "ERROR"]);

export function openProblems(findings: FindingsView): OpenProblem[] {
  const byKey = new Map<string, OpenProblem>();
  for (const req of findings.requirements)
    for (const check of req.checks)
      for (const f of check.findings) {
        if (f.waiver) continue;
        const last = f.intervals[f.intervals.length - 1];
        const status = last?.status ?? f.status;
        if (!FAILING.has(status)) continue;
        let since = last?.start ?? findings.period.start;
        for (let i = f.intervals.length - 2; i >= 0 && FAILING.has(f.intervals[i]!.status); i--)
          since = f.intervals[i]!.start;
        const key = `${check.id}\u0000${f.resource}\u0000${f.account}\u0000${f.region}`;
        const seen = byKey.get(key);
        if (seen) {
          if (!seen.requirements.includes(req.id)) seen.requirements.push(req.id);
          if (status === "FAIL") seen.status = "FAIL";
          continue;
        }
        byKey.set(key, {
          checkId: check.id,
          resource: f.resource,
          account: f.account,
          region: f.region,
          status,
          since,
          reason: last?.reason ?? f.reason,
          requirements: [req.id],
        });
      }
  // Longest-standing first: what has been open all period leads.
  return [...byKey.values()].sort(
    (a, b) =>
      a.since.localeCompare(b.since) ||
      a.checkId.localeCompare(b.checkId) ||
      a.resource.localeCompare(b.resource),
  );
}

/** Open problems counted by check, most first. */
export function problemsByCheck(
  problems: OpenProblem[],
): Array<{ checkId: string; count: number; requirements: string[] }> {
  const byCheck = new Map<string, { checkId: string; count: number; requirements: Set<string> }>();
  for (const p of problems) {
    let entry = byCheck.get(p.checkId);
    if (!entry) {
      entry = { checkId: p.checkId, count: 0, requirements: new Set() };
      byCheck.set(p.checkId, entry);
    }
    entry.count += 1;
    for (const r of p.requirements) entry.requirements.add(r);
  }
  return [...byCheck.values()]
    .map((e) => ({ checkId: e.checkId, count: e.count, requirements: [...e.requirements] }))
    .sort((a, b) => b.count - a.count || a.checkId.localeCompare(b.checkId));
}
