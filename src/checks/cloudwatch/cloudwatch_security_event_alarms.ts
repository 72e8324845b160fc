import { z } from "zod";
import type { AlarmState, MetricFilterState, SecurityMonitoringState } from "../../state/types.js";
import type { Check } from "../types.js";

/** What a metric filter pattern must mention to watch for each event (the CIS AWS benchmark filters). */
export const SECURITY_EVENTS = {
  unauthorized_api_calls: [/UnauthorizedOperation|AccessDenied/],
  console_signin_without_mfa: [/ConsoleLogin/, /MFAUsed/],
  root_usage: [/userIdentity\.type\s*=\s*"?Root/],
  iam_policy_changes: [
    /PutUserPolicy|PutRolePolicy|PutGroupPolicy|AttachRolePolicy|AttachUserPolicy|CreatePolicy/,
  ],
  cloudtrail_changes: [/StopLogging|DeleteTrail|UpdateTrail/],
  signin_failures: [/ConsoleLogin/, /Failed authentication/],
  kms_key_disable_or_delete: [/DisableKey|ScheduleKeyDeletion/],
  s3_bucket_policy_changes: [/PutBucketPolicy|DeleteBucketPolicy/],
  config_changes: [/StopConfigurationRecorder|PutConfigurationRecorder|DeleteDeliveryChannel/],
  // Network changes are five CIS benchmark filters (4.10-4.14); one does not stand in for another.
  security_group_changes: [/AuthorizeSecurityGroupIngress|RevokeSecurityGroupIngress|CreateSecurityGroup/],
  nacl_changes: [/CreateNetworkAcl|DeleteNetworkAcl|ReplaceNetworkAclEntry/],
  network_gateway_changes: [/CreateCustomerGateway|AttachInternetGateway|DeleteInternetGateway/],
  route_table_changes: [/CreateRoute\b|ReplaceRoute\b|DeleteRoute\b|DeleteRouteTable/],
  vpc_changes: [/CreateVpc\b|DeleteVpc\b|ModifyVpcAttribute/],
} as const;

export type SecurityEvent = keyof typeof SECURITY_EVENTS;
const EVENT_NAMES = Object.keys(SECURITY_EVENTS) as [SecurityEvent, ...SecurityEvent[]];

const params = z.strictObject({ events: z.array(z.enum(EVENT_NAMES)).min(1).default(EVENT_NAMES) });

const watches = (filter: MetricFilterState, event: SecurityEvent): boolean =>
  SECURITY_EVENTS[event].every((re) => re.test(filter.filterPattern));

const alarmsOn = (filter: MetricFilterState, alarms: AlarmState[]): AlarmState[] =>
  alarms.filter((a) => filter.metrics.some((m) => m.name === a.metricName && m.namespace === a.namespace));

const armed = (a: AlarmState): boolean => a.actionsEnabled !== false && a.alarmActions.length > 0;

export const check: Check<SecurityMonitoringState, z.infer<typeof params>> = {
  id: "cloudwatch_security_event_alarms",
  title: "Security events raise alarms that notify someone",
  service: "cloudwatch",
  severity: "high",
  resourceType: "cloudwatch_security_monitoring",
  description:
    "For each security event (unauthorized API calls, console sign-in without MFA, root use, IAM policy, CloudTrail, KMS, S3 bucket policy, Config changes, security group, NACL, network gateway, route table and VPC changes, sign-in failures) a metric filter counts it and an alarm with enabled actions watches that metric.",
  remediation:
    "PutMetricFilter on the trail's log group for each event, PutMetricAlarm on its metric with an SNS action, and keep alarm actions enabled.",
  paramsSchema: params,
  evaluate(state, { events }) {
    const where = `${state.account}/${state.region}`;
    const problems: string[] = [];
    const covered: string[] = [];
    for (const event of events) {
      const filters = state.metricFilters.filter((f) => watches(f, event));
      if (filters.length === 0) {
        problems.push(`${event}: no metric filter`);
        continue;
      }
      const alarms = filters.flatMap((f) => alarmsOn(f, state.alarms));
      if (alarms.length === 0) problems.push(`${event}: filter ${filters[0]!.name} has no alarm`);
      else if (!alarms.some(armed))
        problems.push(`${event}: alarm ${alarms[0]!.name} has actions disabled or none`);
      else covered.push(`${event} (${alarms.find(armed)!.name})`);
    }
    if (problems.length === 0)
      return {
        status: "PASS",
        reason: `all ${events.length} security events alarm in ${where}: ${covered.join(", ")}`,
      };
    return {
      status: "FAIL",
      reason: `${problems.length} of ${events.length} security events lack a working alarm in ${where}: ${problems.join("; ")}`,
    };
  },
};
