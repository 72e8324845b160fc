import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/config/config_recorder_all_resources.js";
import { compliantConfigService, standardCases } from "../harness.js";

describe("config_recorder_all_resources", () => {
  it("is registered under its file name", () => expect(check.id).toBe("config_recorder_all_resources"));
  standardCases(check, {
    pass: [compliantConfigService()],
    fail: [
      compliantConfigService({
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
