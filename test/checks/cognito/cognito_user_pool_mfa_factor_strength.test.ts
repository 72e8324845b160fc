import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_mfa_factor_strength.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_mfa_factor_strength", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_mfa_factor_strength"));
  standardCases(check, {
    pass: [compliantUserPool(), compliantUserPool({ factors: ["SMS", "SOFTWARE_TOKEN"] })],
    fail: [compliantUserPool({ factors: ["SMS"] })],
    failReason: /only SMS/,
  });
  it("is NOT_APPLICABLE while MFA is off", () => {
    expect(check.evaluate(compliantUserPool({ mfa: "OFF" }), {}).status).toBe("NOT_APPLICABLE");
  });
});
