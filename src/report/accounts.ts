import { type FindingsView, STATUSES, type Status } from "../evaluate/types.js";

/** A resource that failed longest in an account, for "the worst resources". */
export interface WorstResource {
  resource: string;
  name?: string;
  checkId: string;
  /** Seconds failing (FAIL or ERROR intervals, waived ones left out). */
  failingSeconds: number;
}

/** One account's results over the period (issue 11: a report that stays readable at scale). */
export interface AccountRow {
  account: string;
  regions: string[];
  /** Resource findings by status (a check that serves several requirements counted once). */
  counts: Record<Status, number>;
  failingIntervals: number;
  failingSeconds: number;
  worst: WorstResource[];
}

const WORST_PER_ACCOUNT = 3;
const FAILING: ReadonlySet<Status> = new Set(["FAIL", "ERROR"]);

/**
 * Results by account, worst first (most failing time, then most failing findings): what a reader
 * of a 500-account report looks at before the per-requirement detail.
 */
export function accountRows(findings: FindingsView): AccountRow[] {
  const rows = new Map<string, AccountRow & { regionSet: Set<string> }>();
  const seen = new Set<string>();
  for (const r of findings.requirements) {
    for (const c of r.checks) {
      const checkKey = `${c.id}|${JSON.stringify(c.parameters ?? {})}|${c.population ?? ""}`;
      for (const f of c.findings) {
        if (!f.account) continue; // "(scope)": no account in scope
        const once = `${checkKey}|${f.account}|${f.region}|${f.resource}`;
        if (seen.has(once)) continue;
        seen.add(once);
        let row = rows.get(f.account);
        if (!row) {
          row = {
            account: f.account,
            regions: [],
            regionSet: new Set(),
            counts: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>,
            failingIntervals: 0,
            failingSeconds: 0,
            worst: [],
          };
          rows.set(f.account, row);
        }
        row.regionSet.add(f.region);
        row.counts[f.status] += 1;
        if (f.waiver) continue;
        let seconds = 0;
        for (const i of f.intervals) {
          if (!FAILING.has(i.status)) continue;
          row.failingIntervals += 1;
          seconds += (Date.parse(i.end) - Date.parse(i.start)) / 1000;
        }
        if (seconds > 0) {
          row.failingSeconds += seconds;
          row.worst.push({
            resource: f.resource,
            ...(f.name ? { name: f.name } : {}),
            checkId: c.id,
            failingSeconds: seconds,
          });
          row.worst.sort((a, b) => b.failingSeconds - a.failingSeconds || (a.resource < b.resource ? -1 : 1));
          row.worst.length = Math.min(row.worst.length, WORST_PER_ACCOUNT);
        }
      }
    }
  }
  return [...rows.values()]
    .map(({ regionSet, ...row }) => ({ ...row, regions: [...regionSet].sort() }))
    .sort(
      (a, b) =>
        b.failingSeconds - a.failingSeconds ||
        b.counts.FAIL + b.counts.ERROR - (a.counts.FAIL + a.counts.ERROR) ||
        (a.account < b.account ? -1 : 1),
    );
}
