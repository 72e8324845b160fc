import { describe, expect, it } from "vitest";
import type { ServiceFixture } from "../../../src/aws/replay.js";
import { collector } from "../../../src/collectors/cloudwatch/cloudwatch_alarms.js";
import { runCollector } from "../../helpers/run-collector.js";

const metricAlarm = (name: string, extra: Record<string, unknown> = {}) => ({
  AlarmName: name,
  AlarmArn: `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${name}`,
  ActionsEnabled: true,
  OKActions: [],
  AlarmActions: ["arn:aws:sns:us-east-1:111122223333:security-alerts"],
  InsufficientDataActions: [],
  StateValue: "OK",
  StateReason: "Threshold Crossed: no datapoints were received",
  StateUpdatedTimestamp: "2026-09-30T12:00:00.000Z",
  AlarmConfigurationUpdatedTimestamp: "2026-07-01T09:00:00.000Z",
  MetricName: "RootLogin",
  Namespace: "Security",
  Statistic: "Sum",
  Dimensions: [],
  Period: 300,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: "GreaterThanOrEqualToThreshold",
  TreatMissingData: "notBreaching",
  ...extra,
});
const composite = {
  AlarmName: "security-any",
  AlarmArn: "arn:aws:cloudwatch:us-east-1:111122223333:alarm:security-any",
  ActionsEnabled: false,
  AlarmActions: ["arn:aws:sns:us-east-1:111122223333:security-alerts"],
  OKActions: [],
  InsufficientDataActions: [],
  AlarmRule: 'ALARM("root-login") OR ALARM("trail-changes")',
  StateValue: "ALARM",
  StateUpdatedTimestamp: "2026-09-30T12:00:00.000Z",
};
const rootLogin = metricAlarm("root-login");
const trailChanges = metricAlarm("trail-changes", { ActionsEnabled: false, StateValue: "INSUFFICIENT_DATA" });

function demo(): ServiceFixture {
  return {
    DescribeAlarms: [
      {
        params: { AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
        response: { MetricAlarms: [rootLogin, trailChanges], CompositeAlarms: [composite] },
      },
    ],
  };
}

describe("cloudwatch_alarms", () => {
  it("emits metric and composite alarms with actions, actions enabled and state", async () => {
    const run = await runCollector(collector, { fixture: demo() });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([
      { metricAlarms: [rootLogin, trailChanges], compositeAlarms: [composite] },
    ]);
    expect(run.records[0]!.calls).toEqual([
      {
        service: "monitoring",
        operation: "DescribeAlarms",
        params: { AlarmTypes: ["MetricAlarm", "CompositeAlarm"], MaxRecords: 100 },
        requestId: expect.any(String),
      },
    ]);
  });

  it("follows three pages, gathering both kinds from every page", async () => {
    const names = ["a", "b", "c"];
    const run = await runCollector(collector, {
      fixture: {
        DescribeAlarms: names.map((n, i) => ({
          params: { NextToken: i === 0 ? null : `t${i}` },
          response: {
            MetricAlarms: [metricAlarm(n)],
            CompositeAlarms: i === 1 ? [composite] : [],
            ...(i < 2 ? { NextToken: `t${i + 1}` } : {}),
          },
        })),
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([
      { metricAlarms: names.map((n) => metricAlarm(n)), compositeAlarms: [composite] },
    ]);
    expect(run.records[0]!.calls).toHaveLength(3);
  });

  it("emits empty lists when there are no alarms", async () => {
    const run = await runCollector(collector, { fixture: { DescribeAlarms: [{ response: {} }] } });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([{ metricAlarms: [], compositeAlarms: [] }]);
  });

  it("throws AccessDenied and emits nothing", async () => {
    const run = await runCollector(collector, {
      fixture: {
        DescribeAlarms: [{ error: { code: "AccessDeniedException", message: "denied", status: 403 } }],
      },
    });
    expect(run.error).toMatchObject({ name: "AccessDeniedException", operation: "DescribeAlarms" });
    expect(run.records).toEqual([]);
  });

  it("retries throttling and then succeeds", async () => {
    const run = await runCollector(collector, {
      maxAttempts: 3,
      fixture: {
        DescribeAlarms: [
          { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
          ...demo().DescribeAlarms!,
        ],
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls).toHaveLength(3);
    expect(run.records).toHaveLength(1);
  });
});
