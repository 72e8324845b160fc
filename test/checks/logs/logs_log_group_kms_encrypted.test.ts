import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/logs/logs_log_group_kms_encrypted.js";
import type { LogGroupState } from "../../../src/state/types.js";
import { base, standardCases } from "../harness.js";

const group = (over: Partial<LogGroupState> = {}): LogGroupState => ({
  ...base("/aws/cloudtrail/org-audit"),
  retentionInDays: 365,
  kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k1",
  deliveredBy: ["arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-audit"],
  ...over,
});

describe("logs_log_group_kms_encrypted", () => {
  it("is registered under its file name", () => expect(check.id).toBe("logs_log_group_kms_encrypted"));
  standardCases(check, {
    pass: [group()],
    fail: [group({ kmsKeyId: undefined })],
    failReason: /has no KMS key/,
  });
});
