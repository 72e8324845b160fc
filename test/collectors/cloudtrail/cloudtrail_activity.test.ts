import { describe, expect, it } from "vitest";
import type { FixtureAnswer, ServiceFixture } from "../../../src/aws/replay.js";
import {
  collector,
  DEFAULT_EVENT_NAMES,
  utcDays,
} from "../../../src/collectors/cloudtrail/cloudtrail_activity.js";
import { type EmittedRecord, runCollector } from "../../helpers/run-collector.js";

const now = new Date("2026-09-30T23:00:00Z");
const epoch = (iso: string | Date) => (typeof iso === "string" ? Date.parse(iso) : iso.getTime()) / 1000;

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

/** As the store keeps it: EventTime with milliseconds. */
const stored = (e: ReturnType<typeof event>) => ({ ...e, EventTime: new Date(e.EventTime).toISOString() });
const byName = (name: string) => ({
  LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }],
});

/** Answers one request over exactly [start, end) for one event name (keyed as the SDK sends them). */
function span(
  name: string,
  start: string | Date,
  end: string | Date,
  response: { Events: unknown[]; NextToken?: string },
  nextToken: string | null = null,
): FixtureAnswer {
  return {
    params: { ...byName(name), StartTime: epoch(start), EndTime: epoch(end), NextToken: nextToken },
    response,
  };
}

const stop = event("StopLogging", "2026-09-29T03:00:00Z", { requestParameters: { name: "org-main" } });
const start = event("StartLogging", "2026-09-29T20:00:00Z");
const stopAgain = event("StopLogging", "2026-09-30T01:00:00Z");

const window = { start: new Date("2026-09-28T00:00:00Z"), end: now };
const options = { eventNames: ["StopLogging", "StartLogging"] };

/** Two quiet names: each answered in full by one request over the whole window (newest first). */
function demo(): ServiceFixture {
  return {
    LookupEvents: [
      span("StopLogging", window.start, now, { Events: [stopAgain, stop] }),
      span("StartLogging", window.start, now, { Events: [start] }),
    ],
  };
}

const wholeWindowParams = (name: string, from: Date, to: Date) => ({
  ...byName(name),
  StartTime: from.toISOString(),
  EndTime: to.toISOString(),
  MaxResults: 50,
});

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
      { eventNames: options.eventNames, events: [stored(stop), stored(start)] },
      { eventNames: options.eventNames, events: [stored(stopAgain)] },
    ]);
    expect(typeof days[1]!.payload.events[0]!.CloudTrailEvent).toBe("string");
    // Every day's events came from the two whole-window requests, so every record names them.
    for (const day of days) {
      expect(day.calls.map((c) => c.params)).toEqual(
        options.eventNames.map((name) => wholeWindowParams(name, window.start, now)),
      );
    }
    expect(run.calls).toHaveLength(2);
    expect(run.progress.at(-1)).toEqual({ done: 3, total: 3 });
  });

  it("asks by default for every security-relevant event name the issue lists, one request each when all are quiet", async () => {
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
    // Ten days with nothing to report: the empty case.
    const from = new Date("2026-09-21T00:00:00Z");
    const run = await runCollector(collector, {
      fixture: { LookupEvents: [{ response: { Events: [] } }] },
      now,
      window: { start: from, end: now },
    });
    expect(run.error).toBeUndefined();
    expect(run.records).toHaveLength(10);
    for (const day of run.records as Day[])
      expect(day.payload).toEqual({ eventNames: DEFAULT_EVENT_NAMES, events: [] });
    // One request per name over the whole window, not one per name and day.
    expect(run.calls.map((c) => c.params)).toEqual(
      DEFAULT_EVENT_NAMES.map((name) => ({
        ...byName(name),
        StartTime: epoch(from),
        EndTime: epoch(now),
        MaxResults: 50,
      })),
    );
  });

  it("serves quiet names from their one request and asks busy names per day, following three pages", async () => {
    // Newest first, as LookupEvents answers; DeleteTrail has more than one page over the window.
    const [a, b, c] = ["2026-09-30T03:00:00Z", "2026-09-30T02:00:00Z", "2026-09-30T01:00:00Z"].map((t) =>
      event("DeleteTrail", t),
    );
    const early = event("DeleteTrail", "2026-09-29T05:00:00Z");
    const probeOnly = event("DeleteTrail", "2026-09-30T04:00:00Z");
    const from = new Date("2026-09-29T00:00:00Z");
    const midnight = "2026-09-30T00:00:00Z";
    const run = await runCollector(collector, {
      now,
      window: { start: from, end: now },
      options: { eventNames: ["DeleteTrail", "StopLogging"] },
      fixture: {
        LookupEvents: [
          // The whole-window page of a busy name is dropped: its events come again with their days.
          span("DeleteTrail", from, now, { Events: [probeOnly, a], NextToken: "w2" }),
          span("StopLogging", from, now, { Events: [stopAgain, stop] }),
          span("DeleteTrail", from, midnight, { Events: [early] }),
          span("DeleteTrail", midnight, now, { Events: [a], NextToken: "t2" }),
          span("DeleteTrail", midnight, now, { Events: [b], NextToken: "t3" }, "t2"),
          span("DeleteTrail", midnight, now, { Events: [c] }, "t3"),
        ],
      },
    });
    expect(run.error).toBeUndefined();
    const days = run.records as Day[];
    expect(days.map((d) => d.payload.events.map((e) => e.EventId))).toEqual([
      [stop.EventId, early.EventId],
      [stopAgain.EventId, c!.EventId, b!.EventId, a!.EventId],
    ]);
    // Each record: both whole-window requests, then its own day's pages of the busy name.
    expect(days.map((d) => d.calls.length)).toEqual([2 + 1, 2 + 3]);
    expect(days[1]!.calls.slice(2).map((call) => call.params?.StartTime)).toEqual(
      Array(3).fill(`${midnight.slice(0, -1)}.000Z`),
    );
    expect(run.calls.map((call) => call.params.NextToken ?? null)).toEqual([
      null,
      null,
      null,
      null,
      "t2",
      "t3",
    ]);
    expect(run.calls).toHaveLength(2 + 1 + 3);
  });

  it("continues from the end of the last stored period (incremental), even mid-day", async () => {
    const run = await runCollector(collector, {
      // Answers keyed by name only: the collector must drop what lies before its start.
      fixture: {
        LookupEvents: [
          { params: byName("StopLogging"), response: { Events: [stopAgain, stop] } },
          { params: byName("StartLogging"), response: { Events: [start] } },
        ],
      },
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
    expect(run.calls.map((c) => c.params.StartTime)).toEqual([
      epoch("2026-09-29T12:00:00Z"),
      epoch("2026-09-29T12:00:00Z"),
    ]);
    // The 03:00 StopLogging belongs to the part of the day the last run already stored.
    expect(days.map((d) => d.payload.events.map((e) => e.EventId))).toEqual([
      [start.EventId],
      [stopAgain.EventId],
    ]);
  });

  it("emits nothing when the last run already reached the window end", async () => {
    const run = await runCollector(collector, { fixture: demo(), now, window, options, lastPeriodEnd: now });
    expect(run.error).toBeUndefined();
    expect(run.records).toEqual([]);
    expect(run.calls).toEqual([]);
    expect(run.progress).toEqual([{ done: 0, total: 0 }]);
  });

  it("never looks back further than lookbackDays (LookupEvents keeps 90 days)", async () => {
    const run = await runCollector(collector, {
      fixture: { LookupEvents: [{ response: { Events: [] } }] },
      now,
      window: { start: new Date("2026-01-01T00:00:00Z"), end: now },
      options: { ...options, lookbackDays: 2 },
    });
    expect(run.error).toBeUndefined();
    expect(run.records[0]!.period!.start).toBe("2026-09-28T23:00:00.000Z");
    expect(run.records).toHaveLength(3);
    expect(run.calls.map((c) => c.params.StartTime)).toEqual([
      epoch("2026-09-28T23:00:00Z"),
      epoch("2026-09-28T23:00:00Z"),
    ]);
    expect(() => collector.optionsSchema!.parse({ lookbackDays: 91 })).toThrow(/lookbackDays|90/);
  });

  for (const kind of ["quiet", "busy"] as const) {
    it(`keeps an event on the midnight seam in one day only, and only events of the name asked for (${kind} name)`, async () => {
      const seam = event("StopLogging", "2026-09-30T00:00:00Z");
      const other = event("ConsoleLogin", "2026-09-29T10:00:00Z");
      const from = new Date("2026-09-29T00:00:00Z");
      const answers: FixtureAnswer[] = [
        // StartTime and EndTime are inclusive, so both days' answers contain the seam event.
        { response: { Events: [seam, other] } },
      ];
      if (kind === "busy") answers.unshift(span("StopLogging", from, now, { Events: [], NextToken: "more" }));
      const run = await runCollector(collector, {
        now,
        window: { start: from, end: now },
        options: { eventNames: ["StopLogging"] },
        fixture: { LookupEvents: answers },
      });
      expect(run.error).toBeUndefined();
      expect(run.calls).toHaveLength(kind === "busy" ? 3 : 1);
      expect((run.records as Day[]).map((d) => d.payload.events.map((e) => e.EventId))).toEqual([
        [],
        [seam.EventId],
      ]);
    });
  }

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

  it("throws AccessDeniedException on a busy name's day request, after the days before it", async () => {
    const from = new Date("2026-09-29T00:00:00Z");
    const run = await runCollector(collector, {
      now,
      window: { start: from, end: now },
      options: { eventNames: ["StopLogging"] },
      fixture: {
        LookupEvents: [
          span("StopLogging", from, now, { Events: [], NextToken: "more" }),
          span("StopLogging", from, "2026-09-30T00:00:00Z", { Events: [stop] }),
          { error: { code: "AccessDeniedException", message: "not authorized" } },
        ],
      },
    });
    expect(run.error).toMatchObject({ name: "AccessDeniedException", operation: "LookupEvents" });
    expect((run.records as Day[]).map((d) => d.payload.events.map((e) => e.EventId))).toEqual([
      [stop.EventId],
    ]);
  });

  it("retries throttling and then succeeds", async () => {
    const fixture = demo();
    fixture.LookupEvents = [
      { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
      ...fixture.LookupEvents!,
    ];
    const run = await runCollector(collector, { fixture, now, window, options, maxAttempts: 3 });
    expect(run.error).toBeUndefined();
    expect(run.calls).toHaveLength(2 + 2);
    expect((run.records as Day[]).map((d) => d.payload.events.length)).toEqual([0, 2, 1]);
  });

  it("emits each day before querying the next, so at most one day of a busy name's events is held", async () => {
    const days = 30;
    const pagesPerDay = 6;
    const perPage = 50;
    const windowStart = new Date("2026-09-01T00:00:00Z");
    const windowEnd = new Date(windowStart.getTime() + days * 86_400_000);
    // A quiet name: 30 events over the window, one a day at noon, all in its one answer.
    const quiet = Array.from({ length: days }, (_, d) =>
      event("DeleteTrail", new Date(windowStart.getTime() + (d + 0.5) * 86_400_000).toISOString()),
    ).reverse();
    const fixture: ServiceFixture = { LookupEvents: [] };
    const spans: { start: number; end: number }[] = [];
    // Generated on demand: each request gets a page of events inside the span it asks for.
    const onCall = (_operation: string, params: Record<string, unknown>) => {
      const name = (params.LookupAttributes as { AttributeValue: string }[])[0]!.AttributeValue;
      const from = (params.StartTime as number) * 1000;
      const page = params.NextToken ? Number(params.NextToken) : 0;
      if (page === 0) spans.push({ start: from, end: (params.EndTime as number) * 1000 });
      if (name === "DeleteTrail") {
        fixture.LookupEvents = [{ response: { Events: quiet } }];
        return;
      }
      const events = Array.from({ length: perPage }, (_, i) =>
        event("StopLogging", new Date(from + 3_600_000 + (page * perPage + i) * 1000).toISOString(), {
          padding: "x".repeat(500),
        }),
      );
      fixture.LookupEvents = [
        { response: { Events: events, ...(page + 1 < pagesPerDay ? { NextToken: String(page + 1) } : {}) } },
      ];
    };
    const emitted: { start: string; events: number; quiet: number; callsSoFar: number }[] = [];
    const run = await runCollector(collector, {
      fixture,
      replay: { onCall },
      now: windowEnd,
      window: { start: windowStart, end: windowEnd },
      options: { eventNames: ["StopLogging", "DeleteTrail"] },
      keepRecords: false,
      onEmit: (record, callsSoFar) => {
        const day = record as Day;
        const dayStart = Date.parse(day.period!.start);
        for (const e of day.payload.events) {
          const at = Date.parse(e.EventTime);
          expect(at >= dayStart && at < Date.parse(day.period!.end)).toBe(true);
        }
        emitted.push({
          start: day.period!.start,
          events: day.payload.events.length,
          quiet: day.payload.events.filter((e) => e.EventName === "DeleteTrail").length,
          callsSoFar,
        });
      },
    });
    expect(run.error).toBeUndefined();
    expect(emitted).toHaveLength(days);
    // Two whole-window requests, then day d is emitted after exactly its own pages: nothing of day
    // d+1 was fetched before it was stored.
    expect(emitted.map((e) => e.callsSoFar)).toEqual(
      Array.from({ length: days }, (_, d) => 2 + (d + 1) * pagesPerDay),
    );
    expect(emitted.every((e) => e.events === pagesPerDay * perPage + 1 && e.quiet === 1)).toBe(true);
    // The busy name's requests are cut at UTC midnights: one span per day, after the window's two.
    const wholeWindow = { start: windowStart.getTime(), end: windowEnd.getTime() };
    expect(spans).toEqual([
      wholeWindow,
      wholeWindow,
      ...utcDays(windowStart, windowEnd).map((d) => ({ start: d.start.getTime(), end: d.end.getTime() })),
    ]);
    expect(run.progress.map((p) => p.done)).toEqual(Array.from({ length: days }, (_, d) => d + 1));
  });
});
