import { RecorderStatus, RecordingStrategyType } from "@aws-sdk/client-config-service";
import { z } from "zod";
import type { ConfigServiceState, RecorderState } from "../../state/types.js";
import type { Check } from "../types.js";

const params = z.strictObject({
  /** In-scope resource types when not recording all; empty means all supported types are required. */
  resourceTypes: z.array(z.string().regex(/^AWS::/, "a resource type such as AWS::S3::Bucket")).default([]),
  /** Require global resource types (IAM) too; turn off in regions other than the one that records them. */
  requireGlobalResourceTypes: z.boolean().default(true),
});

type Params = z.infer<typeof params>;

function shortfalls(r: RecorderState, p: Params): string[] {
  const gaps: string[] = [];
  if (r.recording !== true) gaps.push(r.recording === false ? "not recording" : "recording status unknown");
  // Recording but failing: AWS Config reports why (e.g. the service role cannot describe resources).
  if (r.lastStatus === RecorderStatus.Failure) {
    const error = [r.lastErrorCode, r.lastErrorMessage].filter(Boolean).join(": ");
    gaps.push(
      `last recording attempt failed${r.lastStatusChangeTime ? ` at ${r.lastStatusChangeTime}` : ""}${error ? ` (${error})` : ""}`,
    );
  }
  const all = r.allSupported === true || r.strategy === RecordingStrategyType.ALL_SUPPORTED_RESOURCE_TYPES;
  if (p.resourceTypes.length > 0) {
    const missing = all ? [] : p.resourceTypes.filter((t) => !r.resourceTypes.includes(t));
    if (missing.length) gaps.push(`does not record ${missing.join(", ")}`);
  } else if (!all) {
    gaps.push(
      r.excludedResourceTypes.length
        ? `excludes ${r.excludedResourceTypes.join(", ")}`
        : "records only selected types",
    );
  }
  if (p.requireGlobalResourceTypes && all && r.includeGlobalResourceTypes !== true)
    gaps.push("global resource types not included");
  return gaps;
}

export const check: Check<ConfigServiceState, Params> = {
  id: "config_recorder_all_resources",
  title: "AWS Config records all resource types",
  service: "config",
  severity: "high",
  resourceType: "config_service",
  description:
    "A configuration recorder is on, its last recording attempt did not fail (DescribeConfigurationRecorderStatus lastStatus), and it records all supported resource types (or the configured in-scope list), including global ones such as IAM.",
  remediation:
    "PutConfigurationRecorder with recordingGroup allSupported and includeGlobalResourceTypes, then StartConfigurationRecorder; on a failing recorder fix what lastErrorCode names (usually the recorder's role).",
  paramsSchema: params,
  evaluate(state, p) {
    const where = `${state.account}/${state.region}`;
    if (state.recorders.length === 0) return { status: "FAIL", reason: `no AWS Config recorder in ${where}` };
    const verdicts = state.recorders.map((r) => ({ r, gaps: shortfalls(r, p) }));
    const good = verdicts.find((v) => v.gaps.length === 0);
    if (good)
      return {
        status: "PASS",
        reason: `recorder ${good.r.name} in ${where} is recording all required resource types`,
      };
    if (verdicts.every((v) => v.gaps.includes("recording status unknown"))) {
      return {
        status: "ERROR",
        reason: `recording status of the Config recorder in ${where} is not in the evidence`,
      };
    }
    return {
      status: "FAIL",
      reason: verdicts.map((v) => `recorder ${v.r.name} in ${where}: ${v.gaps.join(", ")}`).join("; "),
    };
  },
};
