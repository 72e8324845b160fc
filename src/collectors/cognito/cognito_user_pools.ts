import {
  CognitoIdentityProviderClient,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  paginateListUserPoolClients,
  paginateListUserPools,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { mapBounded } from "../../concurrency.js";
import { defineCollector } from "../define.js";
import { DAILY } from "../types.js";
import { CallLog, toEvidence } from "../util.js";
import { state } from "./cognito_user_pools.state.js";

/** Pools described at once: enough to hide latency, few enough to stay under Cognito's read quotas. */
const POOL_CONCURRENCY = 4;

/** Threat protection (formerly advanced security) is on in audit or enforced mode, or with the Plus plan. */
export function threatProtectionOn(pool: UserPoolType): boolean {
  const mode = pool.UserPoolAddOns?.AdvancedSecurityMode;
  return mode === "AUDIT" || mode === "ENFORCED" || pool.UserPoolTier === "PLUS";
}

/**
 * Cognito user pools: password policy and settings, MFA configuration (read with GetUserPoolMfaConfig,
 * which is authoritative), app clients (token validity) and threat protection risk configuration.
 * Client secrets are in the SDK output; the runner redacts them before anything is stored or logged.
 */
export const collector = defineCollector({
  id: "cognito_user_pools",
  service: "cognito-idp",
  title: "Cognito user pools, MFA, app clients and threat protection",
  operations: [
    "ListUserPools",
    "DescribeUserPool",
    "GetUserPoolMfaConfig",
    "ListUserPoolClients",
    "DescribeUserPoolClient",
    "DescribeRiskConfiguration",
  ],
  cadence: "snapshot",
  schedule: DAILY,
  resourceTypes: ["cognito_user_pool", "cognito_user_pool_client"],
  state,
  async collect(ctx) {
    const client = ctx.client(CognitoIdentityProviderClient);
    const log = new CallLog("cognito-idp", ctx.signal);
    const listed = await log.all(
      "ListUserPools",
      { MaxResults: 60 },
      (input, o) => paginateListUserPools({ client }, input, o),
      (page) => page.UserPools,
    );

    let done = 0;
    const described = await mapBounded(listed, POOL_CONCURRENCY, async (summary) => {
      const UserPoolId = summary.Id!;
      // A log per pool keeps `calls` in pool order although pools are read concurrently.
      const poolLog = new CallLog("cognito-idp", ctx.signal);
      const { UserPool } = await poolLog.send(client, new DescribeUserPoolCommand({ UserPoolId }));
      const mfaConfig = await poolLog.send(client, new GetUserPoolMfaConfigCommand({ UserPoolId }));
      const clientIds = await poolLog.all(
        "ListUserPoolClients",
        { UserPoolId, MaxResults: 60 },
        (input, o) => paginateListUserPoolClients({ client }, input, o),
        (page) => page.UserPoolClients,
      );
      const clients = [];
      for (const { ClientId } of clientIds) {
        const { UserPoolClient } = await poolLog.send(
          client,
          new DescribeUserPoolClientCommand({ UserPoolId, ClientId }),
        );
        if (UserPoolClient) clients.push(UserPoolClient);
      }
      const entry: Record<string, unknown> = {
        userPool: toEvidence(UserPool ?? { Id: UserPoolId }),
        mfaConfig: toEvidence(mfaConfig),
        clients: toEvidence(clients),
      };
      if (UserPool && threatProtectionOn(UserPool)) {
        const risk = await poolLog.send(client, new DescribeRiskConfigurationCommand({ UserPoolId }));
        entry.riskConfiguration = toEvidence(risk.RiskConfiguration ?? {});
      }
      ctx.progress(++done, listed.length);
      return { entry, calls: poolLog.calls };
    });

    await ctx.emit({
      payload: { userPools: described.map((d) => d.entry) },
      calls: [...log.calls, ...described.flatMap((d) => d.calls)],
    });
  },
});
