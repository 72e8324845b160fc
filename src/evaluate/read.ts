import { UTCDate } from "@date-fns/utc";
import { addMonths } from "date-fns";
import { historyCollectorIds } from "../collectors/registry.js";
import { EVIDENCE_PREFIX, stampToDate } from "../evidence/ledger-format.js";
import { decodeRecord, type EvidenceRecord, GLOBAL_REGION, parseEvidenceKey } from "../evidence/record.js";
import type { IgnoredRecord, VouchedRecords } from "../evidence/vouched.js";
import type { LoadedRecord } from "../state/build.js";
import type { EvidenceStore } from "../store/types.js";

/** Collectors whose records describe a window of history rather than the state when collected. */
export const HISTORY_COLLECTORS: ReadonlySet<string> = historyCollectorIds;

/** A history collector may store a window long after it happened (a first run reads back 90 days or more). */
const HISTORY_COLLECTED_WITHIN_MS = 120 * 86_400_000;

export interface ReadOptions {
  accounts: string[];
  regions: string[];
  collectors: string[];
  window: { start: number; end: number };
  /** Listing of history records stops here (records collected later cannot cover the window yet). */
  now: number;
  /**
   * Only records these vouch for are read; the others are pushed to `ignored` (key and reason)
   * before any choice is made, so an injected record never displaces a vouched one.
   */
  vouched?: VouchedRecords;
  ignored?: IgnoredRecord[];
}

/** The yyyy/mm month prefixes from one month before `from` to the month of `to`. */
function months(from: number, to: number): string[] {
  const out: string[] = [];
  let cur = new UTCDate(new UTCDate(from).getFullYear(), new UTCDate(from).getMonth() - 1, 1);
  while (cur.getTime() <= to) {
    out.push(`${cur.getFullYear()}/${String(cur.getMonth() + 1).padStart(2, "0")}/`);
    cur = addMonths(cur, 1);
  }
  return out;
}

/** Accounts and regions that have evidence, from the key listing (keys only; no record is read). */
export async function discoverScope(
  store: EvidenceStore,
  vouched?: VouchedRecords,
): Promise<{ accounts: string[]; regions: string[] }> {
  const accounts = new Set<string>();
  const regions = new Set<string>();
  for await (const info of store.list(EVIDENCE_PREFIX)) {
    const parsed = parseEvidenceKey(info.key);
    if (!parsed || parsed.collector === "manual_attachment" || parsed.region === GLOBAL_REGION) continue;
    if (vouched && !vouched.has(info.key, parsed.sha256)) continue;
    accounts.add(parsed.account);
    regions.add(parsed.region);
  }
  return { accounts: [...accounts].sort(), regions: [...regions].sort() };
}

/**
 * Read the records that bear on the window, listing only evidence/<account>/<region>/<collector>/<yyyy>/<mm>/
 * prefixes: snapshots collected in the window plus the newest one before it (the state at its start),
 * and history records whose period overlaps the window.
 */
export async function readEvidence(store: EvidenceStore, options: ReadOptions): Promise<LoadedRecord[]> {
  const { start, end } = options.window;
  const out: LoadedRecord[] = [];
  for (const account of options.accounts) {
    for (const region of options.regions) {
      for (const collector of options.collectors) {
        const history = HISTORY_COLLECTORS.has(collector);
        const listEnd = history
          ? Math.min(Math.max(options.now, end), end + HISTORY_COLLECTED_WITHIN_MS)
          : end;
        const keys: Array<{ key: string; sha256: string; at: number }> = [];
        for (const month of months(start, listEnd)) {
          for await (const info of store.list(
            `${EVIDENCE_PREFIX}${account}/${region}/${collector}/${month}`,
          )) {
            const parsed = parseEvidenceKey(info.key);
            if (!parsed) continue;
            const why = options.vouched?.reasonFor(info.key, parsed.sha256);
            if (why !== undefined) {
              options.ignored?.push({ key: info.key, reason: why });
              continue;
            }
            keys.push({ key: info.key, sha256: parsed.sha256, at: stampToDate(parsed.stamp).getTime() });
          }
        }
        let chosen: typeof keys;
        if (history) chosen = keys.filter((k) => k.at <= listEnd);
        else {
          const before = keys.filter((k) => k.at < start);
          const newestBefore = before.reduce<(typeof keys)[number] | undefined>(
            (a, k) => (!a || k.at > a.at ? k : a),
            undefined,
          );
          chosen = [
            ...(newestBefore ? [newestBefore] : []),
            ...keys.filter((k) => k.at >= start && k.at < end),
          ];
        }
        for (const k of chosen) {
          // A record a trusted manifest lists whose bytes are not the ones listed is tampering: exit 1, named.
          const record = decodeRecord(await store.get(k.key), k.sha256, k.key) as EvidenceRecord;
          if (history && record.period) {
            const ps = Date.parse(record.period.start);
            const pe = Date.parse(record.period.end);
            // Activity one day either side still helps: it tells whether a change was seen.
            if (pe < start - 86_400_000 || ps >= end) continue;
          }
          // The key names the collector and collection time (the report reads them from there), so a
          // finding lists just key and hash: findings cite every daily snapshot of a period.
          out.push({ record, ref: { key: k.key, sha256: k.sha256 } });
        }
      }
    }
  }
  return out;
}
