import { DeliveryStatus } from "@aws-sdk/client-config-service";
import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/config/config_delivery_channel_healthy.js";
import { deliveryChannelsOf } from "../../../src/state/parse.js";
import { compliantConfigService, standardCases } from "../harness.js";

describe("config_delivery_channel_healthy", () => {
  it("is registered under its file name", () => expect(check.id).toBe("config_delivery_channel_healthy"));
  standardCases(check, {
    pass: [compliantConfigService()],
    fail: [
      compliantConfigService({
        deliveryChannels: [
          { name: "default", lastHistoryDelivery: DeliveryStatus.Failure, lastErrorCode: "AccessDenied" },
        ],
      }),
    ],
    failReason: /delivery channel default .* last failed to deliver history \(AccessDenied\)/,
    noneStatus: "FAIL",
  });
});

describe("config_delivery_channel_healthy reads DescribeDeliveryChannelStatus as the SDK spells it", () => {
  // DescribeDeliveryChannelStatus response syntax (AWS Config API reference), as the collector stores it.
  const payload = (snapshotStatus: string) => ({
    deliveryChannels: [{ name: "default", s3BucketName: "config-bucket" }],
    deliveryChannelStatus: [
      {
        name: "default",
        configHistoryDeliveryInfo: {
          lastStatus: "Success",
          lastAttemptTime: "2026-08-01T05:00:00.000Z",
          lastSuccessfulTime: "2026-08-01T05:00:00.000Z",
        },
        configSnapshotDeliveryInfo: {
          lastStatus: snapshotStatus,
          lastErrorCode: "NoSuchBucket",
          lastErrorMessage: "The specified bucket does not exist",
          lastAttemptTime: "2026-08-01T04:12:09.000Z",
          lastSuccessfulTime: "2026-07-29T04:12:09.000Z",
        },
        configStreamDeliveryInfo: { lastStatus: "Not_Applicable" },
      },
    ],
  });
  const judge = (status: string) =>
    check.evaluate(compliantConfigService({ deliveryChannels: deliveryChannelsOf(payload(status)) }), {});

  it("fails a channel whose snapshot delivery is `Failure`, with AWS's error and the attempt time", () => {
    const out = judge(DeliveryStatus.Failure);
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain(
      "last failed to deliver snapshot (NoSuchBucket: The specified bucket does not exist) at 2026-08-01T04:12:09.000Z",
    );
  });

  it("passes `Success` and `Not_Applicable`", () => {
    expect(judge(DeliveryStatus.Success).status).toBe("PASS");
    expect(judge(DeliveryStatus.Not_Applicable).status).toBe("PASS");
  });
});
