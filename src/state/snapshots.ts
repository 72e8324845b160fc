import type { EvidenceRecord } from "../evidence/record.js";
import type { EvidenceRef } from "../evidence/ref.js";
import type { StateAdapter } from "./adapter.js";
import type { HistoryBuilder, Kind } from "./history.js";

/** Internal (not check-facing) resource kinds the aggregates are built from. */
export const TRAIL_SHADOWS = "cloudtrail_shadow";
export const METRIC_FILTERS = "logs_metric_filter";
export const ALARMS = "cloudwatch_alarm";

/** What a snapshot adapter reads a record with. */
export interface SnapshotReader {
  record: EvidenceRecord;
  /** Identity every state of this record carries. */
  base: { account: string; region: string; observedAt: string; evidence: EvidenceRef[] };
  at: number;
  builder: HistoryBuilder;
  /** Record one resource state; the snapshot's marker for its kind lists exactly the keys observed. */
  observe<S>(type: Kind, key: string, state: S): void;
}

/**
 * A snapshot adapter (docs/EVIDENCE.md payloads to observations). A snapshot is the full set at its
 * time: resources it omits are absent then; an error record makes every kind it reports ERROR.
 */
export function snapshotAdapter(
  kinds: readonly Kind[],
  read: (reader: SnapshotReader) => void,
): StateAdapter {
  return {
    mode: "record",
    kinds,
    add(builder, { record, ref }, ctx) {
      const at = Date.parse(record.collectedAt);
      const until = at + ctx.holdMs;
      const { account, region } = record;
      const evidence = [ref];
      const marker = (type: Kind, keys?: Iterable<string>) =>
        builder.mark(type, account, region, {
          at,
          until,
          kind: record.error ? "error" : "state",
          error: record.error ? { code: record.error.code, message: record.error.message } : undefined,
          keys: keys ? new Set(keys) : undefined,
          evidence,
        });

      if (record.error) {
        for (const type of kinds) marker(type);
        return;
      }

      const seen = new Map<Kind, string[]>();
      read({
        record,
        base: { account, region, observedAt: record.collectedAt, evidence },
        at,
        builder,
        observe<S>(type: Kind, key: string, state: S) {
          builder.observe<S>(type, account, region, key, { at, until, kind: "state", state, evidence });
          const keys = seen.get(type);
          if (keys) keys.push(key);
          else seen.set(type, [key]);
        },
      });
      // A kind with nothing observed is still marked: the snapshot says none exist then.
      for (const type of kinds) marker(type, seen.get(type) ?? []);
    },
  };
}
