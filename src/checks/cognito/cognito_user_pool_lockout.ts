import { AdvancedSecurityModeType } from "@aws-sdk/client-cognito-identity-provider";
import { z } from "zod";
import type { UserPoolState } from "../../state/types.js";
import type { Check } from "../types.js";
import { poolLabel } from "../util.js";

const params = z.strictObject({ minLockoutMinutes: z.number().int().min(1).max(1440).default(30) });

export const check: Check<UserPoolState, z.infer<typeof params>> = {
  id: "cognito_user_pool_lockout",
  title: "Repeated failed sign-ins lock the account long enough",
  service: "cognito",
  severity: "high",
  resourceType: "cognito_user_pool",
  description:
    "Cognito locks a user after five failed sign-ins, but only for a short, growing delay (about 15 minutes at most), less than the lockout this framework asks. Enforced threat protection blocks credential-stuffing sign-ins instead; otherwise a documented compensating control (recorded as a waiver) is needed.",
  remediation:
    "Enforce threat protection (AdvancedSecurityMode ENFORCED) or add a lockout in a pre-authentication Lambda trigger and record it as a waiver.",
  paramsSchema: params,
  evaluate(state, { minLockoutMinutes }) {
    if (state.advancedSecurityMode === AdvancedSecurityModeType.ENFORCED) {
      return {
        status: "PASS",
        reason: `${poolLabel(state)} has threat protection ENFORCED, which blocks repeated failed sign-ins`,
      };
    }
    return {
      status: "FAIL",
      reason: `${poolLabel(state)} relies on Cognito's built-in lockout (5 failures, under ${minLockoutMinutes} minutes) with threat protection ${state.advancedSecurityMode ?? "OFF"}; a ${minLockoutMinutes}-minute lockout needs enforced threat protection or a compensating control`,
    };
  },
};
