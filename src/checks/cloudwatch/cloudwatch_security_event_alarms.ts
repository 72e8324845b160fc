import { z } from "zod";
import { describeEvent, readFilterPattern, watchesClass } from "../../logs/filter-pattern/index.js";
import { logGroupOf } from "../../state/trail-coverage.js";
import type { AlarmState, MetricFilterState, SecurityMonitoringState } from "../../state/types.js";
import type { Check } from "../types.js";
import { SECURITY_EVENTS, type SecurityEvent } from "./security-events.js";

export { SECURITY_EVENTS, type SecurityEvent };

const EVENT_NAMES = Object.keys(SECURITY_EVENTS) as [SecurityEvent, ...SecurityEvent[]];

const params = z.strictObject({ events: z.array(z.enum(EVENT_NAMES)).min(1).default(EVENT_NAMES) });

const groupKey = (account: string, region: string, name: string) => `${account}|${region}|${name}`;

/**
 * Log groups that a trail recording this region delivers to (undefined: no trail evidence). A trail
 * that is stopped still counts here: stopped logging is the continuous-logging check's finding, and
 * counting it twice would make every stop an alarm failure too.
 */
function trailLogGroups(state: SecurityMonitoringState): Set<string> | undefined {
  if (!state.trails) return undefined;
  const out = new Set<string>();
  for (const t of state.trails) {
    const g = logGroupOf(t.cloudWatchLogsLogGroupArn);
    if (g) out.add(groupKey(g.account, g.region, g.name));
  }
  return out;
}

/** The metric lives in the filter's account and region; so does an alarm on it. */
const alarmsOn = (filter: MetricFilterState, alarms: AlarmState[]): AlarmState[] =>
  alarms.filter(
    (a) =>
      a.account === filter.account &&
      a.region === filter.region &&
      filter.metrics.some((m) => m.name === a.metricName && m.namespace === a.namespace),
  );

const armed = (a: AlarmState): boolean => a.actionsEnabled !== false && a.alarmActions.length > 0;

/**
 * One event class: the filters that watch it, why the others near it do not, and the unreadable
 * filters that might have (on a log group that receives CloudTrail events, or any when that is unknown).
 */
function judgeEvent(
  state: SecurityMonitoringState,
  event: SecurityEvent,
  delivered: Set<string> | undefined,
) {
  const cls = SECURITY_EVENTS[event];
  const watching: MetricFilterState[] = [];
  const notes: string[] = [];
  const unreadable: string[] = [];
  for (const f of state.metricFilters) {
    const reading = readFilterPattern(f.filterPattern);
    if (!reading.ok) {
      if (!delivered || delivered.has(groupKey(f.account, f.region, f.logGroupName)))
        unreadable.push(`filter ${f.name} could not be read (${reading.error})`);
      continue;
    }
    const verdict = watchesClass(reading.pattern, cls);
    if (verdict.watches) watching.push(f);
    else if (verdict.alsoMatches && mentions(f, cls.examples))
      notes.push(`filter ${f.name} also matches ${describeEvent(verdict.alsoMatches)}`);
    else if (verdict.missed && mentions(f, cls.examples))
      notes.push(`filter ${f.name} misses ${describeEvent(verdict.missed)}`);
  }
  return { watching, notes, unreadable };
}

/** Which near misses the reason names (the filter mentions the class's events); never used for a verdict. */
const mentions = (f: MetricFilterState, examples: readonly Record<string, unknown>[]): boolean =>
  examples.some((e) => f.filterPattern.includes(String(e.eventName))) ||
  examples.some((e) => typeof e.errorCode === "string" && f.filterPattern.includes("errorCode"));

export const check: Check<SecurityMonitoringState, z.infer<typeof params>> = {
  id: "cloudwatch_security_event_alarms",
  title: "Security events raise alarms that notify someone",
  service: "cloudwatch",
  severity: "high",
  resourceType: "cloudwatch_security_monitoring",
  description:
    "For each security event (unauthorized API calls, console sign-in without MFA, root use, IAM policy, CloudTrail, KMS, S3 bucket policy, Config changes, security group, NACL, network gateway, route table and VPC changes, sign-in failures) a metric filter counts it and an alarm with enabled actions watches that metric. The filter pattern is parsed (CloudWatch Logs filter pattern syntax) and must match every example CloudTrail event of the class and none of its counter-examples, and the filter must be on a log group that a trail recording this region (wherever it is homed) delivers to. A pattern the parser cannot read is reported, never counted.",
  remediation:
    "PutMetricFilter on the trail's log group for each event, PutMetricAlarm on its metric with an SNS action, and keep alarm actions enabled.",
  paramsSchema: params,
  evaluate(state, { events }) {
    const where = `${state.account}/${state.region}`;
    const delivered = trailLogGroups(state);
    const problems: string[] = [];
    const unknown: string[] = [];
    const covered: string[] = [];
    for (const event of events) {
      const { watching, notes, unreadable } = judgeEvent(state, event, delivered);
      const all = [...unreadable, ...notes];
      const why = all.length ? ` (${all.join("; ")})` : "";
      if (watching.length === 0) {
        // An unreadable filter on the trail's log group might be the one: unknown, never passed.
        (unreadable.length ? unknown : problems).push(`${event}: no metric filter matches it${why}`);
        continue;
      }
      const onTrail = delivered
        ? watching.filter((f) => delivered.has(groupKey(f.account, f.region, f.logGroupName)))
        : [];
      if (onTrail.length === 0) {
        if (!delivered)
          unknown.push(
            `${event}: filter ${watching[0]!.name} matches, but no trail evidence says which log group receives CloudTrail events`,
          );
        else
          problems.push(
            `${event}: filter ${watching[0]!.name} is on log group ${watching[0]!.logGroupName}, which no trail recording ${where} delivers to`,
          );
        continue;
      }
      const alarms = onTrail.flatMap((f) => alarmsOn(f, state.alarms));
      if (alarms.length === 0) problems.push(`${event}: filter ${onTrail[0]!.name} has no alarm`);
      else if (!alarms.some(armed))
        problems.push(`${event}: alarm ${alarms[0]!.name} has actions disabled or none`);
      else covered.push(`${event} (${alarms.find(armed)!.name})`);
    }
    if (problems.length) {
      return {
        status: "FAIL",
        reason: `${problems.length} of ${events.length} security events lack a working alarm in ${where}: ${[...problems, ...unknown].join("; ")}`,
      };
    }
    if (unknown.length) {
      return {
        status: "ERROR",
        reason: `${unknown.length} of ${events.length} security events cannot be judged in ${where}: ${unknown.join("; ")}`,
      };
    }
    return {
      status: "PASS",
      reason: `all ${events.length} security events alarm in ${where}: ${covered.join(", ")}`,
    };
  },
};
