import { z } from "zod";
import type { UserPoolClientResourceState } from "../../state/types.js";
import type { Check } from "../types.js";

const params = z.strictObject({ maxIdleMinutes: z.number().int().min(5).max(1440).default(15) });

export const check: Check<UserPoolClientResourceState, z.infer<typeof params>> = {
  id: "cognito_user_pool_client_token_lifetime",
  title: "App client session tokens expire within the idle limit",
  service: "cognito",
  severity: "medium",
  resourceType: "cognito_user_pool_client",
  description:
    "Access and ID tokens are valid no longer than the idle limit, so an idle session must re-authenticate (or refresh) within it.",
  remediation:
    "Lower AccessTokenValidity and IdTokenValidity (TokenValidityUnits minutes) with UpdateUserPoolClient.",
  paramsSchema: params,
  evaluate(state, { maxIdleMinutes }) {
    const access = state.client.accessTokenValidityMinutes ?? 60;
    const id = state.client.idTokenValidityMinutes ?? 60;
    const seen = `app client ${state.name}: access tokens valid ${access} minutes, ID tokens ${id} minutes; at most ${maxIdleMinutes} allowed`;
    return { status: access <= maxIdleMinutes && id <= maxIdleMinutes ? "PASS" : "FAIL", reason: seen };
  },
};
