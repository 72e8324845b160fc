/**
 * The check ids agreed between the catalogs and the checks (the same strings name the files
 * src/checks/<service>/<id>.ts). Catalog tests validate against this list, and integrity.test.ts
 * requires the check registry to define every one of them.
 */
export const AGREED_CHECK_IDS: ReadonlySet<string> = new Set([
  "cognito_user_pool_password_min_length",
  "cognito_user_pool_password_complexity",
  "cognito_user_pool_password_history",
  "cognito_user_pool_temp_password_validity",
  "cognito_user_pool_mfa_required",
  "cognito_user_pool_mfa_factor_strength",
  "cognito_user_pool_threat_protection_enforced",
  "cognito_user_pool_admin_only_signup",
  "cognito_user_pool_client_token_lifetime",
  "cognito_user_pool_lockout",
  "cloudtrail_multi_region_trail_logging",
  "cloudtrail_trail_log_file_validation_enabled",
  "cloudtrail_trail_kms_encrypted",
  "cloudtrail_trail_cloudwatch_logs_delivery",
  "cloudtrail_trail_s3_delivery_current",
  "cloudtrail_logging_continuous",
  "logs_log_group_retention_min",
  "logs_log_group_kms_encrypted",
  "cloudwatch_security_event_alarms",
  "config_recorder_all_resources",
  "config_delivery_channel_healthy",
  "config_managed_rule_compliant",
]);

/** Event names cloudwatch_security_event_alarms understands in its `events` parameter. */
export const SECURITY_EVENTS: ReadonlySet<string> = new Set([
  "unauthorized_api_calls",
  "console_signin_without_mfa",
  "root_usage",
  "iam_policy_changes",
  "cloudtrail_changes",
  "signin_failures",
  "kms_key_disable_or_delete",
  "s3_bucket_policy_changes",
  "config_changes",
  "security_group_changes",
  "nacl_changes",
  "network_gateway_changes",
  "route_table_changes",
  "vpc_changes",
]);
