import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_password_history.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_password_history", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cognito_user_pool_password_history"));
  standardCases(check, {
    pass: [compliantUserPool()],
    fail: [compliantUserPool({ passwordPolicy: { minimumLength: 12 } })],
    failReason: /remembers 0 previous passwords; 4 required/,
  });
});
