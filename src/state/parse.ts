import { DeliveryStatus } from "@aws-sdk/client-config-service";
import { arr, bool, field, type Json, num, str, strings } from "./fields.js";
import { trailDeliveryOf } from "./trail-delivery.js";
import type {
  AlarmState,
  DeliveryChannelState,
  MetricFilterState,
  MfaFactor,
  MfaMode,
  PasswordPolicyState,
  RecorderState,
  TrailState,
  UserPoolClientState,
  UserPoolState,
} from "./types.js";

/**
 * Field extraction shared by the snapshot and Config adapters: each returns only what the source
 * holds, so a Config item that lacks a field leaves the previously known value in place.
 */

type Identity = "account" | "region" | "observedAt" | "evidence";

const MFA_MODES = new Set(["ON", "OFF", "OPTIONAL"]);

export function passwordPolicyOf(pool: unknown): PasswordPolicyState | undefined {
  const p = field(pool, "Policies", "PasswordPolicy");
  if (p === undefined) return undefined;
  return {
    minimumLength: num(p, "MinimumLength"),
    requireUppercase: bool(p, "RequireUppercase"),
    requireLowercase: bool(p, "RequireLowercase"),
    requireNumbers: bool(p, "RequireNumbers"),
    requireSymbols: bool(p, "RequireSymbols"),
    passwordHistorySize: num(p, "PasswordHistorySize"),
    temporaryPasswordValidityDays: num(p, "TemporaryPasswordValidityDays"),
  };
}

/** MFA factors from GetUserPoolMfaConfig (or a CloudFormation-shaped `EnabledMfas` list). */
export function mfaFactorsOf(mfaConfig: unknown, pool?: unknown): MfaFactor[] | undefined {
  const listed = strings(pool, "EnabledMfas");
  if (mfaConfig === undefined && listed.length === 0) return undefined;
  const factors = new Set<MfaFactor>();
  for (const f of listed) {
    if (f === "SMS_MFA") factors.add("SMS");
    if (f === "SOFTWARE_TOKEN_MFA") factors.add("SOFTWARE_TOKEN");
    if (f === "EMAIL_OTP") factors.add("EMAIL");
  }
  if (mfaConfig !== undefined) {
    if (bool(mfaConfig, "SoftwareTokenMfaConfiguration", "Enabled")) factors.add("SOFTWARE_TOKEN");
    const sms = field(mfaConfig, "SmsMfaConfiguration");
    if (sms !== undefined && bool(sms, "Enabled") !== false && Object.keys(sms as Json).length > 0)
      factors.add("SMS");
    if (field(mfaConfig, "EmailMfaConfiguration") !== undefined) factors.add("EMAIL");
    if (field(mfaConfig, "WebAuthnConfiguration") !== undefined) factors.add("WEB_AUTHN");
  }
  return [...factors].sort();
}

export function mfaModeOf(value: unknown): MfaMode | undefined {
  return typeof value === "string" && MFA_MODES.has(value) ? (value as MfaMode) : undefined;
}

const UNIT_MINUTES: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

/** Token validity in minutes; Cognito's defaults apply when a value is absent (1 h, 1 h, 30 days). */
export function clientOf(client: unknown): UserPoolClientState {
  const units = (name: string, fallback: string): number =>
    UNIT_MINUTES[str(client, "TokenValidityUnits", name) ?? fallback] ?? UNIT_MINUTES[fallback]!;
  const validity = (member: string, unit: string, fallbackUnit: string, fallbackValue: number): number =>
    (num(client, member) ?? fallbackValue) * units(unit, fallbackUnit);
  return {
    clientId: str(client, "ClientId") ?? "(unknown client)",
    clientName: str(client, "ClientName"),
    accessTokenValidityMinutes: validity("AccessTokenValidity", "AccessToken", "hours", 1),
    idTokenValidityMinutes: validity("IdTokenValidity", "IdToken", "hours", 1),
    refreshTokenValidityMinutes: validity("RefreshTokenValidity", "RefreshToken", "days", 30),
  };
}

export function userPoolFields(
  pool: unknown,
  extra: { mfaConfig?: unknown; clients?: unknown[] } = {},
): Omit<Partial<UserPoolState>, Identity> {
  const id = str(pool, "Id") ?? str(pool, "UserPoolId");
  return {
    id,
    arn: str(pool, "Arn"),
    name: str(pool, "Name") ?? str(pool, "UserPoolName") ?? id,
    passwordPolicy: passwordPolicyOf(pool),
    mfa: mfaModeOf(field(extra.mfaConfig, "MfaConfiguration") ?? field(pool, "MfaConfiguration")),
    factors: mfaFactorsOf(extra.mfaConfig, pool),
    advancedSecurityMode: str(pool, "UserPoolAddOns", "AdvancedSecurityMode"),
    adminCreateUserOnly: bool(pool, "AdminCreateUserConfig", "AllowAdminCreateUserOnly"),
    clients: extra.clients?.map(clientOf),
  };
}

/** Management-event capture from basic or advanced event selectors; no selectors means all management events. */
export function managementEventsOf(selectors: unknown): TrailState["managementEvents"] {
  const basic = arr(selectors, "EventSelectors");
  const advanced = arr(selectors, "AdvancedEventSelectors");
  if (basic.length === 0 && advanced.length === 0) {
    return selectors === undefined ? undefined : { read: false, write: false, excludedSources: [] };
  }
  let read = false;
  let write = false;
  const excluded = new Set<string>();
  for (const s of basic) {
    if (bool(s, "IncludeManagementEvents") === false) continue;
    const rw = str(s, "ReadWriteType") ?? "All";
    if (rw === "All" || rw === "ReadOnly") read = true;
    if (rw === "All" || rw === "WriteOnly") write = true;
    for (const src of strings(s, "ExcludeManagementEventSources")) excluded.add(src);
  }
  for (const s of advanced) {
    const fields = arr(s, "FieldSelectors");
    const sel = (name: string) => fields.find((f) => str(f, "Field") === name);
    const category = sel("eventCategory");
    if (!category || !strings(category, "Equals").includes("Management")) continue;
    const readOnly = sel("readOnly");
    const ro = readOnly ? strings(readOnly, "Equals") : [];
    if (ro.length === 0 || ro.includes("true")) read = true;
    if (ro.length === 0 || ro.includes("false")) write = true;
    const source = sel("eventSource");
    if (source) for (const src of strings(source, "NotEquals")) excluded.add(src);
  }
  return { read, write, excludedSources: [...excluded].sort() };
}

export function trailFields(
  trail: unknown,
  extra: { status?: unknown; selectors?: unknown } = {},
): Omit<Partial<TrailState>, Identity> {
  const isLogging = bool(extra.status, "IsLogging") ?? bool(trail, "IsLogging");
  return {
    arn: str(trail, "TrailARN") ?? str(trail, "Arn"),
    name: str(trail, "Name") ?? str(trail, "TrailName"),
    homeRegion: str(trail, "HomeRegion"),
    isMultiRegion: bool(trail, "IsMultiRegionTrail"),
    includeGlobalServiceEvents: bool(trail, "IncludeGlobalServiceEvents"),
    isLogging,
    loggingSource: isLogging === undefined ? undefined : "status",
    logFileValidation: bool(trail, "LogFileValidationEnabled") ?? bool(trail, "EnableLogFileValidation"),
    kmsKeyId: str(trail, "KmsKeyId") ?? str(trail, "KMSKeyId"),
    cloudWatchLogsLogGroupArn: str(trail, "CloudWatchLogsLogGroupArn"),
    managementEvents: managementEventsOf(extra.selectors),
    isOrganizationTrail: bool(trail, "IsOrganizationTrail"),
    delivery: trailDeliveryOf(extra.status),
  };
}

export function logGroupFields(group: unknown): {
  name?: string;
  arn?: string;
  retentionInDays?: number;
  kmsKeyId?: string;
} {
  return {
    name: str(group, "logGroupName"),
    arn: str(group, "arn"),
    retentionInDays: num(group, "retentionInDays"),
    kmsKeyId: str(group, "kmsKeyId"),
  };
}

export function metricFilterFields(filter: unknown): Omit<MetricFilterState, Identity | "id"> {
  return {
    name: str(filter, "filterName") ?? "(unnamed filter)",
    logGroupName: str(filter, "logGroupName") ?? "",
    filterPattern: str(filter, "filterPattern") ?? "",
    metrics: arr(filter, "metricTransformations").map((m) => ({
      name: str(m, "metricName") ?? "",
      namespace: str(m, "metricNamespace") ?? "",
    })),
  };
}

export function alarmFields(alarm: unknown): Omit<AlarmState, Identity | "id"> {
  return {
    name: str(alarm, "AlarmName") ?? "(unnamed alarm)",
    arn: str(alarm, "AlarmArn"),
    actionsEnabled: bool(alarm, "ActionsEnabled"),
    alarmActions: strings(alarm, "AlarmActions"),
    metricName: str(alarm, "MetricName"),
    namespace: str(alarm, "Namespace"),
  };
}

export function recordersOf(payload: unknown): RecorderState[] {
  const statuses = arr(payload, "recorderStatus");
  return arr(payload, "recorders").map((r) => {
    const name = str(r, "name") ?? "default";
    const status = statuses.find((s) => str(s, "name") === name);
    return {
      name,
      recording: bool(status, "recording"),
      lastStatus: str(status, "lastStatus"),
      lastErrorCode: str(status, "lastErrorCode"),
      lastErrorMessage: str(status, "lastErrorMessage"),
      lastStatusChangeTime: str(status, "lastStatusChangeTime"),
      allSupported: bool(r, "recordingGroup", "allSupported"),
      includeGlobalResourceTypes: bool(r, "recordingGroup", "includeGlobalResourceTypes"),
      resourceTypes: strings(r, "recordingGroup", "resourceTypes"),
      strategy: str(r, "recordingGroup", "recordingStrategy", "useOnly"),
      excludedResourceTypes: strings(r, "recordingGroup", "exclusionByResourceTypes", "resourceTypes"),
    };
  });
}

export function deliveryChannelsOf(payload: unknown): DeliveryChannelState[] {
  const statuses = arr(payload, "deliveryChannelStatus");
  const names = new Set(
    [...arr(payload, "deliveryChannels"), ...statuses].map((c) => str(c, "name") ?? "default"),
  );
  return [...names].map((name) => {
    const status = statuses.find((s) => str(s, "name") === name);
    // The details of the failing delivery (history first), else of the history delivery.
    const infos = ["configHistoryDeliveryInfo", "configSnapshotDeliveryInfo"].map((m) => field(status, m));
    const failing = infos.find((i) => str(i, "lastStatus") === DeliveryStatus.Failure) ?? infos[0];
    const info = (member: string) => str(failing, member);
    return {
      name,
      lastHistoryDelivery: str(status, "configHistoryDeliveryInfo", "lastStatus"),
      lastSnapshotDelivery: str(status, "configSnapshotDeliveryInfo", "lastStatus"),
      lastErrorCode: info("lastErrorCode"),
      lastErrorMessage: info("lastErrorMessage"),
      lastAttemptTime: info("lastAttemptTime"),
    };
  });
}
