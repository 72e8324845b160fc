import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_mfa_required.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_mfa_required", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cognito_user_pool_mfa_required"));
  standardCases(check, {
    pass: [compliantUserPool()],
    fail: [compliantUserPool({ mfa: "OFF" }), compliantUserPool({ mfa: "OPTIONAL" })],
    failReason: /has MFA (OFF|OPTIONAL); ON required/,
  });
});
