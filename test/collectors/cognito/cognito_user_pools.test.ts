import { describe, expect, it } from "vitest";
import type { ServiceFixture } from "../../../src/aws/replay.js";
import { collector } from "../../../src/collectors/cognito/cognito_user_pools.js";
import { runCollector } from "../../helpers/run-collector.js";

const poolId = (n: string) => `us-east-1_${n}`;
const pool = (n: string, extra: Record<string, unknown> = {}) => ({
  Id: poolId(n),
  Name: `customers-${n}`,
  Arn: `arn:aws:cognito-idp:us-east-1:111122223333:userpool/${poolId(n)}`,
  Policies: {
    PasswordPolicy: {
      MinimumLength: 12,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
      PasswordHistorySize: 4,
    },
  },
  MfaConfiguration: "ON",
  LastModifiedDate: "2026-08-01T10:00:00.000Z",
  CreationDate: "2025-01-01T10:00:00.000Z",
  ...extra,
});
const mfa = { SoftwareTokenMfaConfiguration: { Enabled: true }, MfaConfiguration: "ON" };
const appClient = (poolName: string, id: string) => ({
  UserPoolId: poolId(poolName),
  ClientName: `web-${id}`,
  ClientId: id,
  ClientSecret: `secret-of-${id}`,
  RefreshTokenValidity: 30,
  AccessTokenValidity: 60,
  IdTokenValidity: 60,
  TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
  LastModifiedDate: "2026-08-01T10:00:00.000Z",
  CreationDate: "2025-01-01T10:00:00.000Z",
});
const risk = {
  UserPoolId: poolId("A"),
  CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "BLOCK" } },
  LastModifiedDate: "2026-08-01T10:00:00.000Z",
};

const enforced = pool("A", { UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" } });
const plus = pool("B", {
  UserPoolAddOns: { AdvancedSecurityMode: "OFF" },
  UserPoolTier: "PLUS",
  MfaConfiguration: "OFF",
});
const essentials = pool("C", { UserPoolAddOns: { AdvancedSecurityMode: "OFF" }, UserPoolTier: "ESSENTIALS" });
const summary = (p: { Id: string; Name: string }) => ({ Id: p.Id, Name: p.Name });

function demo(): ServiceFixture {
  return {
    ListUserPools: [
      { params: { MaxResults: 60 }, response: { UserPools: [summary(enforced), summary(plus)] } },
    ],
    DescribeUserPool: [
      { params: { UserPoolId: enforced.Id }, response: { UserPool: enforced } },
      { params: { UserPoolId: plus.Id }, response: { UserPool: plus } },
      { params: { UserPoolId: essentials.Id }, response: { UserPool: essentials } },
    ],
    GetUserPoolMfaConfig: [
      { params: { UserPoolId: plus.Id }, response: { MfaConfiguration: "OFF" } },
      { response: mfa },
    ],
    ListUserPoolClients: [
      {
        params: { UserPoolId: enforced.Id },
        response: { UserPoolClients: [{ ClientId: "c1", UserPoolId: enforced.Id, ClientName: "web-c1" }] },
      },
      { response: { UserPoolClients: [] } },
    ],
    DescribeUserPoolClient: [
      { params: { ClientId: "c1" }, response: { UserPoolClient: appClient("A", "c1") } },
    ],
    DescribeRiskConfiguration: [
      { params: { UserPoolId: enforced.Id }, response: { RiskConfiguration: risk } },
      { params: { UserPoolId: plus.Id }, response: { RiskConfiguration: { UserPoolId: plus.Id } } },
    ],
  };
}

describe("cognito_user_pools", () => {
  it("emits each pool with settings, MFA config, clients and risk configuration where threat protection is on", async () => {
    const run = await runCollector(collector, { fixture: demo() });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([
      {
        userPools: [
          { userPool: enforced, mfaConfig: mfa, clients: [appClient("A", "c1")], riskConfiguration: risk },
          {
            userPool: plus,
            mfaConfig: { MfaConfiguration: "OFF" },
            clients: [],
            riskConfiguration: { UserPoolId: plus.Id },
          },
        ],
      },
    ]);
    // Calls are listed pool by pool although pools are read concurrently.
    expect(run.records[0]!.calls.map((c) => [c.operation, c.params?.UserPoolId])).toEqual([
      ["ListUserPools", undefined],
      ["DescribeUserPool", enforced.Id],
      ["GetUserPoolMfaConfig", enforced.Id],
      ["ListUserPoolClients", enforced.Id],
      ["DescribeUserPoolClient", enforced.Id],
      ["DescribeRiskConfiguration", enforced.Id],
      ["DescribeUserPool", plus.Id],
      ["GetUserPoolMfaConfig", plus.Id],
      ["ListUserPoolClients", plus.Id],
      ["DescribeRiskConfiguration", plus.Id],
    ]);
    // Call parameters never carry the client secret (the payload's copy is the runner's to redact).
    expect(JSON.stringify(run.records[0]!.calls)).not.toContain("secret-of-");
  });

  it("does not ask for risk configuration when threat protection is off", async () => {
    const fixture = demo();
    fixture.ListUserPools = [{ response: { UserPools: [summary(essentials)] } }];
    delete fixture.DescribeRiskConfiguration;
    const run = await runCollector(collector, { fixture });
    expect(run.error).toBeUndefined();
    const [entry] = (run.records[0]!.payload as { userPools: Record<string, unknown>[] }).userPools;
    expect(entry).toEqual({ userPool: essentials, mfaConfig: mfa, clients: [] });
    expect(run.calls.some((c) => c.operation === "DescribeRiskConfiguration")).toBe(false);
  });

  it("follows three pages of pools and three pages of app clients", async () => {
    const fixture = demo();
    fixture.ListUserPools = [
      { params: { NextToken: null }, response: { UserPools: [summary(enforced)], NextToken: "p2" } },
      { params: { NextToken: "p2" }, response: { UserPools: [summary(plus)], NextToken: "p3" } },
      { params: { NextToken: "p3" }, response: { UserPools: [summary(essentials)] } },
    ];
    const ids = ["c1", "c2", "c3"];
    fixture.ListUserPoolClients = [
      ...ids.map((id, i) => ({
        params: { UserPoolId: enforced.Id, NextToken: i === 0 ? null : `n${i}` },
        response: {
          UserPoolClients: [{ ClientId: id, UserPoolId: enforced.Id }],
          ...(i < 2 ? { NextToken: `n${i + 1}` } : {}),
        },
      })),
      { response: { UserPoolClients: [] } },
    ];
    fixture.DescribeUserPoolClient = ids.map((id) => ({
      params: { ClientId: id },
      response: { UserPoolClient: appClient("A", id) },
    }));
    const run = await runCollector(collector, { fixture });
    expect(run.error).toBeUndefined();
    const pools = (
      run.records[0]!.payload as {
        userPools: { userPool: { Id: string }; clients: { ClientId: string }[] }[];
      }
    ).userPools;
    expect(pools.map((p) => p.userPool.Id)).toEqual([enforced.Id, plus.Id, essentials.Id]);
    expect(pools[0]!.clients.map((c) => c.ClientId)).toEqual(ids);
    expect(run.progress.at(-1)).toEqual({ done: 3, total: 3 });
  });

  it("emits an empty pool list for an account without user pools", async () => {
    const run = await runCollector(collector, {
      fixture: { ListUserPools: [{ response: { UserPools: [] } }] },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([{ userPools: [] }]);
  });

  it("throws AccessDeniedException when MFA config is denied and emits nothing", async () => {
    const fixture = demo();
    fixture.GetUserPoolMfaConfig = [{ error: { code: "AccessDeniedException", message: "denied" } }];
    const run = await runCollector(collector, { fixture });
    expect(run.error).toMatchObject({ name: "AccessDeniedException", operation: "GetUserPoolMfaConfig" });
    expect(run.records).toEqual([]);
  });

  it("retries throttling (Cognito's TooManyRequestsException too) and then succeeds", async () => {
    const fixture = demo();
    fixture.ListUserPools = [
      { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
      ...fixture.ListUserPools!,
    ];
    fixture.DescribeUserPool = [
      { error: { code: "TooManyRequestsException", message: "Too many requests" }, times: 1 },
      ...fixture.DescribeUserPool!,
    ];
    const run = await runCollector(collector, { fixture, maxAttempts: 3 });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.operation === "ListUserPools")).toHaveLength(3);
    expect((run.records[0]!.payload as { userPools: unknown[] }).userPools).toHaveLength(2);
  });
});
