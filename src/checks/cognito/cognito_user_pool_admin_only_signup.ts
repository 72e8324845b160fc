import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { globToRegExp, poolLabel } from "../util.js";

const params = z.strictObject({
  /** Glob over pool names that are workforce pools (e.g. "staff-*"); all pools when absent. */
  poolNamePattern: z.string().min(1).optional(),
});

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_admin_only_signup",
  title: "Workforce user pools allow only administrator-created users",
  service: "cognito",
  severity: "high",
  resourceType: "cognito_user_pool",
  description:
    "Pools for staff accounts must not allow self sign-up: every user is created by an administrator (AllowAdminCreateUserOnly).",
  remediation: "Set AdminCreateUserConfig.AllowAdminCreateUserOnly to true.",
  paramsSchema: params,
  appliesTo: (state, { poolNamePattern }) =>
    !poolNamePattern || globToRegExp(poolNamePattern).test(state.name),
  whenNone: ({ poolNamePattern }) => ({
    status: "NOT_APPLICABLE",
    reason: poolNamePattern
      ? `no user pool matches the workforce pattern "${poolNamePattern}"`
      : "no Cognito user pools here",
  }),
  evaluate(state) {
    const only = state.adminCreateUserOnly === true;
    return {
      status: only ? "PASS" : "FAIL",
      reason: only
        ? `${poolLabel(state)} allows only administrators to create users`
        : `${poolLabel(state)} allows self sign-up (AllowAdminCreateUserOnly ${state.adminCreateUserOnly === undefined ? "not set" : "false"})`,
    };
  },
};
