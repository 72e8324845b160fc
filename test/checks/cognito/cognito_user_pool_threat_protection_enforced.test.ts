import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_threat_protection_enforced.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_threat_protection_enforced", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_threat_protection_enforced"));
  standardCases(check, {
    pass: [compliantUserPool()],
    fail: [
      compliantUserPool({ advancedSecurityMode: "AUDIT" }),
      compliantUserPool({ advancedSecurityMode: undefined }),
    ],
    failReason: /threat protection (AUDIT|OFF \(not set\))/,
  });
});
