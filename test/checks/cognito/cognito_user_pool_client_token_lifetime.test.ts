import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cognito/cognito_user_pool_client_token_lifetime.js";
import type { UserPoolClientResourceState } from "../../../src/state/types.js";
import { base, standardCases } from "../harness.js";

const client = (access: number, id: number): UserPoolClientResourceState => ({
  ...base("eu-west-1_AbC/c1", "web (c1) of user pool payments-customers"),
  userPoolId: "eu-west-1_AbC",
  userPoolName: "payments-customers",
  client: {
    clientId: "c1",
    clientName: "web",
    accessTokenValidityMinutes: access,
    idTokenValidityMinutes: id,
  },
});

describe("cognito_user_pool_client_token_lifetime", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cognito_user_pool_client_token_lifetime"));
  standardCases(check, {
    pass: [client(15, 10)],
    fail: [client(60, 15)],
    failReason: /access tokens valid 60 minutes/,
  });
});
