import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_password_complexity.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_password_complexity", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_password_complexity"));
  standardCases(check, {
    pass: [
      compliantUserPool(),
      compliantUserPool({ passwordPolicy: { requireLowercase: true, requireNumbers: true } }),
    ],
    fail: [
      compliantUserPool({
        passwordPolicy: { requireUppercase: true, requireLowercase: true, requireNumbers: false },
      }),
    ],
    failReason: /does not require digits/,
  });
});
