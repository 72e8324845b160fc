import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_admin_only_signup.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_admin_only_signup", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cognito_user_pool_admin_only_signup"));
  standardCases(check, {
    pass: [compliantUserPool()],
    fail: [compliantUserPool({ adminCreateUserOnly: false })],
    failReason: /allows self sign-up/,
  });
  it("only looks at pools matching poolNamePattern", () => {
    const params = check.paramsSchema.parse({ poolNamePattern: "staff-*" });
    expect(check.appliesTo!(compliantUserPool(), params)).toBe(false);
    expect(check.appliesTo!(compliantUserPool({ name: "staff-sso" }), params)).toBe(true);
  });
});
