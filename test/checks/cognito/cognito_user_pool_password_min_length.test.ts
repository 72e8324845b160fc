import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_password_min_length.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_password_min_length", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_password_min_length"));
  standardCases(check, {
    params: { minLength: 12 },
    pass: [compliantUserPool()],
    fail: [compliantUserPool({ passwordPolicy: { minimumLength: 8 } })],
    failReason: /payments-customers \(eu-west-1_AbC\) requires 8 characters; 12 required/,
  });
  it("is ERROR when the policy length is unknown", () => {
    expect(check.evaluate(compliantUserPool({ passwordPolicy: undefined }), { minLength: 12 }).status).toBe(
      "ERROR",
    );
  });
});
