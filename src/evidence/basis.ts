/** A CloudTrail event an interval's basis rests on. */
export interface BasisEvent {
  name: string;
  at: string;
  id?: string;
  principal?: string;
}

/**
 * How an interval is known (docs/EVIDENCE.md, "How each interval is known"):
 * - observed: a snapshot auditpack collected then (or a status time AWS reported, e.g. StartLoggingTime);
 * - config-timeline: AWS Config configuration items;
 * - inferred-from-activity: carried from an observation across a stretch that CloudTrail activity
 *   covers completely, with the events that bound it (a toggle fixes both sides, a value-setting
 *   event the side after it).
 */
export interface Basis {
  kind: "observed" | "config-timeline" | "inferred-from-activity";
  events?: BasisEvent[];
  /** The activity coverage the inference relies on ([start, end), ISO 8601 UTC). */
  coverage?: { start: string; end: string };
  note?: string;
}
