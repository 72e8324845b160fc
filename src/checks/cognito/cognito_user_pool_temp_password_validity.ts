import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { plural, poolLabel } from "../util.js";

const params = z.strictObject({ maxDays: z.number().int().min(1).max(365).default(7) });

/** Cognito's default when the policy does not set it. */
const COGNITO_DEFAULT_DAYS = 7;

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_temp_password_validity",
  title: "Temporary passwords expire quickly",
  service: "cognito",
  severity: "medium",
  resourceType: "cognito_user_pool",
  description: "Temporary passwords issued by administrators expire within the configured number of days.",
  remediation: "Lower Policies.PasswordPolicy.TemporaryPasswordValidityDays.",
  paramsSchema: params,
  evaluate(state, { maxDays }) {
    if (!state.passwordPolicy)
      return { status: "ERROR", reason: `${poolLabel(state)}: the evidence holds no password policy` };
    const set = state.passwordPolicy.temporaryPasswordValidityDays;
    const days = set ?? COGNITO_DEFAULT_DAYS;
    const reason = `${poolLabel(state)} keeps temporary passwords valid for ${plural(days, "day")}${set === undefined ? " (Cognito default)" : ""}; at most ${maxDays} allowed`;
    return { status: days <= maxDays ? "PASS" : "FAIL", reason };
  },
};
