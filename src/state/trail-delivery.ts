import { str } from "./fields.js";
import type { TrailDeliveryState } from "./types.js";

/**
 * Delivery health from a GetTrailStatus answer (CloudTrail API reference, GetTrailStatus response
 * syntax): LatestDeliveryTime / LatestDeliveryError for S3, LatestCloudWatchLogsDeliveryTime /
 * LatestCloudWatchLogsDeliveryError for CloudWatch Logs. An absent time means CloudTrail has not
 * delivered there (yet); an absent error means the last delivery raised none. The evidence stores
 * the SDK's Dates as ISO strings; `statusAt` is when the answer was given, which ages are measured from.
 */
export function trailDeliveryOf(status: unknown, statusAt?: string): TrailDeliveryState | undefined {
  if (status === undefined || status === null || typeof status !== "object") return undefined;
  const iso = (member: string): string | undefined => {
    const v = str(status, member);
    if (v === undefined || v === "") return undefined;
    // Wire-form epoch seconds (a raw fixture) or an ISO string (collector evidence).
    const ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  };
  const text = (member: string): string | undefined => {
    const v = str(status, member);
    return v === undefined || v === "" ? undefined : v;
  };
  return {
    statusAt: statusAt ?? "",
    latestDeliveryTime: iso("LatestDeliveryTime"),
    latestDeliveryError: text("LatestDeliveryError"),
    latestCloudWatchLogsDeliveryTime: iso("LatestCloudWatchLogsDeliveryTime"),
    latestCloudWatchLogsDeliveryError: text("LatestCloudWatchLogsDeliveryError"),
  };
}
