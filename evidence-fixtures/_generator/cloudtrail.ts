import type { RegionSpec, TrailSpec } from "./model.js";
import { arn } from "./model.js";
import { epoch } from "./time.js";
import type { Answer, ServiceFile } from "./types.js";

/** cloudtrail answers for trails (LookupEvents comes from activity.ts). */

export function trailArn(trail: TrailSpec, account: string): string {
  return arn("cloudtrail", trail.homeRegion, account, `trail/${trail.name}`);
}

export function trailType(trail: TrailSpec, account: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Name: trail.name,
    S3BucketName: trail.bucket,
    IncludeGlobalServiceEvents: trail.multiRegion,
    IsMultiRegionTrail: trail.multiRegion,
    HomeRegion: trail.homeRegion,
    TrailARN: trailArn(trail, account),
    LogFileValidationEnabled: trail.logFileValidation,
  };
  if (trail.cloudWatchLogGroup) {
    out.CloudWatchLogsLogGroupArn = arn(
      "logs",
      trail.homeRegion,
      account,
      `log-group:${trail.cloudWatchLogGroup}:*`,
    );
    out.CloudWatchLogsRoleArn = `arn:aws:iam::${account}:role/service-role/cloudtrail-to-cloudwatch-${trail.name}`;
  }
  if (trail.kmsKeyAlias) out.KmsKeyId = kmsKeyArn(account, trail.homeRegion, trail.kmsKeyAlias);
  out.HasCustomEventSelectors = true;
  out.HasInsightSelectors = trail.insights;
  out.IsOrganizationTrail = false;
  return out;
}

/** A KMS key ARN with a key id derived from its alias (fixture keys are never real). */
export function kmsKeyArn(account: string, region: string, alias: string): string {
  const seed = [...`${account}/${region}/${alias}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const hex = seed.toString(16).padStart(8, "0");
  return arn("kms", region, account, `key/${hex}-7d1e-4c2b-9a5f-${hex.slice(0, 4)}c0ffee${hex.slice(4, 6)}`);
}

function status(trail: TrailSpec, clock: string): Record<string, unknown> {
  const logging = trail.logging ?? true;
  const lastDelivery = epoch(clock) - 312;
  const out: Record<string, unknown> = {
    IsLogging: logging,
    LatestDeliveryTime: Math.floor(lastDelivery),
    LatestNotificationTime: Math.floor(lastDelivery),
    StartLoggingTime: epoch(trail.startedLogging ?? trail.created),
    LatestDeliveryAttemptTime: new Date((lastDelivery | 0) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    LatestNotificationAttemptTime: "",
    LatestNotificationAttemptSucceeded: "",
    LatestDeliveryAttemptSucceeded: new Date((lastDelivery | 0) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z"),
    TimeLoggingStarted: trail.startedLogging ?? trail.created,
    TimeLoggingStopped: trail.stoppedLogging ?? "",
  };
  if (trail.stoppedLogging) out.StopLoggingTime = epoch(trail.stoppedLogging);
  if (trail.logFileValidation) out.LatestDigestDeliveryTime = Math.floor(epoch(clock) - 1820);
  if (trail.cloudWatchLogGroup) out.LatestCloudWatchLogsDeliveryTime = Math.floor(epoch(clock) - 95);
  return out;
}

function eventSelectors(trail: TrailSpec, account: string): Record<string, unknown> {
  const trailARN = trailArn(trail, account);
  if (!trail.dataEventBuckets) {
    return {
      TrailARN: trailARN,
      EventSelectors: [
        {
          ReadWriteType: "All",
          IncludeManagementEvents: true,
          DataResources: [],
          ExcludeManagementEventSources: [],
        },
      ],
    };
  }
  return {
    TrailARN: trailARN,
    AdvancedEventSelectors: [
      { Name: "Management events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
      {
        Name: "Cardholder data object access",
        FieldSelectors: [
          { Field: "eventCategory", Equals: ["Data"] },
          { Field: "resources.type", Equals: ["AWS::S3::Object"] },
          { Field: "resources.ARN", StartsWith: trail.dataEventBuckets.map((b) => `arn:aws:s3:::${b}/`) },
        ],
      },
    ],
  };
}

/**
 * DescribeTrails from `region`: trails homed here, plus shadow copies of multi-region trails homed
 * elsewhere in the same account.
 */
export function cloudtrailFile(
  account: string,
  region: string,
  byRegion: Record<string, RegionSpec>,
  clock: string,
): ServiceFile {
  const visible: TrailSpec[] = [];
  for (const [home, spec] of Object.entries(byRegion)) {
    for (const trail of spec.trails) if (home === region || trail.multiRegion) visible.push(trail);
  }
  const file: ServiceFile = {
    DescribeTrails: [{ response: { trailList: visible.map((t) => trailType(t, account)) } }],
  };
  const statusAnswers: Answer[] = [];
  const selectorAnswers: Answer[] = [];
  const insightAnswers: Answer[] = [];
  for (const trail of visible) {
    const trailARN = trailArn(trail, account);
    // The collector asks by ARN (works for shadow trails); a name works in the home region only.
    const names = trail.homeRegion === region ? [trailARN, trail.name] : [trailARN];
    for (const name of names) {
      statusAnswers.push({ params: { Name: name }, response: status(trail, clock) });
      selectorAnswers.push({ params: { TrailName: name }, response: eventSelectors(trail, account) });
      if (trail.insights) {
        insightAnswers.push({
          params: { TrailName: name },
          response: {
            TrailARN: trailARN,
            InsightSelectors: [{ InsightType: "ApiCallRateInsight" }, { InsightType: "ApiErrorRateInsight" }],
          },
        });
      }
    }
  }
  if (statusAnswers.length) file.GetTrailStatus = statusAnswers;
  if (selectorAnswers.length) file.GetEventSelectors = selectorAnswers;
  if (insightAnswers.length) file.GetInsightSelectors = insightAnswers;
  return file;
}
