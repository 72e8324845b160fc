import { describe, expect, it } from "vitest";
import { accountRows } from "../../src/report/accounts.js";
import { fixtureFindings } from "./fixture.js";
import { scaledFindings } from "./scaled-fixture.js";

describe("results by account", () => {
  it("counts each account's findings once per check, with its failing intervals and time", () => {
    const findings = fixtureFindings();
    const rows = accountRows(findings);
    const expected = new Map<string, { fail: number; intervals: number; seconds: number }>();
    const seen = new Set<string>();
    for (const r of findings.requirements)
      for (const c of r.checks)
        for (const f of c.findings) {
          if (!f.account) continue;
          const once = `${c.id}|${JSON.stringify(c.parameters ?? {})}|${c.population ?? ""}|${f.account}|${f.region}|${f.resource}`;
          if (seen.has(once)) continue;
          seen.add(once);
          const e = expected.get(f.account) ?? { fail: 0, intervals: 0, seconds: 0 };
          if (f.status === "FAIL") e.fail += 1;
          if (!f.waiver)
            for (const i of f.intervals)
              if (i.status === "FAIL" || i.status === "ERROR") {
                e.intervals += 1;
                e.seconds += (Date.parse(i.end) - Date.parse(i.start)) / 1000;
              }
          expected.set(f.account, e);
        }
    expect(rows.map((r) => r.account).sort()).toEqual([...expected.keys()].sort());
    for (const row of rows) {
      const e = expected.get(row.account)!;
      expect(row.counts.FAIL).toBe(e.fail);
      expect(row.failingIntervals).toBe(e.intervals);
      expect(row.failingSeconds).toBe(e.seconds);
      expect(row.worst.length).toBeLessThanOrEqual(3);
      // Worst first, and each worst resource failed no longer than the account in total.
      for (let i = 1; i < row.worst.length; i++)
        expect(row.worst[i - 1]!.failingSeconds).toBeGreaterThanOrEqual(row.worst[i]!.failingSeconds);
      for (const w of row.worst) expect(w.failingSeconds).toBeLessThanOrEqual(row.failingSeconds);
    }
    expect(rows.some((r) => r.failingSeconds > 0)).toBe(true);
  });

  it("lists every account of a 32-account organisation, most failing time first", () => {
    const rows = accountRows(scaledFindings(32, 4));
    expect(rows).toHaveLength(32);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i - 1]!.failingSeconds).toBeGreaterThanOrEqual(rows[i]!.failingSeconds);
    expect(new Set(rows.map((r) => r.account)).size).toBe(32);
  });

  it("leaves out the scope-level finding of an empty scope", () => {
    const findings = fixtureFindings();
    findings.requirements[0]!.checks[0]!.findings = [
      {
        resource: "(scope)",
        account: "",
        region: "",
        status: "ERROR",
        reason: "no account",
        evidence: [],
        intervals: [],
      },
    ];
    expect(accountRows(findings).some((r) => r.account === "")).toBe(false);
  });
});
