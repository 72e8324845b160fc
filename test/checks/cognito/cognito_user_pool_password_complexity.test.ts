import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_password_complexity.js";
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

describe("cognito_user_pool_password_complexity", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_password_complexity"));
  standardCases(check, {
    pass: [pool(), pool({ passwordPolicy: { requireLowercase: true, requireNumbers: true } })],
    fail: [
      pool({ passwordPolicy: { requireUppercase: true, requireLowercase: true, requireNumbers: false } }),
    ],
    failReason: /does not require digits/,
  });
});
