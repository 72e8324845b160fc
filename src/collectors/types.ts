import type { ZodType } from "zod";
import type { EvidenceCall, EvidencePeriod } from "../evidence/record.js";

/** SDK signing names of the services collectors read. */
export type ServiceName = "config" | "cloudtrail" | "logs" | "monitoring" | "cognito-idp" | "sts";

/** The window a history collector reads (CloudTrail events, Config timelines). */
export interface CollectWindow {
  start: Date;
  end: Date;
}

/** A client constructor from @aws-sdk/client-*. */
// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take differing config types
export type ClientConstructor<C> = new (config: any) => C;

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
 * One collector per file under src/collectors/<service>/. It only calls the read-only operations it
 * declares; the IAM policy (`auditpack iam-policy`) is generated from `iamActions`.
 */
export interface Collector<O = Record<string, unknown>> {
  id: string;
  service: ServiceName;
  title: string;
  /** SDK command names it may send, e.g. "DescribeTrails". Tests prove it sends no other. */
  operations: readonly string[];
  /** IAM actions it needs, e.g. "cloudtrail:DescribeTrails". */
  iamActions: readonly string[];
  /** Validates `collectors.<id>` from the config; defaults apply when absent. */
  optionsSchema?: ZodType<O>;
  /** Runs once per account and region. Throwing ends this collector for that account and region with an error record. */
  collect(ctx: CollectContext<O>): Promise<void>;
}
