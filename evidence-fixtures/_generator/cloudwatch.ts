import { CIS_FILTERS, CIS_NAMESPACE } from "./cis.js";
import type { AlarmSpec, CompositeAlarmSpec, RegionSpec } from "./model.js";
import { arn } from "./model.js";
import type { Random } from "./prng.js";
import { epoch } from "./time.js";
import { paged, type ServiceFile } from "./types.js";

/** monitoring answers: DescribeAlarms (metric and composite alarms). */

export function securityTopic(account: string, region: string): string {
  return arn("sns", region, account, "security-alerts");
}

export function metricAlarmType(alarm: AlarmSpec, account: string, region: string): Record<string, unknown> {
  const cis = alarm.cis ? CIS_FILTERS[alarm.cis] : undefined;
  if (alarm.cis && !cis) throw new Error(`unknown CIS metric ${alarm.cis}`);
  const metric = cis
    ? {
        namespace: CIS_NAMESPACE,
        name: cis.metric,
        statistic: "Sum",
        threshold: 1,
        period: 300,
        dimensions: [],
      }
    : alarm.metric!;
  const inAlarm = alarm.state === "ALARM";
  return {
    AlarmName: alarm.name,
    AlarmArn: arn("cloudwatch", region, account, `alarm:${alarm.name}`),
    AlarmDescription: alarm.description,
    AlarmConfigurationUpdatedTimestamp: epoch(alarm.updated),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: [],
    AlarmActions: [securityTopic(account, region)],
    InsufficientDataActions: [],
    StateValue: alarm.state,
    StateReason: inAlarm
      ? `Threshold Crossed: 1 datapoint [3.0 (${alarm.stateSince.slice(0, 19).replace("T", " ")})] was greater than or equal to the threshold (${metric.threshold}).`
      : `Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (${metric.threshold}).`,
    StateUpdatedTimestamp: epoch(alarm.stateSince),
    MetricName: metric.name,
    Namespace: metric.namespace,
    Statistic: metric.statistic,
    Dimensions: metric.dimensions ?? [],
    Period: metric.period,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    Threshold: metric.threshold,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    TreatMissingData: "notBreaching",
    StateTransitionedTimestamp: epoch(alarm.stateSince),
  };
}

function compositeAlarmType(
  alarm: CompositeAlarmSpec,
  account: string,
  region: string,
): Record<string, unknown> {
  return {
    ActionsEnabled: true,
    AlarmActions: [securityTopic(account, region)],
    AlarmArn: arn("cloudwatch", region, account, `alarm:${alarm.name}`),
    AlarmConfigurationUpdatedTimestamp: epoch(alarm.updated),
    AlarmDescription: alarm.description,
    AlarmName: alarm.name,
    AlarmRule: alarm.rule,
    InsufficientDataActions: [],
    OKActions: [],
    StateReason: "arn:aws:cloudwatch alarm rule evaluated to FALSE",
    StateUpdatedTimestamp: epoch(alarm.updated),
    StateValue: "OK",
    StateTransitionedTimestamp: epoch(alarm.updated),
  };
}

export function cloudwatchFile(spec: RegionSpec, account: string, region: string, rng: Random): ServiceFile {
  const metric = [...spec.alarms]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => metricAlarmType(a, account, region));
  const composite = spec.compositeAlarms.map((a) => compositeAlarmType(a, account, region));
  // DescribeAlarms pages carry metric alarms first, composite alarms on the last page.
  const answers = paged(
    metric,
    8,
    () => rng.token(),
    (slice, next) =>
      next
        ? { MetricAlarms: slice, CompositeAlarms: [], NextToken: next }
        : { MetricAlarms: slice, CompositeAlarms: composite },
  );
  return { DescribeAlarms: answers };
}
