import { z } from "zod";
import type { LogGroupState } from "../../state/types.js";
import {
  isSecurityLogGroup,
  noSecurityLogGroups,
  securityLogGroupParams,
  whyInScope,
} from "../security-log-groups.js";
import type { Check } from "../types.js";

const params = z.strictObject({ ...securityLogGroupParams });

export const check: Check<LogGroupState, z.infer<typeof params>> = {
  id: "logs_log_group_kms_encrypted",
  title: "Security log groups are encrypted with a KMS key",
  service: "logs",
  severity: "medium",
  resourceType: "logs_log_group",
  description:
    "Security log groups are encrypted with a customer managed KMS key, so reading them needs key access.",
  remediation: "AssociateKmsKey with a key whose policy allows the CloudWatch Logs service principal.",
  paramsSchema: params,
  appliesTo: (state, { logGroupPatterns }) => isSecurityLogGroup(state, logGroupPatterns),
  whenNone: () => noSecurityLogGroups,
  evaluate(state) {
    const label = `log group ${state.name} (${whyInScope(state)})`;
    return state.kmsKeyId
      ? { status: "PASS", reason: `${label} is encrypted with ${state.kmsKeyId}` }
      : { status: "FAIL", reason: `${label} has no KMS key` };
  },
};
