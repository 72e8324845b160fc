import { describe, expect, it } from "vitest";
import type { ServiceFixture } from "../../../src/aws/replay.js";
import { collector } from "../../../src/collectors/cloudtrail/cloudtrail_trails.js";
import { runCollector } from "../../helpers/run-collector.js";

const mainArn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-main";
const shadowArn = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit";
const main = {
  Name: "org-main",
  S3BucketName: "cloudtrail-logs-111122223333",
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: true,
  HomeRegion: "us-east-1",
  TrailARN: mainArn,
  LogFileValidationEnabled: true,
  CloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/org-main:*",
  KmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  HasCustomEventSelectors: false,
  HasInsightSelectors: true,
  IsOrganizationTrail: false,
};
const shadow = {
  Name: "eu-audit",
  S3BucketName: "eu-audit-logs",
  IsMultiRegionTrail: true,
  HomeRegion: "eu-west-1",
  TrailARN: shadowArn,
  LogFileValidationEnabled: false,
  HasCustomEventSelectors: true,
  HasInsightSelectors: false,
};
const mainStatus = {
  IsLogging: true,
  LatestDeliveryTime: "2026-09-30T22:55:00.000Z",
  StartLoggingTime: "2026-01-10T09:00:00.000Z",
  StopLoggingTime: "2026-08-14T03:00:00.000Z",
};
const shadowStatus = { IsLogging: false, StopLoggingTime: "2026-09-29T00:00:00.000Z" };
const mainSelectors = {
  TrailARN: mainArn,
  EventSelectors: [
    {
      ReadWriteType: "All",
      IncludeManagementEvents: true,
      DataResources: [],
      ExcludeManagementEventSources: [],
    },
  ],
};
const shadowSelectors = {
  TrailARN: shadowArn,
  AdvancedEventSelectors: [
    { Name: "Management events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
  ],
};
const insights = { TrailARN: mainArn, InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] };

function demo(): ServiceFixture {
  return {
    DescribeTrails: [{ params: { includeShadowTrails: true }, response: { trailList: [main, shadow] } }],
    GetTrailStatus: [
      { params: { Name: mainArn }, response: mainStatus },
      { params: { Name: shadowArn }, response: shadowStatus },
    ],
    GetEventSelectors: [
      { params: { TrailName: mainArn }, response: mainSelectors },
      { params: { TrailName: shadowArn }, response: shadowSelectors },
    ],
    GetInsightSelectors: [{ params: { TrailName: mainArn }, response: insights }],
  };
}

describe("cloudtrail_trails", () => {
  it("emits every trail, shadow trails included, with status, basic and advanced selectors and insights", async () => {
    const run = await runCollector(collector, { fixture: demo() });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([
      {
        trails: [
          { trail: main, status: mainStatus, eventSelectors: mainSelectors, insightSelectors: insights },
          { trail: shadow, status: shadowStatus, eventSelectors: shadowSelectors },
        ],
      },
    ]);
    // Insight selectors only where the trail has them; every call addresses the trail by ARN.
    expect(run.calls.map((c) => [c.operation, c.params])).toEqual([
      ["DescribeTrails", { includeShadowTrails: true }],
      ["GetTrailStatus", { Name: mainArn }],
      ["GetEventSelectors", { TrailName: mainArn }],
      ["GetInsightSelectors", { TrailName: mainArn }],
      ["GetTrailStatus", { Name: shadowArn }],
      ["GetEventSelectors", { TrailName: shadowArn }],
    ]);
    expect(run.records[0]!.calls).toHaveLength(6);
    expect(run.records[0]!.calls.every((c) => c.service === "cloudtrail" && c.requestId)).toBe(true);
  });

  it("emits an empty trail list for an account without trails", async () => {
    const run = await runCollector(collector, {
      fixture: { DescribeTrails: [{ response: { trailList: [] } }] },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([{ trails: [] }]);
  });

  it("throws AccessDeniedException from GetTrailStatus and emits nothing", async () => {
    const fixture = demo();
    fixture.GetTrailStatus = [
      { error: { code: "AccessDeniedException", message: "User is not authorized" } },
    ];
    const run = await runCollector(collector, { fixture });
    expect(run.error).toMatchObject({ name: "AccessDeniedException", operation: "GetTrailStatus" });
    expect(run.records).toEqual([]);
  });

  it("retries throttling and then succeeds", async () => {
    const fixture = demo();
    fixture.GetEventSelectors = [
      { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
      ...fixture.GetEventSelectors!,
    ];
    const run = await runCollector(collector, { fixture, maxAttempts: 3 });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.operation === "GetEventSelectors")).toHaveLength(4);
    const payload = run.records[0]!.payload as { trails: { eventSelectors: unknown }[] };
    expect(payload.trails.map((t) => t.eventSelectors)).toEqual([mainSelectors, shadowSelectors]);
  });
});
