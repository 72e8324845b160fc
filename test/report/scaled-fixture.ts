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

/**
 * `findings` cloned `copies` times with every account id renamed (resources, evidence keys, scope):
 * the demo's 2 accounts become 2 x copies, with the same drift in each.
 */
export function cloneAcrossAccounts(findings: Findings, copies: number): Findings {
  const accounts = findings.scope.accounts;
  const rename = (copy: number) => {
    const map = new Map(
      accounts.map((a, i) => [a, String(100000000000 + copy * 1000 + i).padStart(12, "0")]),
    );
    return (s: string) => (copy === 0 ? s : accounts.reduce((out, a) => out.replaceAll(a, map.get(a)!), s));
  };
  const renames = Array.from({ length: copies }, (_, c) => rename(c));
  const ref = (r: (s: string) => string) => (e: { key: string; sha256: string }) => ({ ...e, key: r(e.key) });
  return {
    ...findings,
    scope: { ...findings.scope, accounts: renames.flatMap((r) => accounts.map(r)) },
    requirements: findings.requirements.map((req) => ({
      ...req,
      checks: req.checks.map((c) => ({
        ...c,
        findings: renames.flatMap((r) =>
          c.findings.map((f) => ({
            ...f,
            resource: r(f.resource),
            account: r(f.account),
            reason: r(f.reason),
            evidence: f.evidence.map(ref(r)),
            intervals: f.intervals.map((i) => ({
              ...i,
              reason: r(i.reason),
              evidence: i.evidence.map(ref(r)),
            })),
          })),
        ),
      })),
    })),
  };
}
