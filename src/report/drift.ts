import type { FindingsView } from "../evaluate/types.js";

/**
 * Failing resources per requirement and week: a heat map that shows change even when every day of
 * a requirement has some failure (the worst-of-day strip is then one solid colour). A resource
 * counts in a week when an unwaived FAIL or ERROR interval of it touches that week.
 */
export interface WeeklyDrift {
  /** UTC start date (YYYY-MM-DD) of each week of the period. */
  weeks: string[];
  rows: Array<{ requirementId: string; resources: number; failing: number[] }>;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const FAILING: ReadonlySet<string> = new Set(["FAIL", "ERROR"]);

export function weeklyDrift(findings: FindingsView): WeeklyDrift {
  const start = Date.parse(findings.period.start);
  const end = Date.parse(findings.period.end);
  const count = Number.isFinite(start) && end > start ? Math.min(600, Math.ceil((end - start) / WEEK_MS)) : 0;
  const weeks = Array.from({ length: count }, (_, i) =>
    new Date(start + i * WEEK_MS).toISOString().slice(0, 10),
  );
  const rows: WeeklyDrift["rows"] = [];
  for (const req of findings.requirements) {
    if (req.checks.length === 0) continue;
    const failing = new Array<number>(count).fill(0);
    let resources = 0;
    const touched = new Uint8Array(count);
    for (const check of req.checks)
      for (const f of check.findings) {
        resources += 1;
        if (f.waiver) continue;
        touched.fill(0);
        for (const i of f.intervals) {
          if (!FAILING.has(i.status)) continue;
          const s = Math.max(0, Math.floor((Date.parse(i.start) - start) / WEEK_MS));
          // An interval ending exactly at a week boundary does not touch the next week.
          const e = Math.min(count - 1, Math.ceil((Date.parse(i.end) - start) / WEEK_MS) - 1);
          for (let w = s; w <= Math.max(s, e) && w < count; w++) touched[w] = 1;
        }
        for (let w = 0; w < count; w++) failing[w]! += touched[w]!;
      }
    rows.push({ requirementId: req.id, resources, failing });
  }
  return { weeks, rows };
}
