import { RecorderStatus } from "@aws-sdk/client-config-service";
import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/config/config_recorder_all_resources.js";
import { recordersOf } from "../../../src/state/parse.js";
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

describe("config_recorder_all_resources judges the recorder's health, not only its configuration", () => {
  // DescribeConfigurationRecorderStatus response syntax (AWS Config API reference), as the collector stores it.
  const payload = (status: Record<string, unknown>) => ({
    recorders: [
      {
        name: "default",
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [] },
      },
    ],
    recorderStatus: [
      { name: "default", recording: true, lastStartTime: "2026-07-01T00:00:00.000Z", ...status },
    ],
  });
  const judge = (status: Record<string, unknown>) =>
    check.evaluate(
      compliantConfigService({ recorders: recordersOf(payload(status)) }),
      check.paramsSchema.parse({}),
    );

  it("fails a recorder that is recording but whose last attempt is `Failure`, with AWS's error and time", () => {
    const out = judge({
      lastStatus: RecorderStatus.Failure,
      lastErrorCode: "AccessDeniedException",
      lastErrorMessage: "The role cannot describe resources",
      lastStatusChangeTime: "2026-07-31T23:10:00.000Z",
    });
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain(
      "last recording attempt failed at 2026-07-31T23:10:00.000Z (AccessDeniedException: The role cannot describe resources)",
    );
  });

  it("passes `Success` and `Pending`", () => {
    expect(judge({ lastStatus: RecorderStatus.Success }).status).toBe("PASS");
    expect(judge({ lastStatus: RecorderStatus.Pending }).status).toBe("PASS");
  });
});
