import { describe, expect, it } from "vitest";
import type { ServiceFixture } from "../../src/aws/replay.js";
import { check as cwlDelivery } from "../../src/checks/cloudtrail/cloudtrail_trail_cloudwatch_logs_delivery.js";
import { check as s3Delivery } from "../../src/checks/cloudtrail/cloudtrail_trail_s3_delivery_current.js";
import { check as minLength } from "../../src/checks/cognito/cognito_user_pool_password_min_length.js";
import { check as channel } from "../../src/checks/config/config_delivery_channel_healthy.js";
import { check as recorder } from "../../src/checks/config/config_recorder_all_resources.js";
import type { AnyCheck } from "../../src/checks/types.js";
import { collector as trailsCollector } from "../../src/collectors/cloudtrail/cloudtrail_trails.js";
import { collector as poolsCollector } from "../../src/collectors/cognito/cognito_user_pools.js";
import { collector as configCollector } from "../../src/collectors/config/config_recorder.js";
import { stateAdapters } from "../../src/collectors/registry.js";
import type { Collector } from "../../src/collectors/types.js";
import { evaluateCheck } from "../../src/evaluate/evaluate.js";
import { buildHistories } from "../../src/state/build.js";
import { ACCOUNT, loaded, REGION, record } from "../evaluate/helpers.js";
import { runCollector } from "../helpers/run-collector.js";

/**
 * The real collectors read recorded answers in the SDK's wire form (awsJson: epoch seconds), then
 * states and checks judge them: the whole chain the API reference's response shapes go through.
 */
const NOW = "2026-08-01T06:00:00.000Z";
const epoch = (iso: string) => Date.parse(iso) / 1000;
const WINDOW = { start: Date.parse("2026-08-01T06:00:00Z"), end: Date.parse("2026-08-01T07:00:00Z") };

async function judge(collector: Collector, fixture: ServiceFixture, check: AnyCheck, params = {}) {
  const run = await runCollector(collector, { fixture, now: new Date(NOW) });
  expect(run.error).toBeUndefined();
  const records = run.records.map((r) => record(collector.id, NOW, r.payload, { calls: r.calls }));
  const histories = buildHistories(records.map(loaded), {
    holdMs: () => 26 * 3_600_000,
    window: WINDOW,
    adapters: stateAdapters,
  });
  const result = evaluateCheck(
    { check, params: check.paramsSchema.parse(params) },
    histories,
    { accounts: [ACCOUNT], regions: [REGION] },
    WINDOW,
    false,
  );
  return result.findings[0]!;
}

const arn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/audit`;
function trailFixture(status: Record<string, unknown>): ServiceFixture {
  return {
    DescribeTrails: [
      {
        response: {
          trailList: [
            {
              Name: "audit",
              S3BucketName: "audit-logs",
              IsMultiRegionTrail: true,
              IncludeGlobalServiceEvents: true,
              HomeRegion: REGION,
              TrailARN: arn,
              LogFileValidationEnabled: true,
              CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/audit:*`,
              CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/ct-to-cwl`,
              HasCustomEventSelectors: false,
              HasInsightSelectors: false,
              IsOrganizationTrail: false,
            },
          ],
        },
      },
    ],
    GetTrailStatus: [{ response: { IsLogging: true, ...status } }],
    GetEventSelectors: [
      {
        response: {
          TrailARN: arn,
          EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
        },
      },
    ],
  };
}

describe("delivery health through the cloudtrail_trails collector (GetTrailStatus response syntax)", () => {
  it("fails a CloudWatch Logs delivery two days old, passes a fresh one", async () => {
    const stale = await judge(
      trailsCollector,
      trailFixture({
        LatestDeliveryTime: epoch("2026-08-01T05:55:00Z"),
        LatestCloudWatchLogsDeliveryTime: epoch("2026-07-30T06:00:00Z"),
      }),
      cwlDelivery,
    );
    expect(stale.status).toBe("FAIL");
    expect(stale.reason).toContain("2026-07-30T06:00:00.000Z was 48 h old");
    const fresh = await judge(
      trailsCollector,
      trailFixture({
        LatestDeliveryTime: epoch("2026-08-01T05:55:00Z"),
        LatestCloudWatchLogsDeliveryTime: epoch("2026-08-01T05:59:00Z"),
      }),
      cwlDelivery,
    );
    expect(fresh.status).toBe("PASS");
  });

  it("fails on LatestDeliveryError, quoting what AWS said", async () => {
    const f = await judge(
      trailsCollector,
      trailFixture({
        LatestDeliveryTime: epoch("2026-08-01T05:55:00Z"),
        LatestDeliveryError: "NoSuchBucket",
      }),
      s3Delivery,
    );
    expect(f.status).toBe("FAIL");
    expect(f.reason).toContain('S3 delivery error "NoSuchBucket"');
  });
});

function configFixture(recorderStatus: Record<string, unknown>, snapshotStatus: string): ServiceFixture {
  return {
    DescribeConfigurationRecorders: [
      {
        response: {
          ConfigurationRecorders: [
            { name: "default", recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
          ],
        },
      },
    ],
    DescribeConfigurationRecorderStatus: [
      {
        response: {
          ConfigurationRecordersStatus: [
            {
              name: "default",
              recording: true,
              lastStartTime: epoch("2026-07-01T00:00:00Z"),
              ...recorderStatus,
            },
          ],
        },
      },
    ],
    DescribeDeliveryChannels: [
      { response: { DeliveryChannels: [{ name: "default", s3BucketName: "config-bucket" }] } },
    ],
    DescribeDeliveryChannelStatus: [
      {
        response: {
          DeliveryChannelsStatus: [
            {
              name: "default",
              configHistoryDeliveryInfo: {
                lastStatus: "Success",
                lastAttemptTime: epoch("2026-08-01T05:00:00Z"),
              },
              configSnapshotDeliveryInfo: {
                lastStatus: snapshotStatus,
                lastErrorCode: "AccessDenied",
                lastErrorMessage: "Access Denied",
                lastAttemptTime: epoch("2026-08-01T04:00:00Z"),
              },
            },
          ],
        },
      },
    ],
  };
}

describe("Config health through the config_recorder collector (DescribeConfigurationRecorderStatus, DescribeDeliveryChannelStatus)", () => {
  it("fails a recording recorder whose lastStatus is Failure", async () => {
    const f = await judge(
      configCollector,
      configFixture(
        {
          lastStatus: "Failure",
          lastErrorCode: "AccessDenied",
          lastStatusChangeTime: epoch("2026-08-01T03:00:00Z"),
        },
        "Success",
      ),
      recorder,
    );
    expect(f.status).toBe("FAIL");
    expect(f.reason).toContain("last recording attempt failed at 2026-08-01T03:00:00.000Z (AccessDenied)");
  });

  it("fails a delivery channel whose snapshot delivery is Failure, passes Success", async () => {
    const failing = await judge(
      configCollector,
      configFixture({ lastStatus: "Success" }, "Failure"),
      channel,
    );
    expect(failing.status).toBe("FAIL");
    expect(failing.reason).toContain("(AccessDenied: Access Denied) at 2026-08-01T04:00:00.000Z");
    const ok = await judge(configCollector, configFixture({ lastStatus: "Success" }, "Success"), channel);
    expect(ok.status).toBe("PASS");
  });
});

describe("absent settings through the cognito_user_pools collector (DescribeUserPool response syntax)", () => {
  it("judges a pool described without Policies by Cognito's default policy, not ERROR", async () => {
    const id = "eu-west-1_AbC";
    const fixture: ServiceFixture = {
      ListUserPools: [{ response: { UserPools: [{ Id: id, Name: "customers" }] } }],
      DescribeUserPool: [
        {
          response: {
            UserPool: {
              Id: id,
              Name: "customers",
              Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${id}`,
              MfaConfiguration: "ON",
              CreationDate: epoch("2026-01-01T00:00:00Z"),
            },
          },
        },
      ],
      GetUserPoolMfaConfig: [
        { response: { MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } } },
      ],
      ListUserPoolClients: [{ response: { UserPoolClients: [] } }],
    };
    const f = await judge(poolsCollector, fixture, minLength, { minLength: 12 });
    expect(f.status).toBe("FAIL");
    expect(f.reason).toMatch(/\b8\b/);
  });
});
