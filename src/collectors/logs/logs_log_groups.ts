import {
  CloudWatchLogsClient,
  paginateDescribeLogGroups,
  paginateDescribeMetricFilters,
} from "@aws-sdk/client-cloudwatch-logs";
import { defineCollector } from "../define.js";
import { DAILY } from "../types.js";
import { CallLog, toEvidence } from "../util.js";
import { state } from "./logs_log_groups.state.js";

/** CloudWatch Logs groups (retention, KMS key) and the metric filters that feed security alarms. */
export const collector = defineCollector({
  id: "logs_log_groups",
  service: "logs",
  title: "CloudWatch Logs log groups and metric filters",
  operations: ["DescribeLogGroups", "DescribeMetricFilters"],
  cadence: "snapshot",
  schedule: DAILY,
  resourceTypes: ["logs_log_group", "cloudwatch_security_monitoring"],
  state,
  async collect(ctx) {
    const client = ctx.client(CloudWatchLogsClient);
    const log = new CallLog("logs", ctx.signal);
    const logGroups = await log.all(
      "DescribeLogGroups",
      { limit: 50 },
      (input, o) => paginateDescribeLogGroups({ client }, input, o),
      (page) => page.logGroups,
    );
    ctx.progress(1, 2);
    const metricFilters = await log.all(
      "DescribeMetricFilters",
      { limit: 50 },
      (input, o) => paginateDescribeMetricFilters({ client }, input, o),
      (page) => page.metricFilters,
    );
    ctx.progress(2, 2);
    await ctx.emit({
      payload: { logGroups: toEvidence(logGroups), metricFilters: toEvidence(metricFilters) },
      calls: log.calls,
    });
  },
});
