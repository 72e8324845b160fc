import { UserPoolMfaType } from "@aws-sdk/client-cognito-identity-provider";
import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { poolLabel } from "../util.js";

const params = z.strictObject({});

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_mfa_required",
  title: "User pool requires MFA",
  service: "cognito",
  severity: "critical",
  resourceType: "cognito_user_pool",
  description: "Multi-factor authentication is required (MfaConfiguration ON), not optional or off.",
  remediation:
    "SetUserPoolMfaConfig with MfaConfiguration ON and an app-based factor (TOTP, email or passkey).",
  paramsSchema: params,
  evaluate(state) {
    if (state.mfa === undefined)
      return { status: "ERROR", reason: `${poolLabel(state)}: the evidence holds no MFA setting` };
    return {
      status: state.mfa === UserPoolMfaType.ON ? "PASS" : "FAIL",
      reason: `${poolLabel(state)} has MFA ${state.mfa}${state.mfa === UserPoolMfaType.ON ? "" : "; ON required"}`,
    };
  },
};
