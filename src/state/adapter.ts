import type { EvidenceRecord } from "../evidence/record.js";
import type { EvidenceRef } from "../evidence/ref.js";
import type { HistoryBuilder, Kind } from "./history.js";

/** A record read from the store, with the citation findings give for it. */
export interface LoadedRecord {
  record: EvidenceRecord;
  ref: EvidenceRef;
}

export interface RecordContext {
  /** How long a snapshot of this collector stands for the state (collection interval + slack), in ms. */
  holdMs: number;
}

/**
 * How one collector's records become observations. Each collector declares its adapter beside its
 * code (src/collectors/<service>/<id>.state.ts); the state builder dispatches on `record.collector`.
 */
export type StateAdapter =
  | {
      /** Each record on its own, in the order they were read. */
      mode: "record";
      /** Kinds its snapshots report on (an error record makes them ERROR); empty for history records. */
      kinds: readonly Kind[];
      add(builder: HistoryBuilder, loaded: LoadedRecord, ctx: RecordContext): void;
    }
  | {
      /** All records of one account and region at once, after every "record" adapter has run. */
      mode: "scope";
      kinds: readonly Kind[];
      add(builder: HistoryBuilder, account: string, region: string, records: LoadedRecord[]): void;
    };

/** The adapters by collector id (collectors/registry.ts builds it from the declarations). */
export type StateAdapters = ReadonlyMap<string, StateAdapter>;
