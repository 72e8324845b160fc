import { parseEvidenceKey } from "../evidence/record.js";
import type { EvidenceTableEntry, FindingsView } from "./types.js";

/** The evidence table's order: by key, in code units (E-numbers follow it). */
export const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const placeOf = (e: { account: string; region: string; collector: string }) =>
  `${e.account}|${e.region}|${e.collector}`;

/**
 * The records of the findings' evidence table that no finding cites (findings v2: a stretch cites
 * what starts and ends it, so the snapshots inside it are only in the table), each with the
 * requirements and checks that cite records of the same collector, account and region: the ones
 * whose stretches those snapshots sit in. A record no requirement uses that way has an empty list.
 * The findings are read once, here; the table again on each pass over the result, in its order.
 */
export function uncitedEvidence(
  findings: FindingsView,
): Iterable<{ entry: EvidenceTableEntry; citedBy: Array<{ requirement: string; check: string }> }> {
  const cited = new Set<string>();
  const byPlace = new Map<string, Map<string, { requirement: string; check: string }>>();
  for (const r of findings.requirements) {
    for (const c of r.checks) {
      for (const f of c.findings) {
        for (const e of [...f.evidence, ...f.intervals.flatMap((i) => i.evidence)]) {
          cited.add(e.key);
          const parsed = parseEvidenceKey(e.key);
          if (!parsed) continue;
          const place = placeOf(parsed);
          const users = byPlace.get(place) ?? new Map<string, { requirement: string; check: string }>();
          byPlace.set(place, users);
          users.set(`${r.id}|${c.id}`, { requirement: r.id, check: c.id });
        }
      }
    }
  }
  return {
    *[Symbol.iterator]() {
      for (const entry of findings.evidence ?? [])
        if (!cited.has(entry.key))
          yield { entry, citedBy: [...(byPlace.get(placeOf(entry))?.values() ?? [])] };
    },
  };
}
