import type { Basis, EvidenceRef } from "../evaluate/types.js";
import type { ActivityEvent, Effect } from "./changes/types.js";
import type { ResourceType, StateTypes } from "./types.js";

/** A check-facing resource type or an internal component kind (e.g. "cloudwatch_alarm"). */
export type Kind = ResourceType | (string & {});

/** An error an evidence record carries (AccessDenied, throttling...). */
export interface ObservedError {
  code: string;
  message: string;
}

/**
 * What is known about one resource from `at` until `until` (epoch ms, exclusive): a state, the
 * resource's absence, or an error. A snapshot holds for the collection interval; a Config item or
 * an activity event holds until its record's coverage ends. Where several cover a time, the latest wins.
 */
export interface Observation<S> {
  at: number;
  until: number;
  kind: "state" | "absent" | "error";
  state?: S;
  error?: ObservedError;
  evidence: EvidenceRef[];
  /** How this is known; when absent, from the evidence's collector (snapshot: observed; Config: config-timeline). */
  basis?: Basis;
}

/** One vocabulary event's effect on one resource, kept for the backward reconstruction. */
export interface ChangeRecord {
  event: ActivityEvent;
  effect: Effect;
  evidence: EvidenceRef[];
}

/** A stretch in which one field is known from an observation of its own (GetTrailStatus StartLoggingTime...). */
export interface FieldSpan {
  start: number;
  end: number;
  field: string;
  evidence: EvidenceRef[];
  note: string;
}

/** Before resolution an observation may be a change to the previous state (Config item, event). */
export interface RawObservation<S> extends Omit<Observation<S>, "state"> {
  state?: S;
  /** Builds the state from the one before it; returning undefined drops the observation. */
  patch?: (previous: S | undefined) => S | undefined;
}

export interface ResourceHistory<S> {
  type: Kind;
  account: string;
  region: string;
  key: string;
  observations: Observation<S>[];
}

/**
 * A snapshot marker says "at `at`, the collector saw exactly these resources of this type" (kind
 * state, with keys) or failed (kind error). It makes unseen resources absent and covers an empty scope.
 */
export interface ScopeMarker extends Observation<null> {
  keys?: Set<string>;
}

export interface ScopeHistory<S> {
  type: Kind;
  account: string;
  region: string;
  markers: ScopeMarker[];
  resources: Map<string, ResourceHistory<S>>;
}

const scopeId = (type: string, account: string, region: string): string => `${type}|${account}|${region}`;

/** A trail's logging status as some evidence told it: GetTrailStatus, or a Start/StopLogging event. */
export interface LoggingSignal {
  at: number;
  kind: "status" | "start" | "stop";
  isLogging: boolean;
}

/** Collects raw observations from the adapters, then resolves them into time-ordered histories. */
export class HistoryBuilder {
  /** Per "account|region|trailArn": logging signals, for inferring the status before the first one. */
  readonly loggingSignals = new Map<string, LoggingSignal[]>();
  /** Per "account|region": spans [start, end) covered by CloudTrail activity records. */
  readonly activityCoverage = new Map<string, Array<[number, number]>>();
  /** Per scope and resource key: the vocabulary events that changed it. */
  readonly changes = new Map<string, ChangeRecord[]>();
  /** Per scope and resource key: fields known over a stretch from an observation of their own. */
  readonly fieldSpans = new Map<string, FieldSpan[]>();

  change(type: Kind, account: string, region: string, key: string, change: ChangeRecord): void {
    this.touch(type, account, region);
    const id = `${scopeId(type, account, region)}|${key}`;
    this.changes.set(id, [...(this.changes.get(id) ?? []), change]);
    // A resource known only from events still gets a history (reconstruction fills it).
    this.observeNothing(type, account, region, key);
  }

  fieldSpan(type: Kind, account: string, region: string, key: string, span: FieldSpan): void {
    const id = `${scopeId(type, account, region)}|${key}`;
    this.fieldSpans.set(id, [...(this.fieldSpans.get(id) ?? []), span]);
  }

  changesOf(type: Kind, account: string, region: string, key: string): ChangeRecord[] {
    return this.changes.get(`${scopeId(type, account, region)}|${key}`) ?? [];
  }

  fieldSpansOf(type: Kind, account: string, region: string, key: string): FieldSpan[] {
    return this.fieldSpans.get(`${scopeId(type, account, region)}|${key}`) ?? [];
  }

  private observeNothing(type: Kind, account: string, region: string, key: string): void {
    const id = scopeId(type, account, region);
    let byKey = this.raw.get(id);
    if (!byKey) {
      byKey = new Map();
      this.raw.set(id, byKey);
    }
    if (!byKey.has(key)) byKey.set(key, []);
  }

  signal(account: string, region: string, trail: string, signal: LoggingSignal): void {
    const id = `${account}|${region}|${trail}`;
    let list = this.loggingSignals.get(id);
    if (!list) {
      list = [];
      this.loggingSignals.set(id, list);
    }
    list.push(signal);
  }

  private readonly raw = new Map<string, Map<string, RawObservation<unknown>[]>>();
  private readonly markers = new Map<string, ScopeMarker[]>();
  private readonly scopes = new Map<string, { type: Kind; account: string; region: string }>();

  private touch(type: Kind, account: string, region: string): string {
    const id = scopeId(type, account, region);
    if (!this.scopes.has(id)) this.scopes.set(id, { type, account, region });
    return id;
  }

  observe<S>(type: Kind, account: string, region: string, key: string, observation: RawObservation<S>): void {
    const id = this.touch(type, account, region);
    let byKey = this.raw.get(id);
    if (!byKey) {
      byKey = new Map();
      this.raw.set(id, byKey);
    }
    let list = byKey.get(key);
    if (!list) {
      list = [];
      byKey.set(key, list);
    }
    list.push(observation as RawObservation<unknown>);
  }

  mark(type: Kind, account: string, region: string, marker: ScopeMarker): void {
    const id = this.touch(type, account, region);
    let list = this.markers.get(id);
    if (!list) {
      list = [];
      this.markers.set(id, list);
    }
    list.push(marker);
  }

  build(): Histories {
    const out = new Histories();
    for (const [id, { type, account, region }] of this.scopes) {
      const markers = [...(this.markers.get(id) ?? [])].sort((a, b) => a.at - b.at);
      const scope: ScopeHistory<unknown> = { type, account, region, markers, resources: new Map() };
      for (const [key, raw] of this.raw.get(id) ?? new Map<string, RawObservation<unknown>[]>()) {
        const all = [...raw];
        for (const m of markers) {
          if (m.kind === "error") all.push({ ...m, kind: "error", state: undefined });
          else if (m.keys && !m.keys.has(key))
            all.push({ at: m.at, until: m.until, kind: "absent", evidence: m.evidence });
        }
        scope.resources.set(key, { type, account, region, key, observations: resolve(all) });
      }
      out.set(scope);
    }
    return out;
  }
}

/** Order by time (stable) and apply patches to the state before them. */
export function resolve<S>(raw: RawObservation<S>[]): Observation<S>[] {
  const sorted = raw.map((o, i) => ({ o, i })).sort((a, b) => a.o.at - b.o.at || a.i - b.i);
  const out: Observation<S>[] = [];
  let previous: S | undefined;
  for (const { o } of sorted) {
    if (o.kind === "state") {
      const state = o.patch ? o.patch(previous) : o.state;
      if (state === undefined) continue;
      previous = state;
      out.push({ at: o.at, until: o.until, kind: "state", state, evidence: o.evidence, basis: o.basis });
    } else {
      out.push({
        at: o.at,
        until: o.until,
        kind: o.kind,
        error: o.error,
        evidence: o.evidence,
        basis: o.basis,
      });
    }
  }
  return out;
}

export class Histories {
  private readonly scopes = new Map<string, ScopeHistory<unknown>>();

  set(scope: ScopeHistory<unknown>): void {
    this.scopes.set(scopeId(scope.type, scope.account, scope.region), scope);
  }

  get<T extends ResourceType>(
    type: T,
    account: string,
    region: string,
  ): ScopeHistory<StateTypes[T]> | undefined {
    return this.scopes.get(scopeId(type, account, region)) as ScopeHistory<StateTypes[T]> | undefined;
  }

  /** A scope of an internal component kind. */
  getKind<S>(type: Kind, account: string, region: string): ScopeHistory<S> | undefined {
    return this.scopes.get(scopeId(type, account, region)) as ScopeHistory<S> | undefined;
  }

  /** Every scope of a kind, e.g. all regions' trails. */
  ofKind<S>(type: Kind): ScopeHistory<S>[] {
    return [...this.scopes.values()].filter((s) => s.type === type) as ScopeHistory<S>[];
  }
}

/**
 * The observation in effect at `t`: the latest one that started at or before t and still covers it.
 * Observations are sorted by `at`.
 */
export function effectiveAt<S>(
  observations: readonly Observation<S>[],
  t: number,
): Observation<S> | undefined {
  for (let i = observations.length - 1; i >= 0; i--) {
    const o = observations[i]!;
    if (o.at <= t && t < o.until) return o;
  }
  return undefined;
}
