import { randomBytes } from "node:crypto";
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collector } from "../../src/collectors/cloudtrail/cloudtrail_trails.js";
import { runCollector } from "../helpers/run-collector.js";
import { endpoint, motoClientConfig, region } from "./moto.js";

const base = motoClientConfig();
const cloudtrail = new CloudTrailClient(base);
const s3 = new S3Client({ ...base, forcePathStyle: true });
afterAll(() => {
  cloudtrail.destroy();
  s3.destroy();
});

const prefix = `ap-${randomBytes(4).toString("hex")}`;
const bucket = `${prefix}-trail-logs`;

interface TrailEntry {
  trail: {
    Name: string;
    TrailARN: string;
    HomeRegion: string;
    IsMultiRegionTrail?: boolean;
    HasInsightSelectors?: boolean;
  };
  status: { IsLogging?: boolean };
  eventSelectors: Record<string, unknown>;
  insightSelectors?: Record<string, unknown>;
}

describe("cloudtrail_trails against moto_server", () => {
  let mainArn = "";
  let quietArn = "";
  const basic = [{ ReadWriteType: "All" as const, IncludeManagementEvents: true, DataResources: [] }];
  const advanced = [
    { Name: "management", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
  ];

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const main = await cloudtrail.send(
      new CreateTrailCommand({
        Name: `${prefix}-main`,
        S3BucketName: bucket,
        IsMultiRegionTrail: true,
        EnableLogFileValidation: true,
        IncludeGlobalServiceEvents: true,
      }),
    );
    mainArn = main.TrailARN!;
    // moto finds trails for StartLogging by name only.
    await cloudtrail.send(new StartLoggingCommand({ Name: `${prefix}-main` }));
    await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: mainArn, EventSelectors: basic }));
    const quiet = await cloudtrail.send(
      new CreateTrailCommand({ Name: `${prefix}-quiet`, S3BucketName: bucket }),
    );
    quietArn = quiet.TrailARN!;
    await cloudtrail.send(
      new PutEventSelectorsCommand({ TrailName: quietArn, AdvancedEventSelectors: advanced }),
    );
  });

  function ours(payload: unknown): TrailEntry[] {
    return (payload as { trails: TrailEntry[] }).trails
      .filter((t) => t.trail.Name.startsWith(prefix))
      .sort((a, b) => a.trail.Name.localeCompare(b.trail.Name));
  }

  it("collects trails, logging status and basic and advanced event selectors as set", async () => {
    const run = await runCollector(collector, { endpoint, region });
    expect(run.error).toBeUndefined();
    const [main, quiet] = ours(run.records[0]!.payload);
    expect(main!.trail).toMatchObject({
      Name: `${prefix}-main`,
      TrailARN: mainArn,
      HomeRegion: region,
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      S3BucketName: bucket,
    });
    expect(main!.status.IsLogging).toBe(true);
    expect(main!.eventSelectors).toMatchObject({ TrailARN: mainArn, EventSelectors: basic });
    // moto always reports HasInsightSelectors: false, so the insight path is covered by replay only.
    expect(main!.insightSelectors).toBeUndefined();

    expect(quiet!.trail).toMatchObject({
      Name: `${prefix}-quiet`,
      TrailARN: quietArn,
      IsMultiRegionTrail: false,
    });
    expect(quiet!.status.IsLogging).toBe(false);
    expect(quiet!.eventSelectors).toMatchObject({ AdvancedEventSelectors: advanced });
    expect(quiet!.insightSelectors).toBeUndefined();
  });

  it("sees the multi-region trail from another region as a shadow trail, its status read by ARN", async () => {
    const run = await runCollector(collector, {
      endpoint,
      region: "eu-west-1",
      // moto looks up event selectors in the calling region only; AWS accepts the shadow trail's ARN.
      fixture: {
        // (Any trail: other runs against the same moto_server may have left multi-region trails.)
        GetEventSelectors: [{ response: { EventSelectors: basic } }],
      },
    });
    expect(run.error).toBeUndefined();
    const trails = ours(run.records[0]!.payload);
    expect(trails.map((t) => [t.trail.Name, t.trail.HomeRegion])).toEqual([[`${prefix}-main`, region]]);
    expect(trails[0]!.status.IsLogging).toBe(true);
    const statusCalls = run.records[0]!.calls.filter((c) => c.operation === "GetTrailStatus");
    expect(statusCalls.map((c) => c.params)).toContainEqual({ Name: mainArn });
  });
});
