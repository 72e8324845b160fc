import type { EvidenceRef } from "../evaluate/types.js";
import type { EvidenceRecord } from "../evidence/record.js";
import { type ActivityEvent, type Effect, ruleFor } from "./changes/index.js";
import { arr, type Json, jsonObject, str } from "./fields.js";
import type { Histories, HistoryBuilder } from "./history.js";
import type { TrailState } from "./types.js";
import { unknownFields, withUnknown as withUnknownFields } from "./unknown.js";

interface Activity {
  record: EvidenceRecord;
  ref: EvidenceRef;
}

/** Merge [start, end) spans that touch or overlap. */
export function mergeSpans(spans: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * One LookupEvents `Event` as the change rules read it, or undefined when it is not usable: no name
 * or time, or a failed call (errorCode set: a call AWS refused changed nothing).
 */
export function activityEvent(raw: unknown, account: string, region: string): ActivityEvent | undefined {
  const detail = jsonObject((raw as { CloudTrailEvent?: unknown }).CloudTrailEvent) ?? {};
  if (str(detail, "errorCode")) return undefined;
  const name = str(raw, "EventName") ?? str(detail, "eventName");
  const at = Date.parse(str(raw, "EventTime") ?? str(detail, "eventTime") ?? "");
  if (!name || Number.isNaN(at)) return undefined;
  const identity = (detail.userIdentity ?? {}) as Json;
  return {
    name,
    at,
    id: str(raw, "EventId") ?? str(detail, "eventID"),
    principal: str(identity, "arn") ?? str(raw, "Username") ?? str(identity, "principalId"),
    params: (jsonObject(detail.requestParameters) ?? {}) as Json,
    response: (jsonObject(detail.responseElements) ?? {}) as Json,
    account,
    region,
  };
}

/**
 * CloudTrail activity (one record per UTC day) as state changes. Each event of the change
 * vocabulary (src/state/changes/) is handed to the builder twice: as a change on top of the state
 * observed before it (it holds until the end of the contiguous stretch of days the activity
 * covers: within it, a later change would have been seen), and as a change for the backward
 * reconstruction (src/state/reconstruct.ts), which works out what held before the first observation.
 */
export function addActivity(
  builder: HistoryBuilder,
  account: string,
  region: string,
  activity: Activity[],
): void {
  const ok = activity.filter((a) => !a.record.error);
  const spans = mergeSpans(
    ok
      .filter((a) => a.record.period)
      .map((a) => [Date.parse(a.record.period!.start), Date.parse(a.record.period!.end)] as [number, number]),
  );
  builder.activityCoverage.set(`${account}|${region}`, spans);
  const coverEnd = (t: number) => spans.find(([s, e]) => s <= t && t < e)?.[1] ?? t + 1000;

  for (const { record, ref } of activity) {
    if (!record.error) continue;
    // Without the day's activity, a stop of logging may have gone unseen.
    const at = Date.parse(record.period?.start ?? record.collectedAt);
    const until = Date.parse(record.period?.end ?? record.collectedAt) || at + 86_400_000;
    builder.mark("cloudtrail_trail", account, region, {
      at,
      until,
      kind: "error",
      error: { code: record.error.code, message: `CloudTrail activity unreadable: ${record.error.message}` },
      evidence: [ref],
    });
  }

  for (const { record, ref } of ok) {
    for (const raw of arr(record.payload, "events")) {
      const event = activityEvent(raw, account, region);
      const rule = event && ruleFor(event.name);
      if (!event || !rule) continue;
      const evidence = [ref];
      const until = coverEnd(event.at);
      for (const effect of rule.effects(event) as Effect[]) {
        builder.change(effect.kind, account, region, effect.key, { event, effect, evidence });
        if (
          effect.kind === "cloudtrail_trail" &&
          (event.name === "StartLogging" || event.name === "StopLogging")
        ) {
          const isLogging = event.name === "StartLogging";
          builder.signal(account, region, effect.key, {
            at: event.at,
            kind: isLogging ? "start" : "stop",
            isLogging,
          });
        }
        forwardChange(builder, account, region, event, effect, evidence, until);
      }
    }
  }
}

/** The change on top of the state observed before it; with no earlier state it waits for reconstruction. */
function forwardChange(
  builder: HistoryBuilder,
  account: string,
  region: string,
  event: ActivityEvent,
  effect: Effect,
  evidence: EvidenceRef[],
  until: number,
): void {
  const basis = { kind: "inferred-from-activity" as const, events: [eventRef(event)] };
  if (effect.op === "delete") {
    builder.observe(effect.kind, account, region, effect.key, {
      at: event.at,
      until,
      kind: "absent",
      evidence,
      basis,
    });
    return;
  }
  const observedAt = new Date(event.at).toISOString();
  builder.observe<Record<string, unknown>>(effect.kind, account, region, effect.key, {
    at: event.at,
    until,
    kind: "state",
    evidence,
    basis,
    patch: (previous) => (previous ? { ...applyEffect(effect, previous), observedAt, evidence } : undefined),
  });
}

/** The state after an effect (a set without values leaves its fields unknown). */
export function applyEffect<S extends object>(effect: Effect, before: S): S {
  if (effect.apply) return (effect.apply as unknown as (s: S) => S)(before);
  return withUnknownFields(before, effect.fields);
}

export function eventRef(event: ActivityEvent): {
  name: string;
  at: string;
  id?: string;
  principal?: string;
} {
  const out: { name: string; at: string; id?: string; principal?: string } = {
    name: event.name,
    at: new Date(event.at).toISOString().replace(/\.000Z$/, "Z"),
  };
  if (event.id) out.id = event.id;
  if (event.principal) out.principal = event.principal;
  return out;
}

/**
 * Config items do not carry a trail's logging status. Where it is unknown, take it from the next
 * signal, provided CloudTrail activity covers the time in between (so no unseen change happened):
 * a StopLogging means it was logging before, a StartLogging that it was not, a status that it was so.
 */
export function inferTrailLogging(builder: HistoryBuilder, histories: Histories): void {
  for (const scope of histories.ofKind<TrailState>("cloudtrail_trail")) {
    const spans = builder.activityCoverage.get(`${scope.account}|${scope.region}`) ?? [];
    const covered = (from: number, to: number) => spans.some(([s, e]) => s <= from && to <= e);
    for (const history of scope.resources.values()) {
      const signals = [
        ...(builder.loggingSignals.get(`${scope.account}|${scope.region}|${history.key}`) ?? []),
      ].sort((a, b) => a.at - b.at);
      for (const o of history.observations) {
        if (o.kind !== "state" || !o.state || o.state.isLogging !== undefined) continue;
        if (unknownFields(o.state).has("isLogging")) continue; // reconstruction already said it is unknown
        const next = signals.find((s) => s.at > o.at);
        if (!next || !covered(o.at, next.at)) continue;
        const isLogging = next.kind === "stop" ? true : next.kind === "start" ? false : next.isLogging;
        o.state = { ...o.state, isLogging, loggingSource: "inferred" };
      }
    }
  }
}
