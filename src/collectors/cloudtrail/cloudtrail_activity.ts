import { CloudTrailClient, type Event, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import { z } from "zod";
import type { EvidencePeriod } from "../../evidence/record.js";
import type { Collector } from "../types.js";
import { CallLog, toEvidence } from "../util.js";

/** Security-relevant management events: logging, Config, log retention, alarms, user pools, IAM users. */
export const DEFAULT_EVENT_NAMES = [
  "ConsoleLogin",
  "StopLogging",
  "StartLogging",
  "DeleteTrail",
  "UpdateTrail",
  "PutEventSelectors",
  "StopConfigurationRecorder",
  "StartConfigurationRecorder",
  "DeleteConfigurationRecorder",
  "DeleteDeliveryChannel",
  "DeleteConfigRule",
  "DeleteLogGroup",
  "PutRetentionPolicy",
  "DeleteRetentionPolicy",
  "DeleteMetricFilter",
  "DeleteAlarms",
  "DisableAlarmActions",
  "EnableAlarmActions",
  "SetUserPoolMfaConfig",
  "UpdateUserPool",
  "AdminCreateUser",
  "AdminDisableUser",
  "AdminDeleteUser",
  "CreateUser",
  "DeleteUser",
  "CreateAccessKey",
  "AttachUserPolicy",
  "PutUserPolicy",
];

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

function chronological(a: Event, b: Event): number {
  const byTime = (a.EventTime?.getTime() ?? 0) - (b.EventTime?.getTime() ?? 0);
  return byTime !== 0 ? byTime : (a.EventId ?? "").localeCompare(b.EventId ?? "");
}

/**
 * Security-relevant CloudTrail management events, one record per UTC day. Incremental: a run starts
 * where the last stored day ended. Each day is queried, emitted and dropped before the next, so memory
 * holds at most one day of events however long the window.
 */
export const collector: Collector<CloudTrailActivityOptions> = {
  id: "cloudtrail_activity",
  service: "cloudtrail",
  title: "CloudTrail security-relevant activity",
  operations: ["LookupEvents"],
  iamActions: ["cloudtrail:LookupEvents"],
  optionsSchema: options,
  async collect(ctx) {
    const client = ctx.client(CloudTrailClient);
    const log = new CallLog("cloudtrail", ctx.signal);
    const { eventNames, lookbackDays } = ctx.options;
    const end = ctx.window.end;
    const earliest = new Date(ctx.now().getTime() - lookbackDays * DAY_MS);
    let start = (await ctx.lastPeriodEnd()) ?? ctx.window.start;
    if (start < earliest) start = earliest;

    const days = utcDays(start, end);
    if (days.length === 0) ctx.progress(0, 0);
    for (const [index, day] of days.entries()) {
      const events = new Map<string, Event>();
      for (const name of eventNames) {
        const pages = log.paginate(
          "LookupEvents",
          {
            LookupAttributes: [{ AttributeKey: "EventName" as const, AttributeValue: name }],
            StartTime: day.start,
            EndTime: day.end,
            MaxResults: 50,
          },
          (input, o) => paginateLookupEvents({ client }, input, o),
        );
        for await (const page of pages) {
          for (const event of page.Events ?? []) {
            // StartTime and EndTime are both inclusive: keep [start, end) so a day never repeats an event.
            const at = event.EventTime;
            if (!at || at < day.start || at >= day.end || event.EventName !== name) continue;
            events.set(event.EventId ?? `${name}@${at.toISOString()}@${events.size}`, event);
          }
        }
      }
      const period: EvidencePeriod = { start: day.start.toISOString(), end: day.end.toISOString() };
      await ctx.emit({
        payload: { eventNames, events: toEvidence([...events.values()].sort(chronological)) },
        calls: log.take(),
        period,
      });
      ctx.progress(index + 1, days.length);
    }
  },
};
