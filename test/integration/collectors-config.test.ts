import { randomBytes } from "node:crypto";
import {
  ConfigServiceClient,
  PutConfigRuleCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceFixture } from "../../src/aws/replay.js";
import { collector as recorderCollector } from "../../src/collectors/config/config_recorder.js";
import { collector as rulesCollector } from "../../src/collectors/config/config_rule_compliance.js";
import { runCollector } from "../helpers/run-collector.js";
import { endpoint, motoClientConfig, region } from "./moto.js";

const base = motoClientConfig();
const config = new ConfigServiceClient(base);
const s3 = new S3Client({ ...base, forcePathStyle: true });
afterAll(() => {
  config.destroy();
  s3.destroy();
});

const prefix = `ap-${randomBytes(4).toString("hex")}`;
const bucket = `${prefix}-config`;
const roleARN = "arn:aws:iam::123456789012:role/config-recorder";
const recordingGroup = { allSupported: true, includeGlobalResourceTypes: true };

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // One recorder and one channel per region: "default" replaces what another run may have left.
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: { name: "default", roleARN, recordingGroup },
    }),
  );
  await config.send(
    new PutDeliveryChannelCommand({
      DeliveryChannel: { name: "default", s3BucketName: bucket, s3KeyPrefix: prefix },
    }),
  );
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
});

describe("config_recorder against moto_server", () => {
  it("collects the recorder, its recording status and the delivery channel as configured", async () => {
    const channelStatus = {
      name: "default",
      configHistoryDeliveryInfo: { lastStatus: "Success", lastSuccessfulTime: "2026-09-30T21:00:00.000Z" },
    };
    const run = await runCollector(recorderCollector, {
      endpoint,
      region,
      // moto 5.2 has no DescribeDeliveryChannelStatus (NotImplementedError): that one answer is replayed.
      fixture: { DescribeDeliveryChannelStatus: [{ response: { DeliveryChannelsStatus: [channelStatus] } }] },
    });
    expect(run.error).toBeUndefined();
    const payload = run.records[0]!.payload as Record<string, Record<string, unknown>[]>;
    expect(payload.recorders).toHaveLength(1);
    expect(payload.recorders![0]).toMatchObject({ name: "default", roleARN, recordingGroup });
    expect(payload.recorderStatus).toHaveLength(1);
    expect(payload.recorderStatus![0]).toMatchObject({ name: "default", recording: true });
    expect(payload.deliveryChannels).toEqual([
      { name: "default", s3BucketName: bucket, s3KeyPrefix: prefix },
    ]);
    expect(payload.deliveryChannelStatus).toEqual([channelStatus]);
    expect(run.calls.map((c) => c.operation)).toEqual(["DescribeDeliveryChannelStatus"]);
    expect(run.records[0]!.calls).toHaveLength(4);
  });
});

describe("config_rule_compliance against moto_server", () => {
  it("collects the rules that were put (compliance answers replayed: moto has no compliance APIs)", async () => {
    const rules = [
      {
        ConfigRuleName: `${prefix}-cloudtrail-enabled`,
        Source: { Owner: "AWS" as const, SourceIdentifier: "CLOUD_TRAIL_ENABLED" },
      },
      {
        ConfigRuleName: `${prefix}-log-retention`,
        Source: { Owner: "AWS" as const, SourceIdentifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK" },
        InputParameters: JSON.stringify({ MinRetentionTime: "365" }),
      },
    ];
    for (const rule of rules) await config.send(new PutConfigRuleCommand({ ConfigRule: rule }));
    const names = rules.map((r) => r.ConfigRuleName);
    const replayed: ServiceFixture = {
      DescribeComplianceByConfigRule: [
        {
          response: {
            ComplianceByConfigRules: [
              { ConfigRuleName: names[0], Compliance: { ComplianceType: "COMPLIANT" } },
              { ConfigRuleName: names[1], Compliance: { ComplianceType: "NON_COMPLIANT" } },
            ],
          },
        },
      ],
      GetComplianceDetailsByConfigRule: [{ response: { EvaluationResults: [] } }],
      DescribeConformancePacks: [{ response: { ConformancePackDetails: [] } }],
      GetConformancePackComplianceSummary: [{ response: { ConformancePackComplianceSummaryList: [] } }],
    };

    const run = await runCollector(rulesCollector, {
      endpoint,
      region,
      fixture: replayed,
      options: { ruleNames: names },
    });
    expect(run.error).toBeUndefined();
    const payload = run.records[0]!.payload as {
      rules: Record<string, unknown>[];
      evaluations: Record<string, unknown[]>;
    };
    expect(payload.rules).toHaveLength(2);
    for (const [i, rule] of rules.entries()) {
      expect(payload.rules[i]).toMatchObject({ ...rule, ConfigRuleState: "ACTIVE" });
    }
    expect(Object.keys(payload.evaluations).sort()).toEqual([...names].sort());
    // DescribeConfigRules went to moto; only the compliance operations were replayed.
    expect(run.calls.map((c) => c.operation)).not.toContain("DescribeConfigRules");
    expect(run.records[0]!.calls.filter((c) => c.operation === "DescribeConfigRules")).toHaveLength(1);
  });
});
