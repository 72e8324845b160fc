import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/config/config_recorder_all_resources.js";
import type { ConfigServiceState } from "../../../src/state/types.js";
import { base, standardCases } from "../harness.js";

const config = (over: Partial<ConfigServiceState> = {}): ConfigServiceState => ({
  ...base("111122223333/eu-west-1", "AWS Config in 111122223333/eu-west-1"),
  recorders: [
    {
      name: "default",
      recording: true,
      allSupported: true,
      includeGlobalResourceTypes: true,
      resourceTypes: [],
      excludedResourceTypes: [],
    },
  ],
  deliveryChannels: [{ name: "default", lastHistoryDelivery: "SUCCESS", lastSnapshotDelivery: "SUCCESS" }],
  ...over,
});

describe("config_recorder_all_resources", () => {
  it("is registered under its file name", () => expect(check.id).toBe("config_recorder_all_resources"));
  standardCases(check, {
    pass: [config()],
    fail: [
      config({
        recorders: [
          {
            name: "default",
            recording: false,
            allSupported: true,
            includeGlobalResourceTypes: true,
            resourceTypes: [],
            excludedResourceTypes: [],
          },
        ],
      }),
    ],
    failReason: /recorder default in 111122223333\/eu-west-1: not recording/,
    noneStatus: "FAIL",
  });
});
