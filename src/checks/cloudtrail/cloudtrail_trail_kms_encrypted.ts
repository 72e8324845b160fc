import { z } from "zod";
import type { TrailState } from "../../state/types.js";
import type { Check } from "../types.js";
import { trailLabel } from "../util.js";
import { coverageVerdict } from "./coverage.js";

const params = z.strictObject({});

export const check: Check<TrailState, z.infer<typeof params>> = {
  id: "cloudtrail_trail_kms_encrypted",
  title: "Trail logs are encrypted with a KMS key",
  service: "cloudtrail",
  severity: "medium",
  resourceType: "cloudtrail_trail",
  description:
    "Log files are encrypted with a customer managed KMS key (SSE-KMS), so reading them needs key access.",
  remediation: "UpdateTrail with KmsKeyId set to a key whose policy allows CloudTrail to encrypt.",
  paramsSchema: params,
  evaluate(state) {
    const limited = coverageVerdict(state);
    if (limited) return limited;
    return state.kmsKeyId
      ? { status: "PASS", reason: `${trailLabel(state)} encrypts logs with ${state.kmsKeyId}` }
      : { status: "FAIL", reason: `${trailLabel(state)} has no KMS key (S3-managed encryption only)` };
  },
};
