import { DeliveryStatus } from "@aws-sdk/client-config-service";
import { z } from "zod";
import type { ConfigServiceState, DeliveryChannelState } from "../../state/types.js";
import type { Check } from "../types.js";

const params = z.strictObject({});

/** Which deliveries AWS Config reports as failed, e.g. " (history, snapshot)". */
const failedParts = (c: DeliveryChannelState): string => {
  const parts = [
    c.lastHistoryDelivery === DeliveryStatus.Failure ? "history" : "",
    c.lastSnapshotDelivery === DeliveryStatus.Failure ? "snapshot" : "",
  ].filter(Boolean);
  return ` to deliver ${parts.join(" and ")}`;
};

export const check: Check<ConfigServiceState, z.infer<typeof params>> = {
  id: "config_delivery_channel_healthy",
  title: "AWS Config delivers its history",
  service: "config",
  severity: "medium",
  resourceType: "config_service",
  description:
    "A delivery channel exists and its last configuration history and snapshot deliveries succeeded.",
  remediation:
    "Fix the delivery channel's bucket policy or KMS key so AWS Config can write (see lastErrorCode).",
  paramsSchema: params,
  evaluate(state) {
    const where = `${state.account}/${state.region}`;
    if (state.deliveryChannels.length === 0)
      return { status: "FAIL", reason: `no AWS Config delivery channel in ${where}` };
    const failed = state.deliveryChannels.filter(
      (c) =>
        c.lastHistoryDelivery === DeliveryStatus.Failure || c.lastSnapshotDelivery === DeliveryStatus.Failure,
    );
    if (failed.length) {
      return {
        status: "FAIL",
        reason: failed
          .map(
            (c) =>
              `delivery channel ${c.name} in ${where} last failed${failedParts(c)}${c.lastErrorCode ? ` (${[c.lastErrorCode, c.lastErrorMessage].filter(Boolean).join(": ")})` : ""}${c.lastAttemptTime ? ` at ${c.lastAttemptTime}` : ""}`,
          )
          .join("; "),
      };
    }
    const unknown = state.deliveryChannels.filter(
      (c) => c.lastHistoryDelivery === undefined && c.lastSnapshotDelivery === undefined,
    );
    if (unknown.length === state.deliveryChannels.length) {
      return {
        status: "ERROR",
        reason: `delivery status of ${unknown.map((c) => c.name).join(", ")} in ${where} is not in the evidence`,
      };
    }
    const c = state.deliveryChannels[0]!;
    return {
      status: "PASS",
      reason: `delivery channel ${c.name} in ${where}: last history delivery ${c.lastHistoryDelivery ?? "n/a"}, snapshot ${c.lastSnapshotDelivery ?? "n/a"}`,
    };
  },
};
