import { ListAccountsCommand } from "@aws-sdk/client-organizations";
import { describe, expect, it } from "vitest";
import {
  discoverAccounts,
  listActiveAccounts,
  ORGANIZATION_IAM_ACTIONS,
} from "../../src/aws/organization.js";
import { iamPolicy } from "../../src/collectors/registry.js";
import { parseConfig } from "../../src/config/load.js";
import { UsageError } from "../../src/errors.js";

/** Answers ListAccounts from fixed pages, following NextToken, and remembers the tokens it got. */
function pagedClient(pages: object[][]) {
  const tokens: (string | undefined)[] = [];
  return {
    tokens,
    async send(command: unknown, _options?: unknown) {
      if (!(command instanceof ListAccountsCommand)) throw new Error("unexpected command");
      const token = command.input.NextToken;
      tokens.push(token);
      const index = token ? Number(token) : 0;
      return {
        Accounts: pages[index],
        ...(index + 1 < pages.length ? { NextToken: String(index + 1) } : {}),
        $metadata: {},
      };
    },
  } as never as { tokens: (string | undefined)[]; send: never };
}

const acct = (id: string, state: string, extra: object = {}) => ({
  Id: id,
  Name: `n${id.slice(-2)}`,
  State: state,
  ...extra,
});

describe("organisation accounts", () => {
  it("reads every page and keeps only ACTIVE accounts, sorted", async () => {
    const client = pagedClient([
      [acct("333333333333", "ACTIVE"), acct("222222222222", "SUSPENDED")],
      [acct("111111111111", "ACTIVE"), acct("444444444444", "PENDING_CLOSURE")],
      [{ Id: "555555555555", Status: "ACTIVE" }, acct("666666666666", "CLOSED")],
    ]);
    const accounts = await listActiveAccounts(client);
    expect(accounts.map((a) => a.id)).toEqual(["111111111111", "333333333333", "555555555555"]);
    expect(client.tokens).toEqual([undefined, "1", "2"]);
  });

  it("merges with scope.accounts: configured entries keep their access, the rest get the member role", async () => {
    const config = parseConfig(
      {
        scope: {
          organization: true,
          accounts: [
            { id: "111111111111", profile: "mgmt" },
            { id: "999999999999", roleArn: "arn:aws:iam::999999999999:role/outside" },
          ],
        },
      },
      "x",
    );
    const client = pagedClient([[acct("111111111111", "ACTIVE"), acct("333333333333", "ACTIVE")]]);
    const accounts = await discoverAccounts(config, { client, memberRoleName: "AuditpackReadOnly" });
    expect(accounts).toEqual([
      { id: "111111111111", profile: "mgmt" },
      { id: "333333333333", name: "n33", roleArn: "arn:aws:iam::333333333333:role/AuditpackReadOnly" },
      { id: "999999999999", roleArn: "arn:aws:iam::999999999999:role/outside" },
    ]);
  });

  it("explains AccessDenied as a usage problem with a way out", async () => {
    const denied = {
      async send() {
        throw Object.assign(new Error("not allowed"), { name: "AccessDeniedException" });
      },
    } as never;
    const error = await discoverAccounts(parseConfig({ scope: { organization: true } }, "x"), {
      client: denied,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain("AccessDeniedException: not allowed");
    expect(error.hint).toContain("organizations:ListAccounts");
  });

  it("is a central-account permission, never part of the member policy", () => {
    const memberActions = iamPolicy().Statement.flatMap((s) => s.Action);
    for (const action of ORGANIZATION_IAM_ACTIONS) expect(memberActions).not.toContain(action);
  });
});
