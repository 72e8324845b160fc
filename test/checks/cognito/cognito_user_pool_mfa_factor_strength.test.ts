import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_mfa_factor_strength.js";
import type { UserPoolState } from "../../../src/state/types.js";
import { base, standardCases } from "../harness.js";

const pool = (over: Partial<UserPoolState> = {}): UserPoolState => ({
  ...base("eu-west-1_AbC", "payments-customers"),
  passwordPolicy: {
    minimumLength: 12,
    requireUppercase: true,
    requireLowercase: true,
    requireNumbers: true,
    passwordHistorySize: 4,
    temporaryPasswordValidityDays: 7,
  },
  mfa: "ON",
  factors: ["SOFTWARE_TOKEN"],
  advancedSecurityMode: "ENFORCED",
  adminCreateUserOnly: true,
  clients: [],
  ...over,
});

describe("cognito_user_pool_mfa_factor_strength", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_mfa_factor_strength"));
  standardCases(check, {
    pass: [pool(), pool({ factors: ["SMS", "SOFTWARE_TOKEN"] })],
    fail: [pool({ factors: ["SMS"] })],
    failReason: /only SMS/,
  });
  it("is NOT_APPLICABLE while MFA is off", () => {
    expect(check.evaluate(pool({ mfa: "OFF" }), {}).status).toBe("NOT_APPLICABLE");
  });
});
