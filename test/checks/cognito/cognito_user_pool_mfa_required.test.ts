import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_mfa_required.js";
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

describe("cognito_user_pool_mfa_required", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cognito_user_pool_mfa_required"));
  standardCases(check, {
    pass: [pool()],
    fail: [pool({ mfa: "OFF" }), pool({ mfa: "OPTIONAL" })],
    failReason: /has MFA (OFF|OPTIONAL); ON required/,
  });
});
