import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/logs/logs_log_group_kms_encrypted.js";
import { compliantLogGroup, standardCases } from "../harness.js";

describe("logs_log_group_kms_encrypted", () => {
  it("is registered under its file name", () => expect(check.id).toBe("logs_log_group_kms_encrypted"));
  standardCases(check, {
    pass: [compliantLogGroup()],
    fail: [compliantLogGroup({ kmsKeyId: undefined })],
    failReason: /has no KMS key/,
  });
});
