import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { poolLabel } from "../util.js";

const params = z.strictObject({});

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_password_complexity",
  title: "User pool passwords need letters and digits",
  service: "cognito",
  severity: "medium",
  resourceType: "cognito_user_pool",
  description: "The password policy requires digits and at least one kind of letter (upper or lower case).",
  remediation:
    "Enable RequireNumbers and RequireUppercase or RequireLowercase in the user pool's password policy.",
  paramsSchema: params,
  evaluate(state) {
    const p = state.passwordPolicy;
    if (!p) return { status: "ERROR", reason: `${poolLabel(state)}: the evidence holds no password policy` };
    const letters = p.requireUppercase === true || p.requireLowercase === true;
    const digits = p.requireNumbers === true;
    const seen = `upper case ${p.requireUppercase ? "required" : "not required"}, lower case ${p.requireLowercase ? "required" : "not required"}, digits ${digits ? "required" : "not required"}`;
    if (letters && digits) return { status: "PASS", reason: `${poolLabel(state)}: ${seen}` };
    const missing = [letters ? undefined : "letters", digits ? undefined : "digits"]
      .filter(Boolean)
      .join(" and ");
    return { status: "FAIL", reason: `${poolLabel(state)} does not require ${missing} (${seen})` };
  },
};
