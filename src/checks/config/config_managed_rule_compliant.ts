import { z } from "zod";
import type { ConfigRuleEvaluationState } from "../../state/types.js";
import type { Check } from "../types.js";

const params = z.strictObject({
  /** Managed rule identifier (IAM_PASSWORD_POLICY) or rule name (iam-password-policy); conformance-pack suffixes match too. */
  rule: z.string().min(1),
});

const normalize = (s: string): string => s.toLowerCase().replace(/_/g, "-");

export function ruleMatches(state: ConfigRuleEvaluationState, rule: string): boolean {
  const want = normalize(rule);
  const name = normalize(state.ruleName);
  return (
    name === want ||
    name.startsWith(`${want}-`) ||
    (state.sourceIdentifier !== undefined && normalize(state.sourceIdentifier) === want)
  );
}

const STATUS = { COMPLIANT: "PASS", NON_COMPLIANT: "FAIL", NOT_APPLICABLE: "NOT_APPLICABLE" } as const;

export const check: Check<ConfigRuleEvaluationState, z.infer<typeof params>> = {
  id: "config_managed_rule_compliant",
  title: "AWS Config managed rule finds resources compliant",
  service: "config",
  severity: "high",
  resourceType: "config_rule_evaluation",
  description:
    "Reads the named AWS Config rule's per-resource evaluation results (GetComplianceDetailsByConfigRule); each resource it evaluates must be COMPLIANT.",
  remediation: "Fix the resources the rule reports NON_COMPLIANT; the annotation says why.",
  paramsSchema: params,
  appliesTo: (state, { rule }) => ruleMatches(state, rule),
  whenNone: ({ rule }) => ({
    status: "NOT_APPLICABLE",
    reason: `the Config rule ${rule} has no evaluations here (not deployed in this region; global rules usually run in one region)`,
  }),
  evaluate(state) {
    const status = STATUS[state.complianceType as keyof typeof STATUS];
    const note = state.annotation ? ` (${state.annotation})` : "";
    const reason = `Config rule ${state.ruleName} finds ${state.resourceType} ${state.resourceId} ${state.complianceType}${note}`;
    return { status: status ?? "ERROR", reason: status ? reason : `${reason}: no conclusive evaluation` };
  },
};
