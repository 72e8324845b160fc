/** Every check, by id. Each lives in its own file: src/checks/<service>/<id>.ts. */
import { UsageError } from "../errors.js";
import { didYouMean } from "../suggest.js";
import { check as cloudtrail_logging_continuous } from "./cloudtrail/cloudtrail_logging_continuous.js";
import { check as cloudtrail_multi_region_trail_logging } from "./cloudtrail/cloudtrail_multi_region_trail_logging.js";
import { check as cloudtrail_trail_cloudwatch_logs_delivery } from "./cloudtrail/cloudtrail_trail_cloudwatch_logs_delivery.js";
import { check as cloudtrail_trail_kms_encrypted } from "./cloudtrail/cloudtrail_trail_kms_encrypted.js";
import { check as cloudtrail_trail_log_file_validation_enabled } from "./cloudtrail/cloudtrail_trail_log_file_validation_enabled.js";
import { check as cloudtrail_trail_s3_delivery_current } from "./cloudtrail/cloudtrail_trail_s3_delivery_current.js";
import { check as cloudwatch_security_event_alarms } from "./cloudwatch/cloudwatch_security_event_alarms.js";
import { check as cognito_user_pool_admin_only_signup } from "./cognito/cognito_user_pool_admin_only_signup.js";
import { check as cognito_user_pool_client_token_lifetime } from "./cognito/cognito_user_pool_client_token_lifetime.js";
import { check as cognito_user_pool_lockout } from "./cognito/cognito_user_pool_lockout.js";
import { check as cognito_user_pool_mfa_factor_strength } from "./cognito/cognito_user_pool_mfa_factor_strength.js";
import { check as cognito_user_pool_mfa_required } from "./cognito/cognito_user_pool_mfa_required.js";
import { check as cognito_user_pool_password_complexity } from "./cognito/cognito_user_pool_password_complexity.js";
import { check as cognito_user_pool_password_history } from "./cognito/cognito_user_pool_password_history.js";
import { check as cognito_user_pool_password_min_length } from "./cognito/cognito_user_pool_password_min_length.js";
import { check as cognito_user_pool_temp_password_validity } from "./cognito/cognito_user_pool_temp_password_validity.js";
import { check as cognito_user_pool_threat_protection_enforced } from "./cognito/cognito_user_pool_threat_protection_enforced.js";
import { check as config_delivery_channel_healthy } from "./config/config_delivery_channel_healthy.js";
import { check as config_managed_rule_compliant } from "./config/config_managed_rule_compliant.js";
import { check as config_recorder_all_resources } from "./config/config_recorder_all_resources.js";
import { check as logs_log_group_kms_encrypted } from "./logs/logs_log_group_kms_encrypted.js";
import { check as logs_log_group_retention_min } from "./logs/logs_log_group_retention_min.js";
import type { AnyCheck } from "./types.js";

export const checks: readonly AnyCheck[] = [
  cloudtrail_logging_continuous,
  cloudtrail_multi_region_trail_logging,
  cloudtrail_trail_cloudwatch_logs_delivery,
  cloudtrail_trail_kms_encrypted,
  cloudtrail_trail_log_file_validation_enabled,
  cloudtrail_trail_s3_delivery_current,
  cloudwatch_security_event_alarms,
  cognito_user_pool_admin_only_signup,
  cognito_user_pool_client_token_lifetime,
  cognito_user_pool_lockout,
  cognito_user_pool_mfa_factor_strength,
  cognito_user_pool_mfa_required,
  cognito_user_pool_password_complexity,
  cognito_user_pool_password_history,
  cognito_user_pool_password_min_length,
  cognito_user_pool_temp_password_validity,
  cognito_user_pool_threat_protection_enforced,
  config_delivery_channel_healthy,
  config_managed_rule_compliant,
  config_recorder_all_resources,
  logs_log_group_kms_encrypted,
  logs_log_group_retention_min,
];

const byId = new Map(checks.map((c) => [c.id, c]));

export function hasCheck(id: string): boolean {
  return byId.has(id);
}

/** The check with this id; a UsageError suggesting the closest id otherwise. */
export function getCheck(id: string): AnyCheck {
  const found = byId.get(id);
  if (found) return found;
  const suggestion = didYouMean(id, [...byId.keys()]);
  throw new UsageError(`unknown check "${id}"${suggestion ? `; ${suggestion}` : ""}`, {
    hint: "run `auditpack controls list` to see the checks each requirement uses",
  });
}
