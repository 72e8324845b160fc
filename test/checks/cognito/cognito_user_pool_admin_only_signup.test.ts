import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_admin_only_signup.js";
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

describe("cognito_user_pool_admin_only_signup", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cognito_user_pool_admin_only_signup"));
  standardCases(check, {
    pass: [pool()],
    fail: [pool({ adminCreateUserOnly: false })],
    failReason: /allows self sign-up/,
  });
  it("only looks at pools matching poolNamePattern", () => {
    const params = check.paramsSchema.parse({ poolNamePattern: "staff-*" });
    expect(check.appliesTo!(pool(), params)).toBe(false);
    expect(check.appliesTo!(pool({ name: "staff-sso" }), params)).toBe(true);
  });
});
