import {
  CloudWatchClient,
  type CompositeAlarm,
  type MetricAlarm,
  paginateDescribeAlarms,
} from "@aws-sdk/client-cloudwatch";
import { defineCollector } from "../define.js";
import { DAILY } from "../types.js";
import { CallLog, toEvidence } from "../util.js";
import { state } from "./cloudwatch_alarms.state.js";

/** CloudWatch metric and composite alarms: state, actions and whether actions are enabled. */
export const collector = defineCollector({
  id: "cloudwatch_alarms",
  service: "monitoring",
  title: "CloudWatch alarms",
  operations: ["DescribeAlarms"],
  cadence: "snapshot",
  schedule: DAILY,
  resourceTypes: ["cloudwatch_security_monitoring"],
  state,
  async collect(ctx) {
    const client = ctx.client(CloudWatchClient);
    const log = new CallLog("monitoring", ctx.signal);
    const metricAlarms: MetricAlarm[] = [];
    const compositeAlarms: CompositeAlarm[] = [];
    const pages = log.paginate(
      "DescribeAlarms",
      { AlarmTypes: ["MetricAlarm" as const, "CompositeAlarm" as const], MaxRecords: 100 },
      (input, o) => paginateDescribeAlarms({ client }, input, o),
    );
    for await (const page of pages) {
      metricAlarms.push(...(page.MetricAlarms ?? []));
      compositeAlarms.push(...(page.CompositeAlarms ?? []));
    }
    ctx.progress(1, 1);
    await ctx.emit({
      payload: { metricAlarms: toEvidence(metricAlarms), compositeAlarms: toEvidence(compositeAlarms) },
      calls: log.calls,
    });
  },
});
