import type { ZodType } from "zod";
import type { ClientConstructor, ServiceName } from "../aws/services.js";
import type { EvidenceCall, EvidencePeriod } from "../evidence/record.js";
import type { StateAdapter } from "../state/adapter.js";
import type { ResourceType } from "../state/types.js";

export type { ClientConstructor, ServiceName };

/** The window a history collector reads (CloudTrail events, Config timelines). */
export interface CollectWindow {
  start: Date;
  end: Date;
}

export interface CollectContext<O = Record<string, unknown>> {
  account: string;
  region: string;
  /** The SDK client for this account, region and credential set; created once and reused. */
  client<C>(ctor: ClientConstructor<C>): C;
  /** Clock: the scenario's pinned clock for fixtures, the wall clock otherwise. */
  now(): Date;
  /** History window for this run (incremental collectors narrow it with lastPeriodEnd). */
  window: CollectWindow;
  /** The collector's options, already validated by its optionsSchema. */
  options: O;
  /**
   * End of the newest period this collector already stored for this account and region, so an
   * incremental collector continues where the last run ended. undefined on the first run.
   */
  lastPeriodEnd(): Promise<Date | undefined>;
  /** Store one evidence record. The runner adds the envelope, redacts secrets and writes it. */
  emit(record: { payload: unknown; calls: EvidenceCall[]; period?: EvidencePeriod }): Promise<void>;
  /** Progress for the display: units done so far (and the total when known). */
  progress(done: number, total?: number): void;
  signal: AbortSignal;
}

/**
 * snapshot: each record is the full set of resources when collected (it stands until the next one).
 * history: each record covers a window of past changes (CloudTrail events, Config timelines).
 */
export type Cadence = "snapshot" | "history";

/** Default cron expressions (UTC) a collector declares when the config has no `schedules`. */
export const DAILY = "0 0 * * *";
export const HOURLY = "0 * * * *";

/**
 * What a collector declares in its own file, src/collectors/<service>/<id>.ts; everything else
 * (the IAM policy, evaluate's collector lists, the scheduler's defaults, the state builder) is
 * derived from it. See docs/ARCHITECTURE.md, "Add a collector".
 */
export interface CollectorDeclaration<O = Record<string, unknown>> {
  id: string;
  /** The AWS service it reads, from aws/services.ts. */
  service: ServiceName;
  title: string;
  /** SDK command names it may send, e.g. "DescribeTrails". Tests prove it sends no other. */
  operations: readonly string[];
  cadence: Cadence;
  /** Cron (UTC) it runs on when the config has no `schedules`. */
  schedule: string;
  /**
   * Check-facing resource types its evidence builds, the ones its records are the main source of
   * first. evaluate reads this collector's records for checks on these types.
   */
  resourceTypes: readonly ResourceType[];
  /** Turns its records into observations: src/collectors/<service>/<id>.state.ts. */
  state: StateAdapter;
  /** Validates `collectors.<id>` from the config; defaults apply when absent. */
  optionsSchema?: ZodType<O>;
  /** Runs once per account and region. Throwing ends this collector for that account and region with an error record. */
  collect(ctx: CollectContext<O>): Promise<void>;
}

/** A declaration with what is derived from it. */
export interface Collector<O = Record<string, unknown>> extends CollectorDeclaration<O> {
  /** IAM actions it needs, e.g. DescribeTrails under CloudTrail's prefix: its service's IAM prefix and each operation. */
  iamActions: readonly string[];
}

/** A collector of any options type, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: a list of collectors each with its own options type
export type AnyCollector = Collector<any>;
