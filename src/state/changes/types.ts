import type { Json } from "../fields.js";
import type { Kind } from "../history.js";

/** A CloudTrail management event as the rules see it (from a LookupEvents `Event`). */
export interface ActivityEvent {
  name: string;
  /** Epoch ms (CloudTrail times are whole seconds). */
  at: number;
  id?: string;
  /** Who made the call: the IAM ARN or user name CloudTrail records. */
  principal?: string;
  params: Json;
  response: Json;
  account: string;
  region: string;
}

/**
 * How one event changes one resource:
 * - `set`: the fields take the values `values` gives (a field listed in `fields` but missing from
 *   `values` is unknown after the event); before it they are unknown;
 * - `toggle`: a boolean field flips: `values` gives the state after, `reverse` the state before;
 * - `create`: the resource did not exist before; after, `values` (and unknown for the rest);
 * - `delete`: the resource does not exist after.
 */
export type Op = "set" | "toggle" | "create" | "delete";

export interface Effect<S = Record<string, unknown>> {
  kind: Kind;
  key: string;
  op: Op;
  /** Fields of the state the event sets (top level). */
  fields: readonly string[];
  /** The state after the event from the state before it (fields known before are kept). */
  apply?: (before: S) => S;
  /** For a toggle: the state before the event from the state after it. */
  reverse?: (after: S) => S;
  /** A name for a state built from nothing (the event creates what was unknown). */
  name?: string;
}

/** An effect on a state of any kind, as a rule lists them. */
// biome-ignore lint/suspicious/noExplicitAny: each rule's effects are typed against their own state
export type AnyEffect = Effect<any>;

/**
 * One CloudTrail event of the change vocabulary: which state fields it can change (per kind),
 * and, given the event, the effects on the resources it targets.
 */
export interface EventRule {
  name: string;
  /** CloudTrail's eventSource, e.g. cognito-idp.amazonaws.com. */
  source: string;
  /** Global-service events are recorded in us-east-1 whatever the resource's region. */
  global?: boolean;
  /** Per state kind, the top-level fields this event can change. An empty list: it changes none auditpack reads. */
  changes: Partial<Record<Kind, readonly string[]>>;
  effects(event: ActivityEvent): AnyEffect[];
}

/**
 * Fields that change without any API call CloudTrail records (delivery status, rule evaluations), or
 * that auditpack derives: no activity can prove they held, so reconstruction never carries them
 * across time. Each says why.
 */
export type Untracked = Partial<Record<Kind, Record<string, string>>>;
