import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/config/config_delivery_channel_healthy.js";
import { compliantConfigService, standardCases } from "../harness.js";

describe("config_delivery_channel_healthy", () => {
  it("is registered under its file name", () => expect(check.id).toBe("config_delivery_channel_healthy"));
  standardCases(check, {
    pass: [compliantConfigService()],
    fail: [
      compliantConfigService({
        deliveryChannels: [
          { name: "default", lastHistoryDelivery: "FAILURE", lastErrorCode: "AccessDenied" },
        ],
      }),
    ],
    failReason: /delivery channel default .* last failed \(AccessDenied\)/,
    noneStatus: "FAIL",
  });
});
