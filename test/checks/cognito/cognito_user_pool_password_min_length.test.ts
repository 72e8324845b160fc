import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_password_min_length.js";
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

describe("cognito_user_pool_password_min_length", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_password_min_length"));
  standardCases(check, {
    params: { minLength: 12 },
    pass: [pool()],
    fail: [pool({ passwordPolicy: { minimumLength: 8 } })],
    failReason: /payments-customers \(eu-west-1_AbC\) requires 8 characters; 12 required/,
  });
  it("is ERROR when the policy length is unknown", () => {
    expect(check.evaluate(pool({ passwordPolicy: undefined }), { minLength: 12 }).status).toBe("ERROR");
  });
});
