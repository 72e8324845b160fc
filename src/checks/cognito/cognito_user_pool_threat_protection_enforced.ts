import { AdvancedSecurityModeType } from "@aws-sdk/client-cognito-identity-provider";
import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { poolLabel } from "../util.js";

const params = z.strictObject({});

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_threat_protection_enforced",
  title: "User pool threat protection is enforced",
  service: "cognito",
  severity: "high",
  resourceType: "cognito_user_pool",
  description:
    "Threat protection (advanced security) in full-function mode blocks risky and compromised-credential sign-ins; audit-only mode only logs them.",
  remediation: "Set UserPoolAddOns.AdvancedSecurityMode to ENFORCED (Plus feature plan).",
  paramsSchema: params,
  evaluate(state) {
    const mode = state.advancedSecurityMode ?? AdvancedSecurityModeType.OFF;
    const shown = state.advancedSecurityMode === undefined ? "OFF (not set)" : mode;
    return {
      status: mode === AdvancedSecurityModeType.ENFORCED ? "PASS" : "FAIL",
      reason: `${poolLabel(state)} has threat protection ${shown}${mode === AdvancedSecurityModeType.ENFORCED ? "" : "; ENFORCED required"}`,
    };
  },
};
