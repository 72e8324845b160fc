import {
  CloudTrailClient,
  type Event,
  LookupEventsCommand,
  paginateLookupEvents,
} from "@aws-sdk/client-cloudtrail";
import { z } from "zod";
import type { EvidencePeriod } from "../../evidence/record.js";
import { activityEventNames, globalEventNames } from "../../state/changes/index.js";
import { defineCollector } from "../define.js";
import { HOURLY } from "../types.js";
import { CallLog, type Evidence, toEvidence } from "../util.js";
import { state } from "./cloudtrail_activity.state.js";

/**
 * The change vocabulary (src/state/changes/: every event that can change a field a check reads),
 * then the activity-only security events; derived from those declarations, never listed twice.
 */
export const DEFAULT_EVENT_NAMES = activityEventNames();

/** Global-service events (IAM) are recorded in us-east-1 only: asking elsewhere costs rate-limited calls. */
const GLOBAL_EVENT_NAMES = globalEventNames();
const GLOBAL_EVENTS_REGION = "us-east-1";

/** LookupEvents only reaches back 90 days. */
const MAX_LOOKBACK_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

const options = z
  .strictObject({
    eventNames: z
      .array(z.string().regex(/^[A-Za-z0-9]+$/, "expected a CloudTrail event name such as StopLogging"))
      .min(1)
      .default(DEFAULT_EVENT_NAMES)
      .transform((names) => [...new Set(names)]),
    lookbackDays: z.number().int().min(1).max(MAX_LOOKBACK_DAYS).default(MAX_LOOKBACK_DAYS),
  })
  .prefault({});
export type CloudTrailActivityOptions = z.output<typeof options>;

/** [start, end) cut at UTC midnights. */
export function utcDays(start: Date, end: Date): { start: Date; end: Date }[] {
  const days = [];
  let t = start.getTime();
  while (t < end.getTime()) {
    const midnight = (Math.floor(t / DAY_MS) + 1) * DAY_MS;
    const dayEnd = Math.min(midnight, end.getTime());
    days.push({ start: new Date(t), end: new Date(dayEnd) });
    t = dayEnd;
  }
  return days;
}

/** An event as stored: kept in this form from the moment it arrives (see keep). */
type StoredEvent = Evidence<Event>;

/** By time, then id. EventTime is a toISOString() value, whose text order is time order. */
function chronological(a: StoredEvent, b: StoredEvent): number {
  const [at, bt] = [a.EventTime ?? "", b.EventTime ?? ""];
  if (at !== bt) return at < bt ? -1 : 1;
  return (a.EventId ?? "").localeCompare(b.EventId ?? "");
}

/** LookupEvents' largest page. */
const PAGE_SIZE = 50;

function lookupInput(name: string, span: { start: Date; end: Date }) {
  return {
    LookupAttributes: [{ AttributeKey: "EventName" as const, AttributeValue: name }],
    StartTime: span.start,
    EndTime: span.end,
    MaxResults: PAGE_SIZE,
  };
}

/** Index of the day holding `at`, or -1 outside [first start, last end). Days are contiguous. */
function dayIndex(days: readonly { start: Date; end: Date }[], at: Date): number {
  let low = 0;
  let high = days.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const day = days[mid]!;
    if (at < day.start) high = mid - 1;
    else if (at >= day.end) low = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * One copy of each value that a day's events repeat thousands of times (event source, read-only flag,
 * resource type): the SDK parses a fresh string for every event. Only those few-valued members are
 * shared, and the table is capped, so it stays small whatever the account holds.
 */
class SharedValues {
  private static readonly LIMIT = 4096;
  private readonly values = new Map<string, string>();

  of(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.values.get(value);
    if (known !== undefined) return known;
    if (this.values.size < SharedValues.LIMIT) this.values.set(value, value);
    return value;
  }
}

/**
 * Adds `event` to a day's map if it is an event of `name` inside that day. StartTime and EndTime
 * are both inclusive, so this keeps [start, end) and a midnight event lands in one day only.
 * The event is kept in its stored form at once, so the SDK's objects (and their Dates) die young
 * instead of being held, and copied again, when the day's record is written.
 */
function keep(
  events: Map<string, StoredEvent>,
  event: Event,
  name: string,
  day: { start: Date; end: Date },
  shared: SharedValues,
): void {
  const at = event.EventTime;
  if (!at || at < day.start || at >= day.end || event.EventName !== name) return;
  const stored = toEvidence(event);
  stored.EventName = name;
  if ("EventSource" in stored) stored.EventSource = shared.of(stored.EventSource);
  if ("ReadOnly" in stored) stored.ReadOnly = shared.of(stored.ReadOnly);
  for (const resource of stored.Resources ?? [])
    if ("ResourceType" in resource) resource.ResourceType = shared.of(resource.ResourceType);
  events.set(event.EventId ?? `${name}@${at.toISOString()}@${events.size}`, stored);
}

/**
 * Security-relevant CloudTrail management events, one record per UTC day. Incremental: a run starts
 * where the last stored day ended.
 *
 * LookupEvents is limited to 2 requests per second per account and region, so the collector first
 * asks once per event name over the whole window. A name whose first page is the only one ("quiet",
 * at most 50 events) is fully answered by that call; its events are kept and handed to their days.
 * A name with more pages ("busy") is asked again day by day, as each day is built. Memory therefore
 * holds at most one day of busy names' events plus 50 events per quiet name, however long the window.
 */
export const collector = defineCollector<CloudTrailActivityOptions>({
  id: "cloudtrail_activity",
  service: "cloudtrail",
  title: "CloudTrail security-relevant activity",
  operations: ["LookupEvents"],
  cadence: "history",
  schedule: HOURLY,
  resourceTypes: [
    "cognito_user_pool",
    "cloudtrail_trail",
    "cloudtrail_trails",
    "logs_log_group",
    "cloudwatch_security_monitoring",
    "config_service",
  ],
  state,
  optionsSchema: options,
  async collect(ctx) {
    const client = ctx.client(CloudTrailClient);
    const log = new CallLog("cloudtrail", ctx.signal);
    const { lookbackDays } = ctx.options;
    const eventNames = ctx.options.eventNames.filter(
      (name) => ctx.region === GLOBAL_EVENTS_REGION || !GLOBAL_EVENT_NAMES.has(name),
    );
    const end = ctx.window.end;
    const earliest = new Date(ctx.now().getTime() - lookbackDays * DAY_MS);
    let start = (await ctx.lastPeriodEnd()) ?? ctx.window.start;
    if (start < earliest) start = earliest;

    const days = utcDays(start, end);
    if (days.length === 0) {
      ctx.progress(0, 0);
      return;
    }

    const shared = new SharedValues();
    // One whole-window request per name: quiet names' events, by day; busy names, to ask per day.
    const quiet: (Map<string, StoredEvent> | undefined)[] = [];
    const busy: string[] = [];
    for (const name of eventNames) {
      const page = await log.send(client, new LookupEventsCommand(lookupInput(name, { start, end })));
      if (page.NextToken) {
        busy.push(name); // the rest of its pages come day by day, so this page is not kept
        continue;
      }
      for (const event of page.Events ?? []) {
        const index = event.EventTime ? dayIndex(days, event.EventTime) : -1;
        if (index < 0) continue;
        const ofDay = quiet[index] ?? new Map<string, StoredEvent>();
        quiet[index] = ofDay;
        keep(ofDay, event, name, days[index]!, shared);
      }
    }
    // Every day's events for quiet names come from these requests, so every record lists them.
    const windowCalls = log.take();

    for (const [index, day] of days.entries()) {
      const events = quiet[index] ?? new Map<string, StoredEvent>();
      quiet[index] = undefined; // the day's buffered events go into its record and are released
      for (const name of busy) {
        const pages = log.paginate("LookupEvents", lookupInput(name, day), (input, o) =>
          paginateLookupEvents({ client }, input, o),
        );
        for await (const page of pages)
          for (const event of page.Events ?? []) keep(events, event, name, day, shared);
      }
      const period: EvidencePeriod = { start: day.start.toISOString(), end: day.end.toISOString() };
      await ctx.emit({
        payload: { eventNames, events: [...events.values()].sort(chronological) },
        calls: [...windowCalls, ...log.take()],
        period,
      });
      ctx.progress(index + 1, days.length);
    }
  },
});
