import type { StateValue } from "@aws-sdk/client-cloudwatch";
import type { AdvancedSecurityModeType, UserPoolMfaType } from "@aws-sdk/client-cognito-identity-provider";
import type { ComplianceType } from "@aws-sdk/client-config-service";
/**
 * The compact description of an AWS estate that the service builders turn into API answers. Values
 * are the state at the START of the window; drift (drift.ts) changes them inside the window, and the
 * snapshot answers (Describe*, Get*) show the state at each recorded run's clock (scenarios.ts).
 */

export interface AccountSpec {
  id: string;
  alias: string;
  /** Short environment word used in names (prod, staging). */
  env: string;
}

export interface UserPoolClientSpec {
  name: string;
  /** A recognisable fake; collectors must redact it (contains DO-NOT-LEAK). */
  secret?: string;
  accessTokenMinutes: number;
  idTokenMinutes: number;
  refreshTokenDays: number;
  flows: string[];
  callbackUrls?: string[];
  created: string;
}

export interface UserPoolSpec {
  id: string;
  name: string;
  created: string;
  lastModified: string;
  tier: "LITE" | "ESSENTIALS" | "PLUS";
  password: {
    minLength: number;
    upper: boolean;
    lower: boolean;
    numbers: boolean;
    symbols: boolean;
    history?: number;
    tempValidityDays: number;
  };
  /** The SDK's UserPoolMfaType. */
  mfa: UserPoolMfaType;
  totp: boolean;
  sms: boolean;
  email: boolean;
  /** The SDK's AdvancedSecurityModeType. */
  threatProtection: AdvancedSecurityModeType;
  estimatedUsers: number;
  domain?: string;
  deletionProtection: boolean;
  clients: UserPoolClientSpec[];
  tags: Record<string, string>;
}

export interface TrailSpec {
  name: string;
  homeRegion: string;
  multiRegion: boolean;
  logFileValidation: boolean;
  kmsKeyAlias?: string;
  /** Log group name when the trail delivers to CloudWatch Logs. */
  cloudWatchLogGroup?: string;
  bucket: string;
  /** Advanced selectors (management + S3 data events on these buckets) instead of basic ones. */
  dataEventBuckets?: string[];
  insights: boolean;
  created: string;
  /** Logging on (default); drift turns it off for a while. */
  logging?: boolean;
  /** When logging last started / stopped (GetTrailStatus); drift sets them. */
  startedLogging?: string;
  stoppedLogging?: string;
}

export interface LogGroupSpec {
  name: string;
  retentionDays?: number;
  kms: boolean;
  created: string;
  storedBytes: number;
  tags?: Record<string, string>;
}

export interface MetricFilterSpec {
  /** CIS check key from cis.ts. */
  cis: string;
  logGroup: string;
  created: string;
}

export interface AlarmSpec {
  name: string;
  /** CIS metric the alarm watches (cis.ts) or a plain AWS metric. */
  cis?: string;
  metric?: {
    namespace: string;
    name: string;
    statistic: string;
    threshold: number;
    period: number;
    dimensions?: { Name: string; Value: string }[];
  };
  description: string;
  actionsEnabled: boolean;
  /** The SDK's StateValue. */
  state: StateValue;
  stateSince: string;
  updated: string;
}

export interface CompositeAlarmSpec {
  name: string;
  rule: string;
  description: string;
  updated: string;
}

export interface ConfigRuleSpec {
  /** Managed rule identifier, e.g. IAM_PASSWORD_POLICY; the rule name is derived from it. */
  name: string;
  identifier: string;
  parameters?: Record<string, string>;
  periodic: boolean;
  scope?: string[];
  /** Evaluated resources: [resourceType, resourceId, compliance, annotation?]. */
  /** [resource type, resource id, the SDK's ComplianceType, annotation]. */
  results: [string, string, Exclude<ComplianceType, "INSUFFICIENT_DATA">, string?][];
  /** Rules deployed by a conformance pack carry its name. */
  conformancePack?: string;
}

export interface ConfigSpec {
  recorder?: {
    allSupported: boolean;
    includeGlobal: boolean;
    resourceTypes?: string[];
    lastStart: string;
  };
  deliveryBucket?: string;
  /** The delivery channel fails (bucket policy changed) after this last successful delivery. */
  deliveryFailingSince?: string;
  rules: ConfigRuleSpec[];
  conformancePacks: { name: string; created: string }[];
}

/** Everything one account has in one region. */
export interface RegionSpec {
  userPools: UserPoolSpec[];
  /** Trails homed in this region (shadow copies of multi-region trails are derived). */
  trails: TrailSpec[];
  logGroups: LogGroupSpec[];
  metricFilters: MetricFilterSpec[];
  alarms: AlarmSpec[];
  compositeAlarms: CompositeAlarmSpec[];
  config: ConfigSpec;
  /** Resources Config lists that no collector snapshot shows (deleted inside the window). */
  deletedResources?: { resourceType: string; resourceId: string; resourceName: string; deletedAt: string }[];
}

export interface EstateSpec {
  accounts: AccountSpec[];
  regions: string[];
  /** account -> region -> spec */
  estate: Record<string, Record<string, RegionSpec>>;
}

export const EMPTY_REGION: RegionSpec = {
  userPools: [],
  trails: [],
  logGroups: [],
  metricFilters: [],
  alarms: [],
  compositeAlarms: [],
  config: { rules: [], conformancePacks: [] },
};

export function arn(service: string, region: string, account: string, resource: string): string {
  return `arn:aws:${service}:${region}:${account}:${resource}`;
}
