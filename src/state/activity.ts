import type { EvidenceRef } from "../evaluate/types.js";
import type { EvidenceRecord } from "../evidence/record.js";
import { arr, jsonObject, num, str, strings, trailArn } from "./fields.js";
import type { Histories, HistoryBuilder, Kind } from "./history.js";
import { mfaModeOf } from "./parse.js";
import { ALARMS, METRIC_FILTERS } from "./snapshots.js";
import type {
  AlarmState,
  ConfigServiceState,
  LogGroupState,
  MfaFactor,
  TrailState,
  UserPoolState,
} from "./types.js";

/** The CloudTrail events that change a state auditpack evaluates. */
export const STATE_CHANGING_EVENTS = [
  "StopLogging",
  "StartLogging",
  "DeleteTrail",
  "SetUserPoolMfaConfig",
  "PutRetentionPolicy",
  "DeleteRetentionPolicy",
  "DeleteLogGroup",
  "DeleteMetricFilter",
  "DeleteAlarms",
  "DisableAlarmActions",
  "EnableAlarmActions",
  "StopConfigurationRecorder",
  "StartConfigurationRecorder",
] as const;

interface Activity {
  record: EvidenceRecord;
  ref: EvidenceRef;
}

/** Merge [start, end) spans that touch or overlap. */
export function mergeSpans(spans: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * CloudTrail activity (one record per UTC day) as state changes. An event's change holds until the
 * end of the contiguous stretch of days the activity records cover: within it, a later change would
 * have been seen. Failed calls (errorCode set) change nothing.
 */
export function addActivity(
  builder: HistoryBuilder,
  account: string,
  region: string,
  activity: Activity[],
): void {
  const ok = activity.filter((a) => !a.record.error);
  const spans = mergeSpans(
    ok
      .filter((a) => a.record.period)
      .map((a) => [Date.parse(a.record.period!.start), Date.parse(a.record.period!.end)] as [number, number]),
  );
  builder.activityCoverage.set(`${account}|${region}`, spans);
  const coverEnd = (t: number) => spans.find(([s, e]) => s <= t && t < e)?.[1] ?? t + 1000;

  for (const { record, ref } of activity) {
    if (!record.error) continue;
    // Without the day's activity, a stop of logging may have gone unseen.
    const at = Date.parse(record.period?.start ?? record.collectedAt);
    const until = Date.parse(record.period?.end ?? record.collectedAt) || at + 86_400_000;
    builder.mark("cloudtrail_trail", account, region, {
      at,
      until,
      kind: "error",
      error: { code: record.error.code, message: `CloudTrail activity unreadable: ${record.error.message}` },
      evidence: [ref],
    });
  }

  for (const { record, ref } of ok) {
    for (const event of arr(record.payload, "events")) {
      const detail = jsonObject((event as { CloudTrailEvent?: unknown }).CloudTrailEvent) ?? {};
      if (str(detail, "errorCode")) continue;
      const name = str(event, "EventName") ?? str(detail, "eventName");
      const at = Date.parse(str(event, "EventTime") ?? str(detail, "eventTime") ?? "");
      if (!name || Number.isNaN(at)) continue;
      const params = (detail.requestParameters ?? {}) as Record<string, unknown>;
      const evidence = [ref];
      const observedAt = new Date(at).toISOString();
      const until = coverEnd(at);
      const change = <S extends { observedAt: string; evidence: EvidenceRef[] }>(
        kind: Kind,
        key: string,
        apply: (previous: S) => S,
      ) =>
        builder.observe<S>(kind, account, region, key, {
          at,
          until,
          kind: "state",
          evidence,
          patch: (previous) => (previous ? { ...apply(previous), observedAt, evidence } : undefined),
        });
      const gone = (kind: Kind, key: string) =>
        builder.observe(kind, account, region, key, { at, until, kind: "absent", evidence });

      switch (name) {
        case "StopLogging":
        case "StartLogging": {
          const target = str(params, "name");
          if (!target) break;
          const arn = trailArn(account, region, target);
          const isLogging = name === "StartLogging";
          builder.signal(account, region, arn, { at, kind: isLogging ? "start" : "stop", isLogging });
          change<TrailState>("cloudtrail_trail", arn, (p) => ({ ...p, isLogging, loggingSource: "event" }));
          break;
        }
        case "DeleteTrail": {
          const target = str(params, "name");
          if (target) gone("cloudtrail_trail", trailArn(account, region, target));
          break;
        }
        case "SetUserPoolMfaConfig": {
          const pool = str(params, "userPoolId");
          if (!pool) break;
          const mfa = mfaModeOf(str(params, "mfaConfiguration"));
          const factors = new Set<MfaFactor>();
          if (str(params, "softwareTokenMfaConfiguration", "enabled") === "true")
            factors.add("SOFTWARE_TOKEN");
          if (params.smsMfaConfiguration) factors.add("SMS");
          if (params.emailMfaConfiguration) factors.add("EMAIL");
          if (params.webAuthnConfiguration) factors.add("WEB_AUTHN");
          const mentionsFactors = [
            "softwareTokenMfaConfiguration",
            "smsMfaConfiguration",
            "emailMfaConfiguration",
          ].some((k) => k in params);
          change<UserPoolState>("cognito_user_pool", pool, (p) => ({
            ...p,
            mfa: mfa ?? p.mfa,
            factors: mentionsFactors ? [...factors].sort() : p.factors,
          }));
          break;
        }
        case "PutRetentionPolicy":
        case "DeleteRetentionPolicy": {
          const group = str(params, "logGroupName");
          if (!group) break;
          const retentionInDays = name === "PutRetentionPolicy" ? num(params, "retentionInDays") : undefined;
          change<LogGroupState>("logs_log_group", group, (p) => ({ ...p, retentionInDays }));
          break;
        }
        case "DeleteLogGroup": {
          const group = str(params, "logGroupName");
          if (group) gone("logs_log_group", group);
          break;
        }
        case "DeleteMetricFilter": {
          const group = str(params, "logGroupName");
          const filter = str(params, "filterName");
          if (group && filter) gone(METRIC_FILTERS, `${group}:${filter}`);
          break;
        }
        case "DeleteAlarms":
        case "DisableAlarmActions":
        case "EnableAlarmActions": {
          for (const alarm of strings(params, "alarmNames")) {
            if (name === "DeleteAlarms") gone(ALARMS, alarm);
            else
              change<AlarmState>(ALARMS, alarm, (p) => ({
                ...p,
                actionsEnabled: name === "EnableAlarmActions",
              }));
          }
          break;
        }
        case "StopConfigurationRecorder":
        case "StartConfigurationRecorder": {
          const recorder = str(params, "configurationRecorderName");
          const recording = name === "StartConfigurationRecorder";
          change<ConfigServiceState>("config_service", `${account}/${region}`, (p) => ({
            ...p,
            recorders: p.recorders.map((r) =>
              recorder === undefined || r.name === recorder ? { ...r, recording } : r,
            ),
          }));
          break;
        }
      }
    }
  }
}

/**
 * Config items do not carry a trail's logging status. Where it is unknown, take it from the next
 * signal, provided CloudTrail activity covers the time in between (so no unseen change happened):
 * a StopLogging means it was logging before, a StartLogging that it was not, a status that it was so.
 */
export function inferTrailLogging(builder: HistoryBuilder, histories: Histories): void {
  for (const scope of histories.ofKind<TrailState>("cloudtrail_trail")) {
    const spans = builder.activityCoverage.get(`${scope.account}|${scope.region}`) ?? [];
    const covered = (from: number, to: number) => spans.some(([s, e]) => s <= from && to <= e);
    for (const history of scope.resources.values()) {
      const signals = [
        ...(builder.loggingSignals.get(`${scope.account}|${scope.region}|${history.key}`) ?? []),
      ].sort((a, b) => a.at - b.at);
      for (const o of history.observations) {
        if (o.kind !== "state" || !o.state || o.state.isLogging !== undefined) continue;
        const next = signals.find((s) => s.at > o.at);
        if (!next || (next.kind !== "status" && !covered(o.at, next.at))) continue;
        if (next.kind === "status" && !covered(o.at, next.at)) continue;
        const isLogging = next.kind === "stop" ? true : next.kind === "start" ? false : next.isLogging;
        o.state = { ...o.state, isLogging, loggingSource: "inferred" };
      }
    }
  }
}
