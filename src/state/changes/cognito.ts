import { field, type Json, str } from "../fields.js";
import { clientOf, mfaModeOf, passwordPolicyOf } from "../parse.js";
import type { MfaFactor, UserPoolClientResourceState, UserPoolState } from "../types.js";
import { withKnown, withUnknown } from "../unknown.js";
import type { ActivityEvent, AnyEffect, Effect, EventRule } from "./types.js";

/** Cognito user pools and app clients: the events that change them (requestParameters are camelCase). */
const SOURCE = "cognito-idp.amazonaws.com";
const POOL = "cognito_user_pool";
const CLIENT = "cognito_user_pool_client";
const POOL_SETTINGS = ["passwordPolicy", "mfa", "advancedSecurityMode", "adminCreateUserOnly"] as const;

/** What CreateUserPool / UpdateUserPool parameters say; a setting they leave out is unknown after. */
function poolSettings(params: Json): Partial<UserPoolState> {
  const out: Partial<UserPoolState> = {};
  const policy = passwordPolicyOf(params);
  if (policy) out.passwordPolicy = policy;
  const mfa = mfaModeOf(str(params, "mfaConfiguration"));
  if (mfa) out.mfa = mfa;
  const mode = str(params, "userPoolAddOns", "advancedSecurityMode");
  if (mode) out.advancedSecurityMode = mode;
  const adminOnly = field(params, "adminCreateUserConfig", "allowAdminCreateUserOnly");
  if (typeof adminOnly === "boolean") out.adminCreateUserOnly = adminOnly;
  return out;
}

function setPool(e: ActivityEvent, pool: string | undefined, op: "set" | "create"): Effect<UserPoolState>[] {
  if (!pool) return [];
  const values = poolSettings(e.params);
  const given = Object.keys(values);
  return [
    {
      kind: POOL,
      key: pool,
      op,
      fields: op === "create" ? [...POOL_SETTINGS, "clients", "factors"] : POOL_SETTINGS,
      name: str(e.params, "poolName"),
      apply: (before) => {
        const missing = POOL_SETTINGS.filter((f) => !given.includes(f));
        const after = withKnown({ ...before, ...values }, given);
        if (op === "create") return withKnown(withUnknown({ ...after, clients: [] }, missing), ["clients"]);
        return withUnknown(after, missing);
      },
    },
  ];
}

const clientKey = (pool: string, client: string) => `${pool}/${client}`;

/** The pool's list of clients and the client's own state, after a create or update. */
function setClient(e: ActivityEvent, op: "create" | "set"): AnyEffect[] {
  const pool = str(e.params, "userPoolId");
  const source = op === "create" ? (field(e.response, "userPoolClient") as Json | undefined) : e.params;
  const id = str(source, "clientId") ?? str(e.params, "clientId");
  if (!pool || !id) return [];
  const client = clientOf({ ...e.params, ...(source ?? {}), clientId: id });
  const poolEffect: Effect<UserPoolState> = {
    kind: POOL,
    key: pool,
    op: "set",
    fields: ["clients"],
    apply: (before) => ({
      ...before,
      clients: [...before.clients.filter((c) => c.clientId !== id), client].sort((a, b) =>
        a.clientId.localeCompare(b.clientId),
      ),
    }),
  };
  const clientEffect: Effect<UserPoolClientResourceState> = {
    kind: CLIENT,
    key: clientKey(pool, id),
    op,
    fields: ["client"],
    name: `${client.clientName ?? id} (${id}) of user pool ${pool}`,
    apply: (before) =>
      withKnown({ ...before, userPoolId: pool, userPoolName: before.userPoolName ?? pool, client }, [
        "client",
        "userPoolId",
        "userPoolName",
      ]),
  };
  return [poolEffect, clientEffect];
}

export const COGNITO_RULES: EventRule[] = [
  {
    name: "CreateUserPool",
    source: SOURCE,
    changes: { [POOL]: [...POOL_SETTINGS, "clients", "factors"] },
    effects: (e) => setPool(e, str(e.response, "userPool", "id"), "create"),
  },
  {
    name: "UpdateUserPool",
    source: SOURCE,
    changes: { [POOL]: POOL_SETTINGS },
    effects: (e) => setPool(e, str(e.params, "userPoolId"), "set"),
  },
  {
    name: "DeleteUserPool",
    source: SOURCE,
    changes: { [POOL]: ["*"] },
    effects: (e) => {
      const pool = str(e.params, "userPoolId");
      return pool ? [{ kind: POOL, key: pool, op: "delete", fields: [] }] : [];
    },
  },
  {
    name: "SetUserPoolMfaConfig",
    source: SOURCE,
    changes: { [POOL]: ["mfa", "factors"] },
    effects: (e) => {
      const pool = str(e.params, "userPoolId");
      if (!pool) return [];
      const p = e.params;
      const mfa = mfaModeOf(str(p, "mfaConfiguration"));
      const factors = new Set<MfaFactor>();
      if (field(p, "softwareTokenMfaConfiguration", "enabled") === true) factors.add("SOFTWARE_TOKEN");
      if (p.smsMfaConfiguration) factors.add("SMS");
      if (p.emailMfaConfiguration) factors.add("EMAIL");
      if (p.webAuthnConfiguration) factors.add("WEB_AUTHN");
      const mentionsFactors = [
        "softwareTokenMfaConfiguration",
        "smsMfaConfiguration",
        "emailMfaConfiguration",
      ].some((k) => k in p);
      const effect: Effect<UserPoolState> = {
        kind: POOL,
        key: pool,
        op: "set",
        fields: ["mfa", "factors"],
        apply: (before) => {
          let after: UserPoolState = { ...before };
          if (mfa) after = withKnown({ ...after, mfa }, ["mfa"]);
          else after = withUnknown(after, ["mfa"]);
          if (mentionsFactors) after = withKnown({ ...after, factors: [...factors].sort() }, ["factors"]);
          return after;
        },
      };
      return [effect];
    },
  },
  {
    name: "CreateUserPoolClient",
    source: SOURCE,
    changes: { [POOL]: ["clients"], [CLIENT]: ["client"] },
    effects: (e) => setClient(e, "create"),
  },
  {
    name: "UpdateUserPoolClient",
    source: SOURCE,
    changes: { [POOL]: ["clients"], [CLIENT]: ["client"] },
    effects: (e) => setClient(e, "set"),
  },
  {
    name: "DeleteUserPoolClient",
    source: SOURCE,
    changes: { [POOL]: ["clients"], [CLIENT]: ["*"] },
    effects: (e) => {
      const pool = str(e.params, "userPoolId");
      const id = str(e.params, "clientId");
      if (!pool || !id) return [];
      const poolEffect: Effect<UserPoolState> = {
        kind: POOL,
        key: pool,
        op: "set",
        fields: ["clients"],
        apply: (before) => ({ ...before, clients: before.clients.filter((c) => c.clientId !== id) }),
      };
      return [poolEffect, { kind: CLIENT, key: clientKey(pool, id), op: "delete", fields: [] }];
    },
  },
  {
    // Risk configuration (actions on compromised credentials and risky sign-ins) is part of how
    // threat protection is enforced; its parameters do not say the enforcement mode, so it is unknown after.
    name: "SetRiskConfiguration",
    source: SOURCE,
    changes: { [POOL]: ["advancedSecurityMode"] },
    effects: (e) => {
      const pool = str(e.params, "userPoolId");
      return pool ? [{ kind: POOL, key: pool, op: "set", fields: ["advancedSecurityMode"] }] : [];
    },
  },
];
