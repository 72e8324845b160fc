import { str } from "./fields.js";
import type { PasswordPolicyState } from "./types.js";

/**
 * What AWS applies where a valid answer leaves a field out, written next to the field with the
 * source. Only for snapshots of the API named: a Config item that lacks a field says nothing about
 * it (its adapter keeps the previous value instead).
 */

/**
 * DescribeUserPool (Cognito API reference, UserPoolType.Policies / PasswordPolicyType), applied to
 * a snapshot's password policy. A pool created without `Policies` gets Cognito's default password
 * policy (Cognito Developer Guide, "User pool password requirements"; the CDK's PasswordPolicy
 * documents the same defaults): 8 characters with upper case, lower case, numbers and symbols.
 */
export function describeUserPoolPasswordPolicy(policy: PasswordPolicyState | undefined): PasswordPolicyState {
  if (policy === undefined) {
    return {
      minimumLength: 8,
      requireUppercase: true,
      requireLowercase: true,
      requireNumbers: true,
      requireSymbols: true,
      // PasswordPolicyType.PasswordHistorySize: absent means no history is kept.
      passwordHistorySize: 0,
      // PasswordPolicyType.TemporaryPasswordValidityDays: "Defaults to 7".
      temporaryPasswordValidityDays: 7,
    };
  }
  return {
    ...policy,
    // A policy that is present but omits these: the same documented defaults. The length and the
    // character classes have no documented default inside a given policy: they stay unknown.
    passwordHistorySize: policy.passwordHistorySize ?? 0,
    temporaryPasswordValidityDays: policy.temporaryPasswordValidityDays ?? 7,
  };
}

/**
 * A DescribeUserPool snapshot's fields with the documented defaults for what it leaves out:
 * - Policies.PasswordPolicy: see describeUserPoolPasswordPolicy.
 * - UserPoolAddOns absent: threat protection (AdvancedSecurityMode) was never turned on, i.e. OFF
 *   (UserPoolAddOnsType: "AdvancedSecurityMode ... OFF" is the mode of a pool without the add-on).
 * - AdminCreateUserConfig.AllowAdminCreateUserOnly absent: false, users may sign themselves up
 *   (AdminCreateUserConfigType: "AllowAdminCreateUserOnly ... default false").
 * - MfaConfiguration absent (and no GetUserPoolMfaConfig answer): OFF (UserPoolType.MfaConfiguration
 *   default; CreateUserPool "MfaConfiguration ... Default: OFF").
 */
export function withDescribeUserPoolDefaults<
  F extends {
    passwordPolicy?: PasswordPolicyState;
    advancedSecurityMode?: string;
    adminCreateUserOnly?: boolean;
    mfa?: "ON" | "OFF" | "OPTIONAL";
  },
>(pool: unknown, fields: F): F {
  // A pool entry with no DescribeUserPool answer (only its id) says nothing: unknowable, no defaults.
  if (str(pool, "Name") === undefined && str(pool, "Arn") === undefined) return fields;
  return {
    ...fields,
    passwordPolicy: describeUserPoolPasswordPolicy(fields.passwordPolicy),
    advancedSecurityMode: fields.advancedSecurityMode ?? "OFF",
    adminCreateUserOnly: fields.adminCreateUserOnly ?? false,
    mfa: fields.mfa ?? "OFF",
  };
}
