import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { beforeAll, describe, expect, it } from "vitest";
import { collect } from "../../src/collectors/run.js";
import { parseConfig } from "../../src/config/load.js";
import { newSigner, tempStore } from "../evidence/ledger-helpers.js";
import { credentials, endpoint, motoClientConfig } from "./moto.js";

describe("scope.organization (moto Organizations + STS)", () => {
  let members: string[] = [];

  beforeAll(async () => {
    await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    const org = new OrganizationsClient(motoClientConfig());
    await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    for (const name of ["payments-prod", "payments-staging"]) {
      await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    }
    const listed = await org.send(new ListAccountsCommand({}));
    members = (listed.Accounts ?? []).map((a) => a.Id!).sort();
    org.destroy();
  });

  it("discovers the organisation's accounts and collects each through its member role", async () => {
    expect(members.length).toBeGreaterThanOrEqual(3);
    const config = parseConfig(
      {
        aws: { endpoint, maxAttempts: 1 },
        scope: { organization: true, organizationRole: "auditpack-readonly", regions: ["us-east-1"] },
      },
      "test",
    );
    const summary = await collect({
      store: tempStore(),
      signer: newSigner(),
      config,
      credentials,
      collectors: ["logs_log_groups"],
    });
    expect(summary.status, JSON.stringify(summary.results)).toBe("ok");
    expect([...summary.accounts].sort()).toEqual(members);
    expect(summary.callerIdentities.map((i) => i.arn).sort()).toEqual(
      members.map((id) => expect.stringContaining(`${id}:assumed-role/auditpack-readonly/`)),
    );
  });

  it("explicit --accounts win over discovery", async () => {
    const config = parseConfig(
      { aws: { endpoint, maxAttempts: 1 }, scope: { organization: true, regions: ["us-east-1"] } },
      "test",
    );
    const summary = await collect({
      store: tempStore(),
      signer: newSigner(),
      config,
      credentials,
      accounts: ["123456789012"],
      collectors: ["logs_log_groups"],
    });
    expect(summary.accounts).toEqual(["123456789012"]);
  });
});
