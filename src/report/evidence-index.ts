import { byKey } from "../evaluate/evidence-table.js";
import type { EvidenceEntry } from "./model.js";

/**
 * The report's evidence index: every record the evaluation read, numbered E1, E2, ... in key order,
 * so an E-number in the PDF is the same row of the XLSX Evidence sheet and record of the HTML view.
 *
 * The records findings cite are held, each with the requirements citing it (the model builds them).
 * The rest, snapshots inside a stretch that only the findings' evidence table lists (findings v2),
 * are most records; they are read again from the table on each pass instead of being held (issue
 * 11: the index held 34 MB at 32 accounts, 42,384 records, and grew with them). Only cited records
 * are looked up by key.
 */
export class EvidenceIndex implements Iterable<EvidenceEntry> {
  readonly length: number;
  private readonly cited: EvidenceEntry[];
  private readonly rest: Iterable<EvidenceEntry>;
  private readonly numbers = new Map<string, number>();

  /** `cited` in any order; `rest` as the findings' table lists it (sorted by key; sorted here if not). */
  constructor(cited: Iterable<EvidenceEntry>, rest: Iterable<EvidenceEntry>) {
    this.cited = [...cited].sort(byKey);
    this.rest = isSorted(rest) ? rest : [...rest].sort(byKey);
    let n = 0;
    for (const [entry, isCited] of this.merged()) {
      n += 1;
      if (isCited) this.numbers.set(entry.key, n);
    }
    this.length = n;
  }

  *[Symbol.iterator](): Iterator<EvidenceEntry> {
    for (const [entry] of this.merged()) yield entry;
  }

  /** 1-based position of a cited record, or undefined for a key no finding or attachment cites. */
  number(key: string): number | undefined {
    return this.numbers.get(key);
  }

  /** Both lists in key order, a cited record before a listed one of the same key. */
  private *merged(): Generator<[EvidenceEntry, boolean]> {
    let i = 0;
    for (const listed of this.rest) {
      while (i < this.cited.length && byKey(this.cited[i]!, listed) <= 0) yield [this.cited[i++]!, true];
      yield [listed, false];
    }
    while (i < this.cited.length) yield [this.cited[i++]!, true];
  }
}

function isSorted(entries: Iterable<{ key: string }>): boolean {
  let last: { key: string } | undefined;
  for (const e of entries) {
    if (last && byKey(last, e) > 0) return false;
    last = e;
  }
  return true;
}
