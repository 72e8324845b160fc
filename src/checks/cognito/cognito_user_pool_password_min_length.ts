import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { plural, poolLabel } from "../util.js";

const params = z.strictObject({ minLength: z.number().int().min(6).max(99).default(12) });

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_password_min_length",
  title: "User pool passwords have a minimum length",
  service: "cognito",
  severity: "high",
  resourceType: "cognito_user_pool",
  description: "The user pool's password policy requires at least the configured number of characters.",
  remediation:
    "Set Policies.PasswordPolicy.MinimumLength with UpdateUserPool (console: Sign-in experience > Password policy).",
  paramsSchema: params,
  evaluate(state, { minLength }) {
    const length = state.passwordPolicy?.minimumLength;
    if (length === undefined) {
      return { status: "ERROR", reason: `${poolLabel(state)}: the evidence holds no password policy length` };
    }
    const seen = `${poolLabel(state)} requires ${plural(length, "character")}; ${minLength} required`;
    return { status: length >= minLength ? "PASS" : "FAIL", reason: seen };
  },
};
