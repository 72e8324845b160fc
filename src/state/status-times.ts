import type { EvidenceRecord } from "../evidence/record.js";
import type { EvidenceRef } from "../evidence/ref.js";
import { ruleFor } from "./changes/index.js";
import type { ActivityEvent, Effect } from "./changes/types.js";
import { arr, bool, str, trailArn } from "./fields.js";
import type { HistoryBuilder } from "./history.js";
import { TRAIL_SHADOWS } from "./snapshots.js";

/** An epoch-seconds number or an ISO string (the SDK's Date as stored), as epoch ms. */
function time(value: unknown): number | undefined {
  if (typeof value === "number") return value * 1000;
  if (typeof value === "string") {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** The effect the named event would have, as if CloudTrail had recorded it (a status time is its own observation). */
function synthetic(
  builder: HistoryBuilder,
  name: string,
  at: number,
  params: Record<string, unknown>,
  place: { account: string; region: string; kind: string; key: string },
  evidence: EvidenceRef[],
  id: string,
): void {
  const event: ActivityEvent = {
    name,
    at,
    id,
    params,
    response: {},
    account: place.account,
    region: place.region,
  };
  for (const effect of ruleFor(name)?.effects(event) ?? []) {
    builder.change(place.kind, place.account, place.region, place.key, {
      event,
      effect: effect as Effect,
      evidence,
    });
  }
}

/**
 * Status times AWS reports are observations in their own right (issue 10): GetTrailStatus's
 * StopLoggingTime / StartLoggingTime are a StopLogging / StartLogging at that second, and when the
 * trail is logging and its latest start is after its latest stop, it logged without a break from
 * that start until the status was read. AWS Config's recorder status (lastStartTime /
 * lastStopTime) likewise gives a Start/StopConfigurationRecorder.
 */
export function addTrailStatusTimes(builder: HistoryBuilder, record: EvidenceRecord, ref: EvidenceRef): void {
  if (record.error) return;
  const { account, region } = record;
  const evidence = [ref];
  const statusAt = Date.parse(record.collectedAt);
  for (const entry of arr(record.payload, "trails")) {
    const e = entry as { trail?: unknown; status?: unknown };
    const name = str(e.trail, "TrailARN") ?? str(e.trail, "Name");
    if (!name || !e.status) continue;
    const home = str(e.trail, "HomeRegion") ?? region;
    const key = trailArn(account, home, name);
    const kind = home !== region ? TRAIL_SHADOWS : "cloudtrail_trail";
    const place = { account, region, kind, key };
    const start = time((e.status as Record<string, unknown>).StartLoggingTime);
    const stop = time((e.status as Record<string, unknown>).StopLoggingTime);
    if (stop !== undefined && stop < statusAt)
      synthetic(
        builder,
        "StopLogging",
        stop,
        { name: key },
        place,
        evidence,
        "GetTrailStatus StopLoggingTime",
      );
    if (start !== undefined && start < statusAt)
      synthetic(
        builder,
        "StartLogging",
        start,
        { name: key },
        place,
        evidence,
        "GetTrailStatus StartLoggingTime",
      );
    const logging = bool(e.status, "IsLogging");
    const latest = logging ? start : stop;
    const other = logging ? stop : start;
    if (
      logging !== undefined &&
      latest !== undefined &&
      latest < statusAt &&
      (other === undefined || other < latest)
    ) {
      builder.fieldSpan(kind, account, region, key, {
        start: latest,
        end: statusAt,
        field: "isLogging",
        evidence,
        note: `GetTrailStatus at ${record.collectedAt}: ${logging ? "logging" : "not logging"} since ${logging ? "StartLoggingTime" : "StopLoggingTime"} ${new Date(latest).toISOString()}`,
      });
    }
  }
}

/** AWS Config's recorder status (lastStartTime / lastStopTime) as Start/StopConfigurationRecorder observations. */
export function addRecorderStatusTimes(
  builder: HistoryBuilder,
  record: EvidenceRecord,
  ref: EvidenceRef,
): void {
  if (record.error) return;
  const { account, region } = record;
  const evidence = [ref];
  const statusAt = Date.parse(record.collectedAt);
  for (const status of arr(record.payload, "recorderStatus")) {
    const name = str(status, "name");
    const place = { account, region, kind: "config_service", key: `${account}/${region}` };
    const start = time((status as Record<string, unknown>).lastStartTime);
    const stop = time((status as Record<string, unknown>).lastStopTime);
    const params = name ? { configurationRecorderName: name } : {};
    if (stop !== undefined && stop < statusAt)
      synthetic(
        builder,
        "StopConfigurationRecorder",
        stop,
        params,
        place,
        evidence,
        "recorder status lastStopTime",
      );
    if (start !== undefined && start < statusAt)
      synthetic(
        builder,
        "StartConfigurationRecorder",
        start,
        params,
        place,
        evidence,
        "recorder status lastStartTime",
      );
  }
}
