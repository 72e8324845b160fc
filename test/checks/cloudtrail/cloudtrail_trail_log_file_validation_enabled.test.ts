import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_trail_log_file_validation_enabled.js";
import { compliantTrail, standardCases } from "../harness.js";

describe("cloudtrail_trail_log_file_validation_enabled", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cloudtrail_trail_log_file_validation_enabled"));
  standardCases(check, {
    pass: [compliantTrail()],
    fail: [compliantTrail({ logFileValidation: false })],
    failReason: /org-audit has log file validation disabled/,
  });
});
