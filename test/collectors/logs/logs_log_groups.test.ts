import { describe, expect, it } from "vitest";
import type { ServiceFixture } from "../../../src/aws/replay.js";
import { collector } from "../../../src/collectors/logs/logs_log_groups.js";
import { runCollector } from "../../helpers/run-collector.js";

const group = (name: string, extra: Record<string, unknown> = {}) => ({
  logGroupName: name,
  creationTime: 1767225600000,
  metricFilterCount: 0,
  arn: `arn:aws:logs:us-east-1:111122223333:log-group:${name}:*`,
  storedBytes: 1024,
  logGroupClass: "STANDARD",
  ...extra,
});
const trailGroup = group("/aws/cloudtrail/org-main", {
  retentionInDays: 365,
  kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  metricFilterCount: 1,
});
const scratch = group("/aws/lambda/scratch");
const filter = {
  filterName: "root-login",
  filterPattern: '{ $.userIdentity.type = "Root" && $.eventType = "AwsConsoleSignIn" }',
  metricTransformations: [{ metricName: "RootLogin", metricNamespace: "Security", metricValue: "1" }],
  creationTime: 1767225600000,
  logGroupName: trailGroup.logGroupName,
};

function demo(): ServiceFixture {
  return {
    DescribeLogGroups: [{ response: { logGroups: [trailGroup, scratch] } }],
    DescribeMetricFilters: [{ response: { metricFilters: [filter] } }],
  };
}

describe("logs_log_groups", () => {
  it("emits log groups (retention, KMS key) and metric filters", async () => {
    const run = await runCollector(collector, { fixture: demo() });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([
      { logGroups: [trailGroup, scratch], metricFilters: [filter] },
    ]);
    expect(run.records[0]!.calls.map((c) => [c.service, c.operation, c.params])).toEqual([
      ["logs", "DescribeLogGroups", { limit: 50 }],
      ["logs", "DescribeMetricFilters", { limit: 50 }],
    ]);
  });

  it("follows three pages of log groups and of metric filters", async () => {
    const groups = ["/a", "/b", "/c"].map((n) => group(n));
    const filters = ["f1", "f2", "f3"].map((n) => ({ ...filter, filterName: n }));
    const pages = <T>(member: string, items: T[]) =>
      items.map((item, i) => ({
        params: { nextToken: i === 0 ? null : `t${i}` },
        response: { [member]: [item], ...(i < items.length - 1 ? { nextToken: `t${i + 1}` } : {}) },
      }));
    const run = await runCollector(collector, {
      fixture: {
        DescribeLogGroups: pages("logGroups", groups),
        DescribeMetricFilters: pages("metricFilters", filters),
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([{ logGroups: groups, metricFilters: filters }]);
    expect(run.records[0]!.calls).toHaveLength(6);
  });

  it("emits empty lists when there are no log groups", async () => {
    const run = await runCollector(collector, {
      fixture: {
        DescribeLogGroups: [{ response: { logGroups: [] } }],
        DescribeMetricFilters: [{ response: {} }],
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([{ logGroups: [], metricFilters: [] }]);
  });

  it("throws AccessDeniedException and emits nothing when metric filters are denied", async () => {
    const fixture = demo();
    fixture.DescribeMetricFilters = [{ error: { code: "AccessDeniedException", message: "denied" } }];
    const run = await runCollector(collector, { fixture });
    expect(run.error).toMatchObject({ name: "AccessDeniedException", operation: "DescribeMetricFilters" });
    expect(run.records).toEqual([]);
  });

  it("retries throttling and then succeeds", async () => {
    const fixture = demo();
    fixture.DescribeLogGroups = [
      { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
      ...fixture.DescribeLogGroups!,
    ];
    const run = await runCollector(collector, { fixture, maxAttempts: 3 });
    expect(run.error).toBeUndefined();
    expect(run.calls.map((c) => c.operation)).toEqual([
      "DescribeLogGroups",
      "DescribeLogGroups",
      "DescribeLogGroups",
      "DescribeMetricFilters",
    ]);
    expect(run.records.map((r) => r.payload)).toEqual([
      { logGroups: [trailGroup, scratch], metricFilters: [filter] },
    ]);
  });
});
