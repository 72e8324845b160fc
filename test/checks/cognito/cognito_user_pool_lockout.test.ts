import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_lockout.js";
import { compliantUserPool, standardCases } from "../harness.js";

describe("cognito_user_pool_lockout", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cognito_user_pool_lockout"));
  standardCases(check, {
    pass: [compliantUserPool()],
    fail: [compliantUserPool({ advancedSecurityMode: "AUDIT" })],
    failReason: /built-in lockout/,
  });
});
