import type { Basis } from "../evidence/basis.js";
import type { EvidenceRef } from "../evidence/ref.js";
import { applyEffect, eventRef } from "./activity.js";
import { EMPTY_MEMBERS, trackedFields, UNTRACKED } from "./changes/index.js";
import type { ChangeRecord, FieldSpan, Histories, HistoryBuilder, Kind, Observation } from "./history.js";
import { unknownFields, withKnown, withUnknown } from "./unknown.js";

/**
 * Backward reconstruction (issue 10): what held before a resource's first observation, from the
 * CloudTrail activity that covers the time before it.
 *
 * From the first observed state (snapshot or Config item) walk back through the contiguous stretch
 * of activity coverage that reaches it. Between vocabulary events the state held (a change would
 * have been recorded); at each event, going back:
 * - a toggle (StopLogging, DisableAlarmActions, StopConfigurationRecorder...) fixes the value before;
 * - a value-setting event (UpdateUserPool, PutRetentionPolicy...) leaves the fields it set unknown
 *   before it (CloudTrail records the new value, not the old one);
 * - a create means the resource did not exist before.
 * Where coverage stops (a hole, or the 90 days LookupEvents keeps) the walk stops: nothing is known.
 * Fields that change without an API call (UNTRACKED) are never carried back.
 *
 * A resource with no observation at all (created or changed and then deleted inside the window) is
 * built forwards from its events: what the events set is known, the rest unknown.
 *
 * Events in the same second whose order cannot be told apart and that set the same field differently
 * leave that field unknown on both sides.
 */
export function reconstruct(builder: HistoryBuilder, histories: Histories, kinds: readonly Kind[]): void {
  for (const kind of kinds) {
    for (const scope of histories.ofKind<Record<string, unknown>>(kind)) {
      for (const history of scope.resources.values()) {
        // A trail's events are recorded in its home region, also for the copies other regions show.
        const home = kind.startsWith("cloudtrail_")
          ? (homeRegionOf(history.key) ?? scope.region)
          : scope.region;
        const coverage = builder.activityCoverage.get(`${scope.account}|${home}`) ?? [];
        const changes = [
          ...builder.changesOf(kind, scope.account, scope.region, history.key),
          ...(home !== scope.region
            ? builder.changesOf("cloudtrail_trail", scope.account, home, history.key)
            : []),
        ];
        const spans = builder.fieldSpansOf(kind, scope.account, scope.region, history.key);
        const added = reconstructResource(kind, history.key, history.observations, changes, coverage, spans, {
          account: scope.account,
          region: scope.region,
        });
        if (added.length > 0)
          history.observations = [...history.observations, ...added].sort((a, b) => a.at - b.at);
        fillFromLater(kind, history.observations, changes, coverage);
      }
    }
  }
}

type State = Record<string, unknown>;

const homeRegionOf = (trailArn: string): string | undefined =>
  /^arn:[^:]+:cloudtrail:([^:]+):/.exec(trailArn)?.[1];

/** Shadow copies of trails share the trail's vocabulary. */
const vocabularyKind = (kind: Kind): Kind => (kind === "cloudtrail_shadow" ? "cloudtrail_trail" : kind);

interface Group {
  at: number;
  changes: ChangeRecord[];
}

/** Events of one resource grouped by the second they happened in, oldest first. */
export function groupBySecond(changes: readonly ChangeRecord[]): Group[] {
  const sorted = [...changes].sort(
    (a, b) => a.event.at - b.event.at || (a.event.id ?? "").localeCompare(b.event.id ?? ""),
  );
  const out: Group[] = [];
  for (const c of sorted) {
    const at = Math.floor(c.event.at / 1000) * 1000;
    const last = out.at(-1);
    if (last && last.at === at) last.changes.push(c);
    else out.push({ at, changes: [c] });
  }
  return out;
}

/**
 * Fields set differently by the changes of one second: their order is unknown, so is their value.
 * The same event twice (a CloudTrail event and the status time that reports it) does not conflict.
 */
function conflicting(group: Group): Set<string> {
  const byField = new Map<string, Set<string>>();
  for (const c of group.changes) {
    for (const f of c.effect.fields) {
      const names = byField.get(f) ?? new Set<string>();
      names.add(`${c.effect.op}:${c.event.name}`);
      byField.set(f, names);
    }
  }
  return new Set([...byField].filter(([, names]) => names.size > 1).map(([f]) => f));
}

/** The state before a second's changes, from the state after them; "absent" when one created it. */
export function stateBefore(after: State, group: Group, kind: Kind): State | "absent" {
  if (group.changes.some((c) => c.effect.op === "create")) return "absent";
  const unsure = conflicting(group);
  let state = after;
  for (const c of [...group.changes].reverse()) {
    const { effect } = c;
    if (unsure.size > 0 && effect.fields.some((f) => unsure.has(f))) continue;
    if (effect.op === "toggle" && effect.reverse) state = (effect.reverse as (s: State) => State)(state);
    else if (effect.op === "delete") state = withUnknown(state, allFields(kind));
    else state = withUnknown(state, effect.fields);
  }
  return unsure.size > 0 ? withUnknown(state, unsure) : state;
}

/** The state after a second's changes; "absent" when one deleted it. */
export function stateAfter(before: State, group: Group): State | "absent" {
  const unsure = conflicting(group);
  let state = before;
  for (const c of group.changes) {
    if (c.effect.op === "delete") return "absent";
    state = applyEffect(c.effect, state);
  }
  return unsure.size > 0 ? withUnknown(state, unsure) : state;
}

const allFields = (kind: Kind): string[] => [
  ...trackedFields(vocabularyKind(kind)),
  ...Object.keys(UNTRACKED[vocabularyKind(kind)] ?? {}).filter((f) => !f.includes("[]")),
];

/** A state of `kind` of which nothing but its identity is known. */
export function emptyState(
  kind: Kind,
  key: string,
  place: { account: string; region: string },
  name?: string,
): State {
  return withUnknown(
    {
      account: place.account,
      region: place.region,
      id: key,
      name: name ?? key,
      observedAt: "",
      evidence: [],
      ...structuredClone(EMPTY_MEMBERS[kind] ?? {}),
    },
    allFields(kind),
  );
}

/** Untracked fields (delivery status...) cannot be carried across time. */
function forgetUntracked(state: State, kind: Kind): State {
  const untracked = Object.keys(UNTRACKED[vocabularyKind(kind)] ?? {});
  let out = withUnknown(
    state,
    untracked.filter((f) => !f.includes("[]")),
  );
  for (const path of untracked.filter((f) => f.includes("[]."))) {
    const [list, member] = path.split("[].") as [string, string];
    const items = out[list];
    if (Array.isArray(items)) out = { ...out, [list]: items.map((i) => withUnknown(i as object, [member])) };
  }
  return out;
}

/** The coverage span [start, end) that reaches `t` from before (covers the instant just before t). */
function spanReaching(coverage: ReadonlyArray<[number, number]>, t: number): [number, number] | undefined {
  return coverage.find(([s, e]) => s < t && t <= e);
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.000Z$/, "Z");

function inferred(
  at: number,
  until: number,
  state: State,
  bounds: ChangeRecord[],
  span: [number, number],
  evidence: EvidenceRef[],
): Observation<State> {
  const refs = new Map<string, EvidenceRef>();
  for (const e of [...evidence, ...bounds.flatMap((b) => b.evidence)]) refs.set(e.key, e);
  const basis: Basis = {
    kind: "inferred-from-activity",
    events: bounds.map((b) => eventRef(b.event)),
    coverage: { start: iso(span[0]), end: iso(span[1]) },
  };
  return {
    at,
    until,
    kind: "state",
    state: { ...state, observedAt: iso(at), evidence: [...refs.values()] },
    evidence: [...refs.values()],
    basis,
  };
}

/**
 * The observations reconstruction adds to one resource's history (see reconstruct): back from the
 * first observed state, and back from every later one across a gap before it (a missed collection)
 * that activity covers.
 */
export function reconstructResource(
  kind: Kind,
  key: string,
  observations: readonly Observation<State>[],
  changes: readonly ChangeRecord[],
  coverage: ReadonlyArray<[number, number]>,
  fieldSpans: readonly FieldSpan[],
  place: { account: string; region: string },
): Observation<State>[] {
  const groups = groupBySecond(changes);
  const first = observations.findIndex((o) => o.kind === "state" && o.state);
  if (first < 0) return forwardFromEvents(kind, key, observations, groups, coverage, place);
  const out = walkBack(kind, observations, first, groups, coverage, fieldSpans);
  for (let i = first + 1; i < observations.length; i++) {
    const o = observations[i]!;
    if (o.kind !== "state" || !o.state) continue;
    out.push(...walkBack(kind, observations, i, groups, coverage, []));
  }
  return out;
}

/** Back from the state observed at observations[index], as far as coverage and earlier evidence allow. */
function walkBack(
  kind: Kind,
  observations: readonly Observation<State>[],
  index: number,
  groups: Group[],
  coverage: ReadonlyArray<[number, number]>,
  fieldSpans: readonly FieldSpan[],
): Observation<State>[] {
  const anchor = observations[index]!;
  const t0 = anchor.at;
  // Never reach over something known earlier (an absence, an error, an older state).
  const floor = Math.max(-Infinity, ...observations.slice(0, index).map((o) => Math.min(o.until, t0)));
  if (floor >= t0) return [];
  const span = spanReaching(coverage, t0);
  const out: Observation<State>[] = [];
  let state = forgetUntracked(anchor.state!, kind);
  let segmentEnd = t0;
  let after: ChangeRecord[] = [];
  const start = span ? Math.max(span[0], floor) : t0;
  if (span) {
    for (const group of [...groups].reverse()) {
      if (group.at >= t0 || group.at < start) continue;
      const at = Math.max(group.at, start);
      if (at < segmentEnd)
        out.push(inferred(at, segmentEnd, state, [...group.changes, ...after], span, anchor.evidence));
      segmentEnd = Math.min(segmentEnd, at);
      after = group.changes;
      const before = stateBefore(state, group, kind);
      if (before === "absent") {
        if (start < segmentEnd)
          out.push({
            at: start,
            until: segmentEnd,
            kind: "absent",
            evidence: group.changes.flatMap((c) => c.evidence),
            basis: {
              kind: "inferred-from-activity",
              events: group.changes.map((c) => eventRef(c.event)),
              coverage: { start: iso(span[0]), end: iso(span[1]) },
            },
          });
        return out;
      }
      state = before;
    }
    if (start < segmentEnd) out.push(inferred(start, segmentEnd, state, after, span, anchor.evidence));
  }
  // Beyond the coverage, a field observed on its own (StartLoggingTime...) is still known.
  const emitted = new Set<string>();
  for (const fs of fieldSpans) {
    const from = Math.max(fs.start, floor);
    const to = Math.min(fs.end, start);
    // Every later status repeats the same start time: one observation is enough.
    if (from >= to || emitted.has(`${fs.field}|${from}|${to}`)) continue;
    emitted.add(`${fs.field}|${from}|${to}`);
    const only = withUnknown(
      state,
      allFields(kind).filter((f) => f !== fs.field),
    );
    out.push({
      at: from,
      until: to,
      kind: "state",
      state: { ...only, observedAt: iso(from), evidence: fs.evidence },
      evidence: fs.evidence,
      basis: { kind: "observed", note: fs.note },
    });
  }
  return out;
}

/**
 * A resource seen only in events: each second's changes on top of the last, within coverage. A
 * resource whose first event is not its creation existed, unknown, back to where coverage begins.
 */
function forwardFromEvents(
  kind: Kind,
  key: string,
  observations: readonly Observation<State>[],
  groups: Group[],
  coverage: ReadonlyArray<[number, number]>,
  place: { account: string; region: string },
): Observation<State>[] {
  const out: Observation<State>[] = [];
  let state: State | undefined;
  groups.forEach((group, i) => {
    const span = coverage.find(([s, e]) => s <= group.at && group.at < e);
    if (!span) {
      state = undefined;
      return;
    }
    const named = group.changes.find((c) => c.effect.name)?.effect.name;
    if (i === 0 && !group.changes.some((c) => c.effect.op === "create")) {
      const floor = Math.max(
        -Infinity,
        ...observations.filter((o) => o.at < group.at).map((o) => Math.min(o.until, group.at)),
      );
      const from = Math.max(span[0], floor);
      if (from < group.at)
        out.push(inferred(from, group.at, emptyState(kind, key, place, named), group.changes, span, []));
    }
    const next = groups[i + 1];
    const end = Math.min(
      span[1],
      next && next.at < span[1] ? next.at : span[1],
      firstAfter(observations, group.at),
    );
    const before = state ?? emptyState(kind, key, place, named);
    const after = stateAfter(before, group);
    if (after === "absent") {
      state = undefined;
      return; // the delete's own absent observation covers what follows
    }
    state = after;
    if (group.at < end) out.push(inferred(group.at, end, after, group.changes, span, []));
  });
  return out;
}

/**
 * A field an event left unknown (UpdateUserPool without it, say) is known again from a later
 * observation, when the activity covers the time between them and no event that can change the
 * field happened in it. Works back from the newest observation.
 */
export function fillFromLater(
  kind: Kind,
  observations: Observation<State>[],
  changes: readonly ChangeRecord[],
  coverage: ReadonlyArray<[number, number]>,
): void {
  const untracked = new Set(Object.keys(UNTRACKED[vocabularyKind(kind)] ?? {}));
  const later = new Map<string, { value: unknown; at: number }>();
  for (let i = observations.length - 1; i >= 0; i--) {
    const o = observations[i]!;
    if (o.kind !== "state" || !o.state) {
      later.clear(); // an absence or an error breaks the chain
      continue;
    }
    const unknown = unknownFields(o.state);
    const fill: Record<string, unknown> = {};
    for (const field of unknown) {
      const known = later.get(field);
      if (!known || untracked.has(field)) continue;
      const span = coverage.find(([s, e]) => s <= o.at && known.at <= e);
      const changed = changes.some(
        (c) =>
          c.event.at > o.at &&
          c.event.at <= known.at &&
          (c.effect.fields.includes(field) || c.effect.op !== "set"),
      );
      if (span && !changed) fill[field] = known.value;
    }
    if (Object.keys(fill).length > 0) o.state = withKnown({ ...o.state, ...fill }, Object.keys(fill));
    const after = unknownFields(o.state);
    for (const [field, value] of Object.entries(o.state)) {
      if (!after.has(field)) later.set(field, { value, at: o.at });
      else later.delete(field);
    }
  }
}

/**
 * A snapshot's scope marker ("these are all the resources here") also holds back over the activity
 * coverage that reaches it: a resource created or deleted in that stretch has its own events.
 */
export function extendMarkers(builder: HistoryBuilder, histories: Histories, kinds: readonly Kind[]): void {
  for (const kind of kinds) {
    for (const scope of histories.ofKind(kind)) {
      const coverage = builder.activityCoverage.get(`${scope.account}|${scope.region}`) ?? [];
      const first = scope.markers[0];
      if (first?.kind !== "state") continue;
      const span = spanReaching(coverage, first.at);
      if (!span || span[0] >= first.at) continue;
      scope.markers = [
        {
          at: span[0],
          until: first.at,
          kind: "state",
          evidence: first.evidence,
          basis: {
            kind: "inferred-from-activity",
            events: [],
            coverage: { start: iso(span[0]), end: iso(span[1]) },
          },
        },
        ...scope.markers,
      ];
    }
  }
}

function firstAfter(observations: readonly Observation<State>[], t: number): number {
  return observations.find((o) => o.at > t)?.at ?? Number.POSITIVE_INFINITY;
}
