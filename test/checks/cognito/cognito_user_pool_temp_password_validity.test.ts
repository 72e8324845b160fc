import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_temp_password_validity.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_temp_password_validity", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_temp_password_validity"));
  standardCases(check, {
    pass: [compliantUserPool(), compliantUserPool({ passwordPolicy: { minimumLength: 12 } })],
    fail: [compliantUserPool({ passwordPolicy: { temporaryPasswordValidityDays: 14 } })],
    failReason: /14 days; at most 7/,
  });
});
