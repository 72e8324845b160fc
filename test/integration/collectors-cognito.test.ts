import { randomBytes } from "node:crypto";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { collector } from "../../src/collectors/cognito/cognito_user_pools.js";
import { runCollector } from "../helpers/run-collector.js";
import { endpoint, motoClientConfig, region } from "./moto.js";

const cognito = new CognitoIdentityProviderClient(motoClientConfig());
afterAll(() => cognito.destroy());

// Pools of other runs against the same moto_server are told apart by this prefix.
const prefix = `ap-${randomBytes(4).toString("hex")}`;

interface PoolEntry {
  userPool: { Id: string; Name: string; Policies?: { PasswordPolicy?: unknown } };
  mfaConfig: Record<string, unknown>;
  clients: Record<string, unknown>[];
  riskConfiguration?: unknown;
}

describe("cognito_user_pools against moto_server", () => {
  it("collects the password policy, MFA configuration and app clients that were set", async () => {
    const strictPolicy = {
      MinimumLength: 14,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 1,
    };
    const weakPolicy = {
      MinimumLength: 6,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: false,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 7,
    };
    const strict = await cognito.send(
      new CreateUserPoolCommand({ PoolName: `${prefix}-strict`, Policies: { PasswordPolicy: strictPolicy } }),
    );
    const weak = await cognito.send(
      new CreateUserPoolCommand({ PoolName: `${prefix}-weak`, Policies: { PasswordPolicy: weakPolicy } }),
    );
    const strictId = strict.UserPool!.Id!;
    const weakId = weak.UserPool!.Id!;
    await cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: strictId,
        SoftwareTokenMfaConfiguration: { Enabled: true },
        MfaConfiguration: "ON",
      }),
    );
    const web = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: strictId,
        ClientName: "web",
        GenerateSecret: true,
        AccessTokenValidity: 15,
        IdTokenValidity: 15,
        RefreshTokenValidity: 1,
        TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
      }),
    );
    const mobile = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: strictId,
        ClientName: "mobile",
        RefreshTokenValidity: 30,
      }),
    );

    const run = await runCollector(collector, { endpoint, region });
    expect(run.error).toBeUndefined();
    expect(run.records).toHaveLength(1);
    const ours = (run.records[0]!.payload as { userPools: PoolEntry[] }).userPools
      .filter((p) => p.userPool.Name.startsWith(prefix))
      .sort((a, b) => a.userPool.Name.localeCompare(b.userPool.Name));

    expect(ours.map((p) => p.userPool.Id)).toEqual([strictId, weakId]);
    const [strictEntry, weakEntry] = ours;
    expect(strictEntry!.userPool.Policies!.PasswordPolicy).toMatchObject(strictPolicy);
    expect(weakEntry!.userPool.Policies!.PasswordPolicy).toMatchObject(weakPolicy);
    expect(strictEntry!.mfaConfig).toMatchObject({
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    expect(weakEntry!.mfaConfig.MfaConfiguration).toBe("OFF");

    const clients = [...strictEntry!.clients].sort((a, b) =>
      String(a.ClientName).localeCompare(String(b.ClientName)),
    );
    expect(clients.map((c) => c.ClientId)).toEqual([
      mobile.UserPoolClient!.ClientId,
      web.UserPoolClient!.ClientId,
    ]);
    expect(clients[1]).toMatchObject({
      ClientName: "web",
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 1,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
    });
    expect(clients[0]).toMatchObject({ ClientName: "mobile", RefreshTokenValidity: 30 });
    expect(weakEntry!.clients).toEqual([]);
    // Neither pool has threat protection, so no risk configuration was asked for.
    expect(ours.every((p) => p.riskConfiguration === undefined)).toBe(true);
    expect(run.records[0]!.calls.every((c) => c.service === "cognito-idp" && c.requestId)).toBe(true);
  });
});
