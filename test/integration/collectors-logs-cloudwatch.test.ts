import { randomBytes } from "node:crypto";
import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, describe, expect, it } from "vitest";
import { collector as alarmsCollector } from "../../src/collectors/cloudwatch/cloudwatch_alarms.js";
import { collector as logsCollector } from "../../src/collectors/logs/logs_log_groups.js";
import { runCollector } from "../helpers/run-collector.js";
import { endpoint, motoClientConfig, region } from "./moto.js";

const base = motoClientConfig();
const logs = new CloudWatchLogsClient(base);
const cloudwatch = new CloudWatchClient(base);
const kms = new KMSClient(base);
afterAll(() => {
  for (const client of [logs, cloudwatch, kms]) client.destroy();
});

// Resources of other runs against the same moto_server are told apart by this prefix.
const prefix = `ap-${randomBytes(4).toString("hex")}`;

describe("logs_log_groups against moto_server", () => {
  it("collects log groups with their retention and KMS key, and the metric filters, as created", async () => {
    const key = await kms.send(new CreateKeyCommand({ Description: "log encryption" }));
    const keyArn = key.KeyMetadata!.Arn!;
    const trailGroup = `/${prefix}/cloudtrail`;
    const scratchGroup = `/${prefix}/scratch`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: trailGroup, kmsKeyId: keyArn }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: trailGroup, retentionInDays: 365 }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: scratchGroup }));
    const filter = {
      filterName: `${prefix}-root-login`,
      filterPattern: '{ $.userIdentity.type = "Root" }',
      logGroupName: trailGroup,
      metricTransformations: [{ metricName: "RootLogin", metricNamespace: "Security", metricValue: "1" }],
    };
    await logs.send(new PutMetricFilterCommand(filter));

    const run = await runCollector(logsCollector, { endpoint, region });
    expect(run.error).toBeUndefined();
    const payload = run.records[0]!.payload as {
      logGroups: Record<string, unknown>[];
      metricFilters: Record<string, unknown>[];
    };
    const groups = payload.logGroups.filter((g) => String(g.logGroupName).startsWith(`/${prefix}/`));
    expect(groups.map((g) => [g.logGroupName, g.retentionInDays, g.kmsKeyId])).toEqual([
      [trailGroup, 365, keyArn],
      [scratchGroup, undefined, undefined],
    ]);
    const filters = payload.metricFilters.filter((f) => String(f.filterName).startsWith(prefix));
    expect(filters).toHaveLength(1);
    expect(filters[0]).toMatchObject(filter);
    expect(run.records[0]!.calls.map((c) => c.operation)).toEqual([
      "DescribeLogGroups",
      "DescribeMetricFilters",
    ]);
  });
});

describe("cloudwatch_alarms against moto_server", () => {
  it("collects metric alarms with their actions, actions-enabled flag and state, as put", async () => {
    const topic = `arn:aws:sns:${region}:123456789012:${prefix}-security`;
    const alarm = (name: string) => ({
      AlarmName: `${prefix}-${name}`,
      MetricName: "RootLogin",
      Namespace: "Security",
      Statistic: "Sum" as const,
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold" as const,
      AlarmActions: [topic],
      TreatMissingData: "notBreaching",
    });
    await cloudwatch.send(new PutMetricAlarmCommand(alarm("root-login")));
    // (moto has no DisableAlarmActions; the flag is set when the alarm is put.)
    await cloudwatch.send(new PutMetricAlarmCommand({ ...alarm("trail-changes"), ActionsEnabled: false }));

    const run = await runCollector(alarmsCollector, { endpoint, region });
    expect(run.error).toBeUndefined();
    const payload = run.records[0]!.payload as {
      metricAlarms: Record<string, unknown>[];
      compositeAlarms: unknown[];
    };
    const ours = payload.metricAlarms
      .filter((a) => String(a.AlarmName).startsWith(prefix))
      .sort((a, b) => String(a.AlarmName).localeCompare(String(b.AlarmName)));
    expect(ours).toHaveLength(2);
    expect(ours[0]).toMatchObject({ ...alarm("root-login"), ActionsEnabled: true });
    expect(ours[1]).toMatchObject({ ...alarm("trail-changes"), ActionsEnabled: false });
    for (const a of ours) expect(typeof a.StateValue).toBe("string");
    expect(payload.compositeAlarms).toEqual(expect.any(Array));
  });
});
