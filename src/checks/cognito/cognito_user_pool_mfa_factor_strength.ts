import { UserPoolMfaType } from "@aws-sdk/client-cognito-identity-provider";
import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { poolLabel } from "../util.js";

const params = z.strictObject({});

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_mfa_factor_strength",
  title: "User pool MFA does not rely on SMS alone",
  service: "cognito",
  severity: "medium",
  resourceType: "cognito_user_pool",
  description:
    "SMS codes can be intercepted (SIM swap), so a pool whose only factor is SMS is weaker: an authenticator app (TOTP), email OTP or passkey must be available.",
  remediation:
    "Enable SoftwareTokenMfaConfiguration (TOTP) or another non-SMS factor with SetUserPoolMfaConfig.",
  paramsSchema: params,
  evaluate(state) {
    if (state.mfa === UserPoolMfaType.OFF) {
      return {
        status: "NOT_APPLICABLE",
        reason: `${poolLabel(state)} has MFA OFF, so no factor is in use (see cognito_user_pool_mfa_required)`,
      };
    }
    if (state.factors === undefined)
      return { status: "ERROR", reason: `${poolLabel(state)}: the evidence holds no MFA factors` };
    const listed = state.factors.length ? state.factors.join(", ") : "none";
    if (state.factors.length === 0)
      return { status: "FAIL", reason: `${poolLabel(state)} has MFA ${state.mfa} but no factor enabled` };
    if (state.factors.every((f) => f === "SMS")) {
      return {
        status: "FAIL",
        reason: `${poolLabel(state)} offers only SMS as MFA factor (weaker); add TOTP, email or passkey`,
      };
    }
    return { status: "PASS", reason: `${poolLabel(state)} offers MFA factors ${listed}` };
  },
};
