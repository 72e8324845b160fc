import type { Findings } from "../../src/evaluate/types.js";
import { evidence, fixtureFindings } from "./fixture.js";

/**
 * The fixture cloned across `accounts` AWS accounts, each interval citing a day-by-day series of
 * evidence records (as a daily collector over a quarter does): the shape that made one XLSX cell
 * hold 31,345 characters of keys.
 */
export function scaledFindings(accounts = 32, recordsPerInterval = 92): Findings {
  const base = fixtureFindings();
  const ids = Array.from({ length: accounts }, (_, i) =>
    String(111122223333 + i * 1_000_001).padStart(12, "0"),
  );
  const series = (collector: string, region: string) =>
    Array.from({ length: recordsPerInterval }, (_, d) => {
      const at = new Date(Date.UTC(2026, 6, 1, 2) + d * 86_400_000).toISOString().replace(/\.000Z$/, "Z");
      return evidence(collector, region, at);
    });
  const requirements = base.requirements.map((r) => ({
    ...r,
    checks: r.checks.map((c) => ({
      ...c,
      findings: ids.flatMap((account) =>
        c.findings.map((f) => {
          const swap = (s: string) => s.replaceAll("111122223333", account);
          const refs = series(c.id, f.region).map((e) => ({ ...e, key: swap(e.key) }));
          return {
            ...f,
            resource: swap(f.resource),
            account,
            reason: `${f.reason} ${"(long reason) ".repeat(20)}`,
            evidence: refs,
            intervals: f.intervals.map((i) => ({ ...i, evidence: refs })),
          };
        }),
      ),
    })),
  }));
  return { ...base, scope: { ...base.scope, accounts: ids }, requirements };
}
