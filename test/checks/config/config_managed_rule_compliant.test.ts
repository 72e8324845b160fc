import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/config/config_managed_rule_compliant.js";
import type { ConfigRuleEvaluationState } from "../../../src/state/types.js";
import { base, standardCases } from "../harness.js";

const evaluation = (
  complianceType: string,
  ruleName = "iam-password-policy-conformance-pack-x1",
): ConfigRuleEvaluationState => ({
  ...base(`${ruleName}|AWS::::Account|111122223333`, "AWS::::Account 111122223333"),
  ruleName,
  resourceType: "AWS::::Account",
  resourceId: "111122223333",
  complianceType,
});

describe("config_managed_rule_compliant", () => {
  it("is registered under its file name", () => expect(check.id).toBe("config_managed_rule_compliant"));
  standardCases(check, {
    params: { rule: "iam-password-policy" },
    pass: [{ ...evaluation("COMPLIANT"), name: "Config rule" }],
    fail: [evaluation("NON_COMPLIANT")],
    failReason: /finds AWS::::Account 111122223333 NON_COMPLIANT/,
  });
  it("matches the rule by name, conformance-pack name or managed identifier", () => {
    const params = { rule: "IAM_PASSWORD_POLICY" };
    expect(check.appliesTo!(evaluation("COMPLIANT"), params)).toBe(true);
    expect(
      check.appliesTo!(
        { ...evaluation("COMPLIANT", "custom"), sourceIdentifier: "IAM_PASSWORD_POLICY" },
        params,
      ),
    ).toBe(true);
    expect(check.appliesTo!(evaluation("COMPLIANT", "root-account-mfa-enabled"), params)).toBe(false);
    expect(check.evaluate(evaluation("INSUFFICIENT_DATA"), params).status).toBe("ERROR");
  });
});
