import { describe, expect, it } from "vitest";
import type { FixtureAnswer, ServiceFixture } from "../../../src/aws/replay.js";
import {
  collector,
  DEFAULT_EVENT_NAMES,
  utcDays,
} from "../../../src/collectors/cloudtrail/cloudtrail_activity.js";
import { type EmittedRecord, runCollector } from "../../helpers/run-collector.js";

const now = new Date("2026-09-30T23:00:00Z");
const epoch = (iso: string) => Date.parse(iso) / 1000;

interface StoredEvent {
  EventId: string;
  EventName: string;
  EventTime: string;
  CloudTrailEvent: string;
}
type Day = EmittedRecord<{ eventNames: string[]; events: StoredEvent[] }>;

let serial = 0;
function event(name: string, at: string, extra: Record<string, unknown> = {}) {
  const id = `ev-${++serial}`;
  return {
    EventId: id,
    EventName: name,
    ReadOnly: "false",
    EventTime: at,
    EventSource: "cloudtrail.amazonaws.com",
    Username: "ops-admin",
    Resources: [{ ResourceType: "AWS::CloudTrail::Trail", ResourceName: "org-main" }],
    CloudTrailEvent: JSON.stringify({
      eventVersion: "1.09",
      eventID: id,
      eventName: name,
      eventTime: at,
      ...extra,
    }),
  };
}

/** LookupEvents answers for one event name and one UTC day (keyed as the SDK sends them). */
function day(name: string, start: string, events: unknown[]): FixtureAnswer {
  return {
    params: {
      LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }],
      StartTime: epoch(start),
    },
    response: { Events: events },
  };
}

const stop = event("StopLogging", "2026-09-29T03:00:00Z", { requestParameters: { name: "org-main" } });
const start = event("StartLogging", "2026-09-29T20:00:00Z");
const stopAgain = event("StopLogging", "2026-09-30T01:00:00Z");

function demo(): ServiceFixture {
  return {
    LookupEvents: [
      // LookupEvents answers newest first.
      day("StopLogging", "2026-09-29T00:00:00Z", [stop]),
      day("StartLogging", "2026-09-29T00:00:00Z", [start]),
      day("StopLogging", "2026-09-30T00:00:00Z", [stopAgain]),
      { response: { Events: [] } },
    ],
  };
}
const options = { eventNames: ["StopLogging", "StartLogging"] };
const window = { start: new Date("2026-09-28T00:00:00Z"), end: now };

describe("utcDays", () => {
  it("cuts at UTC midnights and keeps a partial first and last day", () => {
    const days = utcDays(new Date("2026-09-28T12:00:00Z"), new Date("2026-09-30T23:00:00Z"));
    expect(days.map((d) => [d.start.toISOString(), d.end.toISOString()])).toEqual([
      ["2026-09-28T12:00:00.000Z", "2026-09-29T00:00:00.000Z"],
      ["2026-09-29T00:00:00.000Z", "2026-09-30T00:00:00.000Z"],
      ["2026-09-30T00:00:00.000Z", "2026-09-30T23:00:00.000Z"],
    ]);
  });
});

describe("cloudtrail_activity", () => {
  it("emits one record per UTC day with that day's events, oldest first, CloudTrailEvent kept as a string", async () => {
    const run = await runCollector(collector, { fixture: demo(), now, window, options });
    expect(run.error).toBeUndefined();
    const days = run.records as Day[];
    expect(days.map((d) => d.period)).toEqual([
      { start: "2026-09-28T00:00:00.000Z", end: "2026-09-29T00:00:00.000Z" },
      { start: "2026-09-29T00:00:00.000Z", end: "2026-09-30T00:00:00.000Z" },
      { start: "2026-09-30T00:00:00.000Z", end: "2026-09-30T23:00:00.000Z" },
    ]);
    expect(days.map((d) => d.payload)).toEqual([
      { eventNames: options.eventNames, events: [] },
      {
        eventNames: options.eventNames,
        events: [stop, start].map((e) => ({ ...e, EventTime: `${e.EventTime.slice(0, -1)}.000Z` })),
      },
      { eventNames: options.eventNames, events: [{ ...stopAgain, EventTime: "2026-09-30T01:00:00.000Z" }] },
    ]);
    expect(typeof days[1]!.payload.events[0]!.CloudTrailEvent).toBe("string");
    // Each day: one query per event name over exactly that day.
    expect(days[2]!.calls.map((c) => c.params)).toEqual(
      options.eventNames.map((name) => ({
        LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }],
        StartTime: "2026-09-30T00:00:00.000Z",
        EndTime: "2026-09-30T23:00:00.000Z",
        MaxResults: 50,
      })),
    );
    expect(run.progress.at(-1)).toEqual({ done: 3, total: 3 });
  });

  it("asks by default for every security-relevant event name the issue lists", async () => {
    const required = [
      "ConsoleLogin",
      "StopLogging",
      "DeleteTrail",
      "UpdateTrail",
      "PutEventSelectors",
      "StopConfigurationRecorder",
      "DeleteConfigurationRecorder",
      "DeleteConfigRule",
      "DeleteLogGroup",
      "PutRetentionPolicy",
      "DeleteRetentionPolicy",
      "DeleteMetricFilter",
      "DeleteAlarms",
      "DisableAlarmActions",
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
    expect(DEFAULT_EVENT_NAMES).toEqual(expect.arrayContaining(required));
    const run = await runCollector(collector, {
      fixture: { LookupEvents: [{ response: { Events: [] } }] },
      now,
      window: { start: new Date("2026-09-30T00:00:00Z"), end: now },
    });
    expect(run.error).toBeUndefined();
    const asked = run.calls.map(
      (c) => (c.params.LookupAttributes as { AttributeValue: string }[])[0]!.AttributeValue,
    );
    expect(asked).toEqual(DEFAULT_EVENT_NAMES);
  });

  it("continues from the end of the last stored period (incremental), even mid-day", async () => {
    const byName = (name: string, events: unknown[]): FixtureAnswer => ({
      params: { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] },
      response: { Events: events },
    });
    const run = await runCollector(collector, {
      // Answers keyed by name only: the collector must drop what lies before its start.
      fixture: { LookupEvents: [byName("StopLogging", [stopAgain, stop]), byName("StartLogging", [start])] },
      now,
      window,
      options,
      lastPeriodEnd: new Date("2026-09-29T12:00:00Z"),
    });
    expect(run.error).toBeUndefined();
    const days = run.records as Day[];
    expect(days.map((d) => d.period)).toEqual([
      { start: "2026-09-29T12:00:00.000Z", end: "2026-09-30T00:00:00.000Z" },
      { start: "2026-09-30T00:00:00.000Z", end: "2026-09-30T23:00:00.000Z" },
    ]);
    expect(Math.min(...run.calls.map((c) => c.params.StartTime as number))).toBe(
      epoch("2026-09-29T12:00:00Z"),
    );
    // The 03:00 StopLogging belongs to the part of the day the last run already stored.
    expect(days[0]!.payload.events.map((e) => e.EventName)).toEqual(["StartLogging"]);
  });

  it("emits nothing when the last run already reached the window end", async () => {
    const run = await runCollector(collector, { fixture: demo(), now, window, options, lastPeriodEnd: now });
    expect(run.error).toBeUndefined();
    expect(run.records).toEqual([]);
    expect(run.calls).toEqual([]);
  });

  it("never looks back further than lookbackDays (LookupEvents keeps 90 days)", async () => {
    const run = await runCollector(collector, {
      fixture: demo(),
      now,
      window: { start: new Date("2026-01-01T00:00:00Z"), end: now },
      options: { ...options, lookbackDays: 2 },
    });
    expect(run.error).toBeUndefined();
    expect(run.records[0]!.period!.start).toBe("2026-09-28T23:00:00.000Z");
    expect(run.records).toHaveLength(3);
    expect(() => collector.optionsSchema!.parse({ lookbackDays: 91 })).toThrow(/lookbackDays|90/);
  });

  it("follows three pages of one day and still orders the day oldest first", async () => {
    const [a, b, c] = ["2026-09-30T03:00:00Z", "2026-09-30T02:00:00Z", "2026-09-30T01:00:00Z"].map((t) =>
      event("DeleteTrail", t),
    );
    const filter = { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DeleteTrail" }] };
    const run = await runCollector(collector, {
      now,
      window: { start: new Date("2026-09-30T00:00:00Z"), end: now },
      options: { eventNames: ["DeleteTrail"] },
      fixture: {
        LookupEvents: [
          { params: { ...filter, NextToken: null }, response: { Events: [a], NextToken: "t2" } },
          { params: { ...filter, NextToken: "t2" }, response: { Events: [b], NextToken: "t3" } },
          { params: { ...filter, NextToken: "t3" }, response: { Events: [c] } },
        ],
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.records).toHaveLength(1);
    expect((run.records[0] as Day).payload.events.map((e) => e.EventId)).toEqual(
      [c, b, a].map((e) => e!.EventId),
    );
    expect(run.records[0]!.calls).toHaveLength(3);
  });

  it("keeps an event on the midnight seam in one day only, and only events of the name asked for", async () => {
    const seam = event("StopLogging", "2026-09-30T00:00:00Z");
    const other = event("ConsoleLogin", "2026-09-29T10:00:00Z");
    const run = await runCollector(collector, {
      now,
      window: { start: new Date("2026-09-29T00:00:00Z"), end: now },
      options: { eventNames: ["StopLogging"] },
      // StartTime and EndTime are inclusive, so both days' answers contain the seam event.
      fixture: { LookupEvents: [{ response: { Events: [seam, other] } }] },
    });
    expect(run.error).toBeUndefined();
    expect((run.records as Day[]).map((d) => d.payload.events.map((e) => e.EventId))).toEqual([
      [],
      [seam.EventId],
    ]);
  });

  it("throws AccessDeniedException and emits no day", async () => {
    const run = await runCollector(collector, {
      now,
      window,
      options,
      fixture: { LookupEvents: [{ error: { code: "AccessDeniedException", message: "not authorized" } }] },
    });
    expect(run.error).toMatchObject({ name: "AccessDeniedException", operation: "LookupEvents" });
    expect(run.records).toEqual([]);
  });

  it("retries throttling and then succeeds", async () => {
    const fixture = demo();
    fixture.LookupEvents = [
      { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
      ...fixture.LookupEvents!,
    ];
    const run = await runCollector(collector, { fixture, now, window, options, maxAttempts: 3 });
    expect(run.error).toBeUndefined();
    expect(run.calls).toHaveLength(6 + 2);
    expect((run.records as Day[]).map((d) => d.payload.events.length)).toEqual([0, 2, 1]);
  });

  it("emits each day before querying the next, so at most one day of events is held", async () => {
    const days = 30;
    const pagesPerDay = 6;
    const perPage = 50;
    const windowStart = new Date("2026-09-01T00:00:00Z");
    const fixture: ServiceFixture = { LookupEvents: [] };
    // Generated on demand: each request gets a page of events inside the day it asks for.
    const onCall = (_operation: string, params: Record<string, unknown>) => {
      const dayStart = (params.StartTime as number) * 1000;
      const page = params.NextToken ? Number(params.NextToken) : 0;
      const events = Array.from({ length: perPage }, (_, i) =>
        event("StopLogging", new Date(dayStart + 3_600_000 + (page * perPage + i) * 1000).toISOString(), {
          padding: "x".repeat(500),
        }),
      );
      fixture.LookupEvents = [
        { response: { Events: events, ...(page + 1 < pagesPerDay ? { NextToken: String(page + 1) } : {}) } },
      ];
    };
    const emitted: { start: string; events: number; callsSoFar: number }[] = [];
    const run = await runCollector(collector, {
      fixture,
      replay: { onCall },
      now: new Date(windowStart.getTime() + days * 86_400_000),
      window: { start: windowStart, end: new Date(windowStart.getTime() + days * 86_400_000) },
      options: { eventNames: ["StopLogging"] },
      keepRecords: false,
      onEmit: (record, callsSoFar) => {
        const day = record as Day;
        const dayStart = Date.parse(day.period!.start);
        for (const e of day.payload.events) {
          const at = Date.parse(e.EventTime);
          expect(at >= dayStart && at < Date.parse(day.period!.end)).toBe(true);
        }
        emitted.push({ start: day.period!.start, events: day.payload.events.length, callsSoFar });
      },
    });
    expect(run.error).toBeUndefined();
    expect(emitted).toHaveLength(days);
    // Day d is emitted after exactly its own pages: nothing of day d+1 was fetched before it was stored.
    expect(emitted.map((e) => e.callsSoFar)).toEqual(
      Array.from({ length: days }, (_, d) => (d + 1) * pagesPerDay),
    );
    expect(emitted.every((e) => e.events === pagesPerDay * perPage)).toBe(true);
    expect(run.progress.map((p) => p.done)).toEqual(Array.from({ length: days }, (_, d) => d + 1));
  });
});
