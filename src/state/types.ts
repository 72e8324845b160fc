import type { DeliveryStatus, RecorderStatus } from "@aws-sdk/client-config-service";
import type { EvidenceRef } from "../evidence/ref.js";

/**
 * Normalized resource states (DESIGN.md section 4): checks read these, never raw API output. Two
 * adapters produce them (collector snapshots, AWS Config configuration items) and CloudTrail activity
 * events change them. A field a source does not carry stays undefined (a check says it is unknown).
 */
export interface StateBase {
  account: string;
  region: string;
  /** Stable identifier within account and region (user pool id, trail ARN, log group name...). */
  id: string;
  arn?: string;
  name: string;
  /** When this state was observed (ISO 8601 UTC). */
  observedAt: string;
  evidence: EvidenceRef[];
}

export interface PasswordPolicyState {
  minimumLength?: number;
  requireUppercase?: boolean;
  requireLowercase?: boolean;
  requireNumbers?: boolean;
  requireSymbols?: boolean;
  /** Absent in the API means 0 (no history kept). */
  passwordHistorySize?: number;
  temporaryPasswordValidityDays?: number;
}

export type MfaMode = "ON" | "OFF" | "OPTIONAL";
export type MfaFactor = "SMS" | "SOFTWARE_TOKEN" | "EMAIL" | "WEB_AUTHN";

export interface UserPoolClientState {
  clientId: string;
  clientName?: string;
  accessTokenValidityMinutes?: number;
  idTokenValidityMinutes?: number;
  refreshTokenValidityMinutes?: number;
}

export interface UserPoolState extends StateBase {
  passwordPolicy?: PasswordPolicyState;
  mfa?: MfaMode;
  factors?: MfaFactor[];
  /** OFF | AUDIT | ENFORCED (Cognito "threat protection", formerly advanced security). */
  advancedSecurityMode?: string;
  adminCreateUserOnly?: boolean;
  clients: UserPoolClientState[];
}

/** One app client of a user pool, evaluated on its own (token lifetimes). */
export interface UserPoolClientResourceState extends StateBase {
  userPoolId: string;
  userPoolName: string;
  client: UserPoolClientState;
}

export interface TrailState extends StateBase {
  homeRegion?: string;
  isMultiRegion?: boolean;
  includeGlobalServiceEvents?: boolean;
  isLogging?: boolean;
  /** How isLogging is known: "status" (GetTrailStatus), "event" (Start/StopLogging), "inferred". */
  loggingSource?: "status" | "event" | "inferred";
  logFileValidation?: boolean;
  kmsKeyId?: string;
  cloudWatchLogsLogGroupArn?: string;
  /** Management events: read and write captured, and event sources excluded from them. */
  managementEvents?: { read: boolean; write: boolean; excludedSources: string[] };
  isOrganizationTrail?: boolean;
  /** Delivery health from GetTrailStatus (undefined when the evidence holds no trail status). */
  delivery?: TrailDeliveryState;
  /** Set when this region sees a trail homed elsewhere: how its properties were judged (trail-coverage.ts). */
  coverage?: TrailCoverage;
}

/** GetTrailStatus delivery members, as ISO times; `statusAt` is when GetTrailStatus answered. */
export interface TrailDeliveryState {
  statusAt: string;
  latestDeliveryTime?: string;
  latestDeliveryError?: string;
  latestCloudWatchLogsDeliveryTime?: string;
  latestCloudWatchLogsDeliveryError?: string;
}

/**
 * A trail that records this region but lives elsewhere (a multi-region trail homed in another
 * region, an organisation trail of the management account): where it was judged from.
 */
export interface TrailCoverage {
  /** The account whose region the trail records here (a member, for an organisation trail). */
  viewAccount: string;
  homeAccount: string;
  homeRegion: string;
  /** "home": the home region's own evidence; "shadow": this region's DescribeTrails copy; "unjudged": out of scope. */
  judgedFrom: "home" | "shadow" | "unjudged";
  /** Why it could not be judged (an organisation trail of a management account not in scope). */
  limitation?: string;
}

/** Every trail visible in one account and region (multi-region trails appear in every region). */
export interface TrailsState extends StateBase {
  trails: TrailState[];
}

export interface LogGroupState extends StateBase {
  /** undefined means never expire. */
  retentionInDays?: number;
  kmsKeyId?: string;
  /** Trails (ARNs) that deliver to this log group: it is then a security log group. */
  deliveredBy: string[];
}

export interface MetricFilterState extends StateBase {
  logGroupName: string;
  filterPattern: string;
  metrics: Array<{ name: string; namespace: string }>;
}

export interface AlarmState extends StateBase {
  actionsEnabled?: boolean;
  alarmActions: string[];
  metricName?: string;
  namespace?: string;
}

/** Metric filters and alarms of one account and region, for the security-event alarm check. */
export interface SecurityMonitoringState extends StateBase {
  metricFilters: MetricFilterState[];
  alarms: AlarmState[];
  /**
   * Trails that record this region (its cloudtrail_trails set), so a filter counts only on a log
   * group a logging trail delivers to; undefined when no trail evidence was collected.
   */
  trails?: TrailState[];
}

export interface RecorderState {
  name: string;
  recording?: boolean;
  /** DescribeConfigurationRecorderStatus lastStatus, the SDK's RecorderStatus (Pending | Success | Failure | NotApplicable). */
  lastStatus?: RecorderStatus | string;
  lastErrorCode?: string;
  lastErrorMessage?: string;
  lastStatusChangeTime?: string;
  allSupported?: boolean;
  includeGlobalResourceTypes?: boolean;
  resourceTypes: string[];
  /** recordingStrategy.useOnly, e.g. ALL_SUPPORTED_RESOURCE_TYPES / EXCLUSION_BY_RESOURCE_TYPES. */
  strategy?: string;
  excludedResourceTypes: string[];
}

export interface DeliveryChannelState {
  name: string;
  /** Last status of history/snapshot delivery, the SDK's DeliveryStatus: Success | Failure | Not_Applicable. */
  lastHistoryDelivery?: DeliveryStatus | string;
  lastSnapshotDelivery?: DeliveryStatus | string;
  lastErrorCode?: string;
  lastErrorMessage?: string;
  /** When the failing delivery was last attempted (ISO), for the finding's reason. */
  lastAttemptTime?: string;
}

/** AWS Config in one account and region. */
export interface ConfigServiceState extends StateBase {
  recorders: RecorderState[];
  deliveryChannels: DeliveryChannelState[];
}

/** One Config rule's evaluation of one resource. */
export interface ConfigRuleEvaluationState extends StateBase {
  ruleName: string;
  /** Managed rule identifier, e.g. IAM_PASSWORD_POLICY (undefined for custom rules). */
  sourceIdentifier?: string;
  resourceType: string;
  resourceId: string;
  complianceType: string;
  annotation?: string;
}

export interface StateTypes {
  cognito_user_pool: UserPoolState;
  cognito_user_pool_client: UserPoolClientResourceState;
  cloudtrail_trail: TrailState;
  cloudtrail_trails: TrailsState;
  logs_log_group: LogGroupState;
  cloudwatch_security_monitoring: SecurityMonitoringState;
  config_service: ConfigServiceState;
  config_rule_evaluation: ConfigRuleEvaluationState;
}

export type ResourceType = keyof StateTypes;
export type AnyState = StateTypes[ResourceType];

/** What a resource type is called in reasons ("no user pools in ..."). */
export const RESOURCE_NOUNS: Record<ResourceType, string> = {
  cognito_user_pool: "Cognito user pools",
  cognito_user_pool_client: "Cognito user pool app clients",
  cloudtrail_trail: "CloudTrail trails",
  cloudtrail_trails: "CloudTrail trail sets",
  logs_log_group: "CloudWatch Logs log groups",
  cloudwatch_security_monitoring: "metric filter and alarm sets",
  config_service: "AWS Config setups",
  config_rule_evaluation: "AWS Config rule evaluations",
};
