import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_trail_kms_encrypted.js";
import { compliantTrail, standardCases } from "../harness.js";

describe("cloudtrail_trail_kms_encrypted", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cloudtrail_trail_kms_encrypted"));
  standardCases(check, {
    pass: [compliantTrail()],
    fail: [compliantTrail({ kmsKeyId: undefined })],
    failReason: /org-audit has no KMS key/,
  });
});
