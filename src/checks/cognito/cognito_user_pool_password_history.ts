import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { plural, poolLabel } from "../util.js";

const params = z.strictObject({ minHistory: z.number().int().min(1).max(24).default(4) });

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_password_history",
  title: "User pool prevents password reuse",
  service: "cognito",
  severity: "medium",
  resourceType: "cognito_user_pool",
  description:
    "The password policy keeps enough previous passwords that a user cannot reuse a recent one. An absent PasswordHistorySize means none are kept.",
  remediation: "Set Policies.PasswordPolicy.PasswordHistorySize (needs the Essentials or Plus feature plan).",
  paramsSchema: params,
  evaluate(state, { minHistory }) {
    if (!state.passwordPolicy)
      return { status: "ERROR", reason: `${poolLabel(state)}: the evidence holds no password policy` };
    const size = state.passwordPolicy.passwordHistorySize ?? 0;
    const reason = `${poolLabel(state)} remembers ${plural(size, "previous password")}; ${minHistory} required`;
    return { status: size >= minHistory ? "PASS" : "FAIL", reason };
  },
};
