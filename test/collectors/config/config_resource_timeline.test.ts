import { describe, expect, it } from "vitest";
import type { FixtureAnswer, ServiceFixture } from "../../../src/aws/replay.js";
import { collector, splitWindow } from "../../../src/collectors/config/config_resource_timeline.js";
import { runCollector } from "../../helpers/run-collector.js";

const window = { start: new Date("2026-09-01T00:00:00Z"), end: new Date("2026-09-16T00:00:00Z") };
const epoch = (iso: string) => Date.parse(iso) / 1000;

const logGroup = {
  resourceType: "AWS::Logs::LogGroup",
  resourceId: "/aws/cloudtrail/main",
  resourceName: "/aws/cloudtrail/main",
};
const trail = {
  resourceType: "AWS::CloudTrail::Trail",
  resourceId: "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
  resourceName: "main",
};

const item = (resource: typeof logGroup, at: string, stateId: string, configuration: unknown) => ({
  version: "1.3",
  accountId: "111122223333",
  configurationItemCaptureTime: at,
  configurationItemStatus: "OK",
  configurationStateId: stateId,
  resourceType: resource.resourceType,
  resourceId: resource.resourceId,
  resourceName: resource.resourceName,
  awsRegion: "us-east-1",
  configuration: JSON.stringify(configuration),
});

const retention365 = item(logGroup, "2026-09-03T10:00:00.000Z", "1001", { retentionInDays: 365 });
const retention30 = item(logGroup, "2026-09-09T12:00:00.000Z", "1002", { retentionInDays: 30 });
const retentionBack = item(logGroup, "2026-09-15T08:00:00.000Z", "1003", { retentionInDays: 365 });
const trailItem = item(trail, "2026-09-02T00:00:00.000Z", "2001", { isLogging: true });
/** The log group's last change before the window: the configuration in effect at its start. */
const retentionBefore = item(logGroup, "2026-08-20T09:30:00.000Z", "0999", { retentionInDays: 365 });

/** The baseline request: the newest item at or before the window start. */
const baselineParams = (resourceId: string) => ({
  resourceId,
  laterTime: epoch("2026-09-01T00:00:00Z"),
  chronologicalOrder: "Reverse",
  limit: 1,
  earlierTime: null,
});
function baselineAnswer(resourceId: string, items: unknown[]): FixtureAnswer {
  return { params: baselineParams(resourceId), response: { configurationItems: items } };
}

/** One answer per 7-day span, keyed by resource and earlierTime as the SDK sends them. */
function history(resourceId: string, spans: [string, unknown[]][]): FixtureAnswer[] {
  return spans.map(([earlier, items]) => ({
    params: { resourceId, earlierTime: epoch(earlier) },
    response: { configurationItems: items },
  }));
}

function demo(): ServiceFixture {
  return {
    ListDiscoveredResources: [
      { params: { resourceType: "AWS::Logs::LogGroup" }, response: { resourceIdentifiers: [logGroup] } },
      { params: { resourceType: "AWS::CloudTrail::Trail" }, response: { resourceIdentifiers: [trail] } },
      { response: { resourceIdentifiers: [] } },
    ],
    GetResourceConfigHistory: [
      baselineAnswer(logGroup.resourceId, [retentionBefore]),
      baselineAnswer(trail.resourceId, []), // the trail was created inside the window
      ...history(logGroup.resourceId, [
        ["2026-09-01T00:00:00Z", [retention365]],
        ["2026-09-08T00:00:00Z", [retention30]],
        ["2026-09-15T00:00:00Z", [retentionBack]],
      ]),
      ...history(trail.resourceId, [
        ["2026-09-01T00:00:00Z", [trailItem]],
        ["2026-09-08T00:00:00Z", []],
        ["2026-09-15T00:00:00Z", []],
      ]),
    ],
  };
}

describe("splitWindow", () => {
  it("cuts a window into contiguous spans of at most seven days", () => {
    const spans = splitWindow(
      new Date("2026-07-01T00:00:00Z"),
      new Date("2026-10-01T00:00:00Z"),
      7 * 86_400_000,
    );
    expect(spans).toHaveLength(14);
    expect(spans[0]!.start.toISOString()).toBe("2026-07-01T00:00:00.000Z");
    expect(spans.at(-1)!.end.toISOString()).toBe("2026-10-01T00:00:00.000Z");
    for (const [i, span] of spans.entries()) {
      expect(span.end.getTime() - span.start.getTime()).toBeLessThanOrEqual(7 * 86_400_000);
      if (i > 0) expect(span.start).toEqual(spans[i - 1]!.end);
    }
  });
});

describe("config_resource_timeline", () => {
  it("emits one chronological record per resource, read in forward spans of at most seven days", async () => {
    const run = await runCollector(collector, {
      fixture: demo(),
      window,
      options: { resourceTypes: ["AWS::Logs::LogGroup", "AWS::CloudTrail::Trail"] },
    });
    expect(run.error).toBeUndefined();
    const period = { start: "2026-09-01T00:00:00.000Z", end: "2026-09-16T00:00:00.000Z" };
    expect(run.records.map((r) => ({ payload: r.payload, period: r.period }))).toEqual([
      {
        payload: {
          ...logGroup,
          baseline: retentionBefore,
          items: [retention365, retention30, retentionBack],
        },
        period,
      },
      { payload: { ...trail, items: [trailItem] }, period },
    ]);
    const history = run.calls.filter((c) => c.operation === "GetResourceConfigHistory").map((c) => c.params);
    expect(history[0]).toEqual({
      resourceType: logGroup.resourceType,
      resourceId: logGroup.resourceId,
      laterTime: epoch("2026-09-01T00:00:00Z"),
      chronologicalOrder: "Reverse",
      limit: 1,
    });
    expect(history.slice(1, 4)).toEqual(
      [
        ["2026-09-01T00:00:00Z", "2026-09-08T00:00:00Z"],
        ["2026-09-08T00:00:00Z", "2026-09-15T00:00:00Z"],
        ["2026-09-15T00:00:00Z", "2026-09-16T00:00:00Z"],
      ].map(([earlier, later]) => ({
        resourceType: logGroup.resourceType,
        resourceId: logGroup.resourceId,
        earlierTime: epoch(earlier!),
        laterTime: epoch(later!),
        chronologicalOrder: "Forward",
        limit: 100,
      })),
    );
    // Each record names only the calls that read that resource's history.
    expect(run.records[0]!.calls.map((c) => c.params?.resourceId)).toEqual(
      Array(4).fill(logGroup.resourceId),
    );
    expect(run.records[0]!.calls[0]!.params?.laterTime).toBe("2026-09-01T00:00:00.000Z");
    expect(run.records[0]!.calls[1]!.params?.earlierTime).toBe("2026-09-01T00:00:00.000Z");
  });

  it("reads the five default resource types, deleted resources included", async () => {
    const run = await runCollector(collector, { fixture: demo(), window });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.operation === "ListDiscoveredResources").map((c) => c.params)).toEqual(
      [
        "AWS::Cognito::UserPool",
        "AWS::CloudTrail::Trail",
        "AWS::Logs::LogGroup",
        "AWS::CloudWatch::Alarm",
        "AWS::Config::ResourceCompliance",
      ].map((resourceType) => ({ resourceType, includeDeletedResources: true, limit: 100 })),
    );
  });

  it("follows three pages of resources and of one span's history", async () => {
    const groups = ["a", "b", "c"].map((id) => ({ resourceType: "AWS::Logs::LogGroup", resourceId: id }));
    const at = (day: number) => `2026-09-0${day}T00:00:00.000Z`;
    const fixture: ServiceFixture = {
      ListDiscoveredResources: [
        { params: { nextToken: null }, response: { resourceIdentifiers: [groups[0]], nextToken: "r2" } },
        { params: { nextToken: "r2" }, response: { resourceIdentifiers: [groups[1]], nextToken: "r3" } },
        { params: { nextToken: "r3" }, response: { resourceIdentifiers: [groups[2]] } },
      ],
      GetResourceConfigHistory: [
        {
          params: { resourceId: "a", nextToken: null, earlierTime: epoch("2026-09-01T00:00:00Z") },
          response: {
            configurationItems: [{ configurationStateId: "1", configurationItemCaptureTime: at(2) }],
            nextToken: "h2",
          },
        },
        {
          params: { resourceId: "a", nextToken: "h2" },
          response: {
            configurationItems: [{ configurationStateId: "2", configurationItemCaptureTime: at(3) }],
            nextToken: "h3",
          },
        },
        {
          params: { resourceId: "a", nextToken: "h3" },
          response: {
            configurationItems: [{ configurationStateId: "3", configurationItemCaptureTime: at(4) }],
          },
        },
        { response: { configurationItems: [] } },
      ],
    };
    const run = await runCollector(collector, {
      fixture,
      window,
      options: { resourceTypes: ["AWS::Logs::LogGroup"] },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => (r.payload as { resourceId: string }).resourceId)).toEqual(["a", "b", "c"]);
    const first = run.records[0]!.payload as { items: { configurationStateId: string }[] };
    expect(first.items.map((i) => i.configurationStateId)).toEqual(["1", "2", "3"]);
    expect(run.records[0]!.calls).toHaveLength(6); // the baseline + 3 pages in the first span + 2 more spans
  });

  it("keeps each item once and only inside [start, end) when spans repeat items", async () => {
    const before = item(logGroup, "2026-08-20T00:00:00.000Z", "0999", { retentionInDays: 7 });
    const atEnd = item(logGroup, "2026-09-16T00:00:00.000Z", "1004", { retentionInDays: 1 });
    const run = await runCollector(collector, {
      window,
      options: { resourceTypes: ["AWS::Logs::LogGroup"] },
      fixture: {
        ListDiscoveredResources: [{ response: { resourceIdentifiers: [logGroup] } }],
        // The same answer for every span, as an inclusive seam or a coarse recording would give.
        GetResourceConfigHistory: [
          { response: { configurationItems: [before, retention365, retention30, atEnd] } },
        ],
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.records[0]!.payload).toMatchObject({ baseline: before, items: [retention365, retention30] });
  });

  it("keeps no baseline when Config has no item before the window start", async () => {
    const run = await runCollector(collector, {
      fixture: demo(),
      window,
      options: { resourceTypes: ["AWS::CloudTrail::Trail"] },
    });
    expect(run.error).toBeUndefined();
    expect(run.records[0]!.payload).toEqual({ ...trail, items: [trailItem] });
    expect(run.records[0]!.payload).not.toHaveProperty("baseline");
  });

  it("ignores an item captured at the window start as a baseline (laterTime is inclusive)", async () => {
    const atStart = item(logGroup, "2026-09-01T00:00:00.000Z", "1000", { retentionInDays: 90 });
    const fixture = demo();
    fixture.GetResourceConfigHistory = [
      baselineAnswer(logGroup.resourceId, [atStart]),
      ...history(logGroup.resourceId, [
        ["2026-09-01T00:00:00Z", [atStart, retention365]],
        ["2026-09-08T00:00:00Z", []],
        ["2026-09-15T00:00:00Z", []],
      ]),
    ];
    const run = await runCollector(collector, {
      fixture,
      window,
      options: { resourceTypes: ["AWS::Logs::LogGroup"] },
    });
    expect(run.error).toBeUndefined();
    // The item is the first of the window, not the configuration before it.
    expect(run.records[0]!.payload).toEqual({ ...logGroup, items: [atStart, retention365] });
  });

  it("skips resources deleted before the window, but reads those deleted inside it", async () => {
    const gone = { ...logGroup, resourceId: "gone", resourceDeletionTime: "2026-08-01T00:00:00.000Z" };
    const goneLater = {
      ...logGroup,
      resourceId: "gone-later",
      resourceDeletionTime: "2026-09-05T00:00:00.000Z",
    };
    const run = await runCollector(collector, {
      window,
      options: { resourceTypes: ["AWS::Logs::LogGroup"] },
      fixture: {
        ListDiscoveredResources: [{ response: { resourceIdentifiers: [gone, goneLater] } }],
        GetResourceConfigHistory: [{ response: { configurationItems: [] } }],
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => (r.payload as { resourceId: string }).resourceId)).toEqual(["gone-later"]);
    expect(
      new Set(
        run.calls.filter((c) => c.operation === "GetResourceConfigHistory").map((c) => c.params.resourceId),
      ),
    ).toEqual(new Set(["gone-later"]));
  });

  it("emits nothing and reads no history when no resource was discovered", async () => {
    const run = await runCollector(collector, {
      window,
      fixture: { ListDiscoveredResources: [{ response: { resourceIdentifiers: [] } }] },
    });
    expect(run.error).toBeUndefined();
    expect(run.records).toEqual([]);
    expect(run.calls.every((c) => c.operation === "ListDiscoveredResources")).toBe(true);
    expect(run.progress.at(-1)).toEqual({ done: 0, total: 0 });
  });

  it("throws AccessDeniedException when history is denied, after only complete records", async () => {
    const fixture = demo();
    fixture.GetResourceConfigHistory = [
      baselineAnswer(logGroup.resourceId, [retentionBefore]),
      ...history(logGroup.resourceId, [
        ["2026-09-01T00:00:00Z", [retention365]],
        ["2026-09-08T00:00:00Z", [retention30]],
        ["2026-09-15T00:00:00Z", [retentionBack]],
      ]),
      { params: { resourceId: trail.resourceId }, error: { code: "AccessDeniedException" } },
    ];
    const run = await runCollector(collector, {
      fixture,
      window,
      options: { resourceTypes: ["AWS::Logs::LogGroup", "AWS::CloudTrail::Trail"] },
    });
    expect(run.error).toMatchObject({ name: "AccessDeniedException", operation: "GetResourceConfigHistory" });
    // The log group's timeline was complete; nothing was emitted for the trail.
    expect(run.records.map((r) => (r.payload as { resourceId: string }).resourceId)).toEqual([
      logGroup.resourceId,
    ]);
  });

  it("throws AccessDeniedException and emits nothing when listing is denied", async () => {
    const run = await runCollector(collector, {
      window,
      fixture: { ListDiscoveredResources: [{ error: { code: "AccessDeniedException" } }] },
    });
    expect(run.error).toMatchObject({ name: "AccessDeniedException", operation: "ListDiscoveredResources" });
    expect(run.records).toEqual([]);
  });

  it("retries throttling and then succeeds", async () => {
    const fixture = demo();
    fixture.GetResourceConfigHistory = [
      { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
      ...fixture.GetResourceConfigHistory!,
    ];
    const run = await runCollector(collector, {
      fixture,
      window,
      maxAttempts: 3,
      options: { resourceTypes: ["AWS::Logs::LogGroup", "AWS::CloudTrail::Trail"] },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.operation === "GetResourceConfigHistory")).toHaveLength(10);
    expect((run.records[0]!.payload as { items: unknown[] }).items).toEqual([
      retention365,
      retention30,
      retentionBack,
    ]);
  });
});
