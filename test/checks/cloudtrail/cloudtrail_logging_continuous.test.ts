import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_logging_continuous.js";
import { compliantTrail, standardCases } from "../harness.js";

describe("cloudtrail_logging_continuous", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cloudtrail_logging_continuous"));
  standardCases(check, {
    pass: [compliantTrail()],
    fail: [compliantTrail({ isLogging: false, loggingSource: "event" })],
    failReason: /org-audit was not logging \(per CloudTrail event\)/,
  });
});
