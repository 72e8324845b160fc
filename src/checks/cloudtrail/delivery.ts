import { z } from "zod";
import type { TrailDeliveryState } from "../../state/types.js";

/** Catalog parameter shared by the delivery checks: how old the latest delivery may be when CloudTrail is asked. */
export const maxDeliveryAgeHours = z
  .number()
  .positive()
  .max(24 * 30)
  .default(24);

const hours = (ms: number): string => `${(ms / 3_600_000).toFixed(ms < 36_000_000 ? 1 : 0)} h`;

/**
 * Judge one delivery destination from GetTrailStatus: FAIL with CloudTrail's error, or when the
 * latest delivery is older than the limit at the time of the answer (or never happened).
 */
export function deliveryShortfall(
  delivery: TrailDeliveryState,
  destination: "S3" | "CloudWatch Logs",
  maxAgeHours: number,
): { ok: boolean; text: string } {
  const time = destination === "S3" ? delivery.latestDeliveryTime : delivery.latestCloudWatchLogsDeliveryTime;
  const error =
    destination === "S3" ? delivery.latestDeliveryError : delivery.latestCloudWatchLogsDeliveryError;
  const asOf = delivery.statusAt ? ` (GetTrailStatus at ${delivery.statusAt})` : "";
  if (error)
    return {
      ok: false,
      text: `CloudTrail reports ${destination} delivery error "${error}"${time ? `; latest delivery ${time}` : ""}${asOf}`,
    };
  if (!time) return { ok: false, text: `CloudTrail reports no delivery to ${destination} yet${asOf}` };
  const age = Date.parse(delivery.statusAt) - Date.parse(time);
  if (Number.isFinite(age) && age > maxAgeHours * 3_600_000) {
    return {
      ok: false,
      text: `latest ${destination} delivery ${time} was ${hours(age)} old${asOf}; at most ${maxAgeHours} h allowed`,
    };
  }
  // A PASS reason without the times: it stays the same from one status read to the next, so the
  // passing intervals merge (the evidence records hold the times).
  return {
    ok: true,
    text: `latest ${destination} delivery at most ${maxAgeHours} h old when read, no delivery error`,
  };
}
