import { DeliveryStatus, RecorderStatus } from "@aws-sdk/client-config-service";
import { configRuleId, hexId, uuidFor } from "./ids.js";
import type { ConfigRuleSpec, RegionSpec } from "./model.js";
import { arn } from "./model.js";
import type { Random } from "./prng.js";
import { epoch, ms } from "./time.js";
import { type Answer, paged, type ServiceFile } from "./types.js";

/** config answers for the recorder and rule collectors (timelines come from history.ts). */

function recorderAnswers(spec: RegionSpec, account: string, region: string, clock: string): ServiceFile {
  const rec = spec.config.recorder;
  if (!rec) {
    return {
      DescribeConfigurationRecorders: [{ response: { ConfigurationRecorders: [] } }],
      DescribeConfigurationRecorderStatus: [{ response: { ConfigurationRecordersStatus: [] } }],
      DescribeDeliveryChannels: [{ response: { DeliveryChannels: [] } }],
      DescribeDeliveryChannelStatus: [{ response: { DeliveryChannelsStatus: [] } }],
    };
  }
  const recorderArn = arn(
    "config",
    region,
    account,
    `configuration-recorder/default/${hexId(`${account}/${region}/recorder`, 16)}`,
  );
  const recordingGroup: Record<string, unknown> = rec.allSupported
    ? {
        allSupported: true,
        includeGlobalResourceTypes: rec.includeGlobal,
        resourceTypes: [],
        exclusionByResourceTypes: { resourceTypes: [] },
        recordingStrategy: { useOnly: "ALL_SUPPORTED_RESOURCE_TYPES" },
      }
    : {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: rec.resourceTypes ?? [],
        exclusionByResourceTypes: { resourceTypes: [] },
        recordingStrategy: { useOnly: "INCLUSION_BY_RESOURCE_TYPES" },
      };
  const now = epoch(clock);
  const hourAgo = Math.floor(now - 2917);
  const since = spec.config.deliveryFailingSince;
  const failing = since !== undefined && ms(clock) > ms(since);
  const snapshotInfo = failing
    ? {
        lastStatus: DeliveryStatus.Failure,
        lastErrorCode: "AccessDenied",
        lastErrorMessage: "Access Denied",
        lastAttemptTime: hourAgo,
        lastSuccessfulTime: epoch(since!),
        nextDeliveryTime: Math.floor(now + 55_000),
      }
    : {
        lastStatus: DeliveryStatus.Success,
        lastAttemptTime: hourAgo,
        lastSuccessfulTime: hourAgo,
        nextDeliveryTime: Math.floor(now + 55_000),
      };
  const historyInfo = failing
    ? {
        lastStatus: DeliveryStatus.Failure,
        lastErrorCode: "AccessDenied",
        lastErrorMessage: "Access Denied",
        lastAttemptTime: Math.floor(now - 1210),
        lastSuccessfulTime: epoch(since!) - 998,
        nextDeliveryTime: Math.floor(now + 20_390),
      }
    : {
        lastStatus: DeliveryStatus.Success,
        lastAttemptTime: Math.floor(now - 1210),
        lastSuccessfulTime: Math.floor(now - 1210),
        nextDeliveryTime: Math.floor(now + 20_390),
      };
  return {
    DescribeConfigurationRecorders: [
      {
        response: {
          ConfigurationRecorders: [
            {
              arn: recorderArn,
              name: "default",
              roleARN: `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
              recordingGroup,
              recordingMode: { recordingFrequency: "CONTINUOUS", recordingModeOverrides: [] },
              recordingScope: "PAID",
            },
          ],
        },
      },
    ],
    DescribeConfigurationRecorderStatus: [
      {
        response: {
          ConfigurationRecordersStatus: [
            {
              arn: recorderArn,
              name: "default",
              lastStartTime: epoch(rec.lastStart),
              recording: true,
              lastStatus: RecorderStatus.Success,
              lastStatusChangeTime: Math.floor(now - 431),
            },
          ],
        },
      },
    ],
    DescribeDeliveryChannels: [
      {
        response: {
          DeliveryChannels: [
            {
              name: "default",
              s3BucketName: spec.config.deliveryBucket,
              s3KeyPrefix: region,
              snsTopicARN: arn("sns", region, account, "config-notifications"),
              configSnapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
            },
          ],
        },
      },
    ],
    DescribeDeliveryChannelStatus: [
      {
        response: {
          DeliveryChannelsStatus: [
            {
              name: "default",
              configSnapshotDeliveryInfo: snapshotInfo,
              configHistoryDeliveryInfo: historyInfo,
              configStreamDeliveryInfo: {
                lastStatus: DeliveryStatus.Success,
                lastStatusChangeTime: epoch(rec.lastStart),
              },
            },
          ],
        },
      },
    ],
  };
}

export function ruleArn(account: string, region: string, rule: ConfigRuleSpec): string {
  return arn("config", region, account, `config-rule/${configRuleId(`${account}/${region}/${rule.name}`)}`);
}

function configRule(rule: ConfigRuleSpec, account: string, region: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ConfigRuleName: rule.name,
    ConfigRuleArn: ruleArn(account, region, rule),
    ConfigRuleId: configRuleId(`${account}/${region}/${rule.name}`),
    Description: `AWS managed rule ${rule.identifier}.`,
  };
  if (rule.scope) out.Scope = { ComplianceResourceTypes: rule.scope };
  out.Source = { Owner: "AWS", SourceIdentifier: rule.identifier };
  if (rule.parameters) out.InputParameters = JSON.stringify(rule.parameters);
  if (rule.periodic) out.MaximumExecutionFrequency = "TwentyFour_Hours";
  out.ConfigRuleState = "ACTIVE";
  if (rule.conformancePack) out.CreatedBy = "config-conforms.amazonaws.com";
  out.EvaluationModes = [{ Mode: "DETECTIVE" }];
  return out;
}

function ruleComplianceType(rule: ConfigRuleSpec): "COMPLIANT" | "NON_COMPLIANT" | "INSUFFICIENT_DATA" {
  if (rule.results.some((r) => r[2] === "NON_COMPLIANT")) return "NON_COMPLIANT";
  return rule.results.some((r) => r[2] === "COMPLIANT") ? "COMPLIANT" : "INSUFFICIENT_DATA";
}

function ruleCompliance(rule: ConfigRuleSpec): Record<string, unknown> {
  const bad = rule.results.filter((r) => r[2] === "NON_COMPLIANT").length;
  const good = rule.results.filter((r) => r[2] === "COMPLIANT").length;
  if (bad > 0) {
    return {
      ConfigRuleName: rule.name,
      Compliance: {
        ComplianceType: "NON_COMPLIANT",
        ComplianceContributorCount: { CappedCount: bad, CapExceeded: false },
      },
    };
  }
  return {
    ConfigRuleName: rule.name,
    Compliance: { ComplianceType: good > 0 ? "COMPLIANT" : "INSUFFICIENT_DATA" },
  };
}

function evaluationResults(rule: ConfigRuleSpec, clock: string): Record<string, unknown>[] {
  // Periodic rules last ran in the early hours of the clock's day; change-triggered ones when a resource changed.
  const invoked = ms(clock) - 3 * 3600_000 - 17 * 60_000;
  return rule.results.map(([resourceType, resourceId, compliance, annotation], i) => {
    const recorded = invoked + 41_000 + i * 1000;
    const out: Record<string, unknown> = {
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: rule.name,
          ResourceType: resourceType,
          ResourceId: resourceId,
          EvaluationMode: "DETECTIVE",
        },
        OrderingTimestamp: epoch(recorded - 60_000),
        ResourceEvaluationId: uuidFor(`evaluation:${rule.name}/${resourceId}`),
      },
      ComplianceType: compliance,
      ResultRecordedTime: epoch(recorded),
      ConfigRuleInvokedTime: epoch(invoked),
    };
    if (annotation) out.Annotation = annotation;
    return out;
  });
}

function ruleAnswers(
  spec: RegionSpec,
  account: string,
  region: string,
  clock: string,
  rng: Random,
): ServiceFile {
  const rules = spec.config.rules;
  const tokens = () => rng.token();
  const details: Answer[] = [];
  for (const rule of rules) {
    // Two results per page for the MFA rule, so per-rule evaluation paging is exercised.
    const size = rule.name === "mfa-enabled-for-iam-console-access" ? 2 : 100;
    details.push(
      ...paged(
        evaluationResults(rule, clock),
        size,
        tokens,
        (slice, next) => ({ EvaluationResults: slice, ...(next ? { NextToken: next } : {}) }),
        {
          params: { ConfigRuleName: rule.name },
        },
      ),
    );
  }
  const packs = spec.config.conformancePacks.map((pack) => {
    const id = `conformance-pack-${hexId(`${account}/${region}/${pack.name}`, 9)}`;
    return {
      ConformancePackName: pack.name,
      ConformancePackArn: arn("config", region, account, `conformance-pack/${pack.name}/${id}`),
      ConformancePackId: id,
      ConformancePackInputParameters: [],
      LastUpdateRequestedTime: epoch(pack.created),
    };
  });
  const packSummary = spec.config.conformancePacks.map((pack) => {
    const bad = rules.some(
      (r) => r.conformancePack === pack.name && r.results.some((x) => x[2] === "NON_COMPLIANT"),
    );
    return {
      ConformancePackName: pack.name,
      ConformancePackComplianceStatus: bad ? "NON_COMPLIANT" : "COMPLIANT",
    };
  });
  const file: ServiceFile = {
    DescribeConfigRules: paged(
      rules.map((r) => configRule(r, account, region)),
      6,
      tokens,
      (slice, next) => ({
        ConfigRules: slice,
        ...(next ? { NextToken: next } : {}),
      }),
    ),
    DescribeComplianceByConfigRule: [{ response: { ComplianceByConfigRules: rules.map(ruleCompliance) } }],
    DescribeConformancePacks: [{ response: { ConformancePackDetails: packs } }],
  };
  if (details.length) file.GetComplianceDetailsByConfigRule = details;
  if (packSummary.length) {
    file.GetConformancePackComplianceSummary = [
      {
        params: { ConformancePackNames: packSummary.map((p) => p.ConformancePackName) },
        response: { ConformancePackComplianceSummaryList: packSummary },
      },
    ];
    file.DescribeConformancePackCompliance = spec.config.conformancePacks.map((pack) => ({
      params: { ConformancePackName: pack.name },
      response: {
        ConformancePackName: pack.name,
        ConformancePackRuleComplianceList: rules
          .filter((r) => r.conformancePack === pack.name)
          .map((r) => ({ ConfigRuleName: r.name, ComplianceType: ruleComplianceType(r), Controls: [] })),
      },
    }));
  }
  return file;
}

/** `evaluatedAt`: the day periodic rules last ran (default: the clock's). */
export function configFile(
  spec: RegionSpec,
  account: string,
  region: string,
  clock: string,
  rng: Random,
  evaluatedAt = clock,
): ServiceFile {
  return {
    ...recorderAnswers(spec, account, region, clock),
    ...ruleAnswers(spec, account, region, evaluatedAt, rng),
  };
}
