import { activityCollectorIds } from "../collectors/registry.js";
import type { LoadedRecord } from "../state/build.js";
import { jsonObject, str } from "../state/fields.js";
import { isoSeconds } from "./period.js";
import type { EdgeEvent, ResourceFinding } from "./types.js";

/**
 * Name the CloudTrail event (and its principal) that began each interval, when the evidence holds
 * one: an interval whose start is the second of an event in a CloudTrail activity record it cites.
 * The end of an interval is the start of the next, so its event is the next interval's.
 */

/** Every event of the activity records, by `<record key>|<event second>`. */
export function indexActivityEvents(records: readonly LoadedRecord[]): Map<string, EdgeEvent> {
  const index = new Map<string, EdgeEvent>();
  for (const { record, ref } of records) {
    if (!activityCollectorIds.has(record.collector) || record.error) continue;
    const events = (record.payload as { events?: unknown[] } | undefined)?.events ?? [];
    for (const event of events) {
      if (!event || typeof event !== "object") continue;
      const detail = jsonObject((event as { CloudTrailEvent?: unknown }).CloudTrailEvent) ?? {};
      const name = str(event, "EventName") ?? str(detail, "eventName");
      const at = Date.parse(str(event, "EventTime") ?? str(detail, "eventTime") ?? "");
      if (!name || Number.isNaN(at)) continue;
      const identity = (detail.userIdentity ?? {}) as Record<string, unknown>;
      const principal =
        str(event, "Username") ??
        str(identity, "userName") ??
        str(identity, "arn") ??
        str(identity, "principalId");
      const eventId = str(event, "EventId") ?? str(detail, "eventID");
      const second = isoSeconds(at);
      const key = `${ref.key}|${second}`;
      if (index.has(key)) continue; // the first event of that second names the edge
      index.set(key, {
        name,
        at: second,
        ...(eventId ? { eventId } : {}),
        ...(principal ? { principal } : {}),
        evidence: { key: ref.key, sha256: ref.sha256 },
      });
    }
  }
  return index;
}

/** Set `startEvent` on every interval of these findings that an indexed event began. Returns how many were named. */
export function annotateFindings(
  findings: readonly ResourceFinding[],
  index: ReadonlyMap<string, EdgeEvent>,
): number {
  if (index.size === 0) return 0;
  let named = 0;
  for (const f of findings) {
    for (const interval of f.intervals) {
      for (const e of interval.evidence) {
        const event = index.get(`${e.key}|${interval.start}`);
        if (event) {
          interval.startEvent = event;
          named++;
          break;
        }
      }
    }
  }
  return named;
}
