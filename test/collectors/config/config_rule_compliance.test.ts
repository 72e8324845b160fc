import { describe, expect, it } from "vitest";
import type { FixtureAnswer, ServiceFixture } from "../../../src/aws/replay.js";
import { collector } from "../../../src/collectors/config/config_rule_compliance.js";
import { runCollector } from "../../helpers/run-collector.js";

const rule = (name: string, identifier: string) => ({
  ConfigRuleName: name,
  ConfigRuleArn: `arn:aws:config:us-east-1:111122223333:config-rule/config-rule-${name}`,
  ConfigRuleId: `config-rule-${name}`,
  Source: { Owner: "AWS", SourceIdentifier: identifier },
  ConfigRuleState: "ACTIVE",
});
const compliance = (name: string, type: string) => ({
  ConfigRuleName: name,
  Compliance: { ComplianceType: type },
});
const evaluation = (ruleName: string, resourceId: string, type: string) => ({
  EvaluationResultIdentifier: {
    EvaluationResultQualifier: {
      ConfigRuleName: ruleName,
      ResourceType: "AWS::Logs::LogGroup",
      ResourceId: resourceId,
    },
    OrderingTimestamp: "2026-09-30T10:00:00.000Z",
  },
  ComplianceType: type,
  ResultRecordedTime: "2026-09-30T10:05:00.000Z",
  ConfigRuleInvokedTime: "2026-09-30T10:04:00.000Z",
});
const pack = {
  ConformancePackName: "pci-dss",
  ConformancePackArn: "arn:aws:config:us-east-1:111122223333:conformance-pack/pci-dss/conformance-pack-abc",
  ConformancePackId: "conformance-pack-abc",
  ConformancePackInputParameters: [],
};

const retention = rule("cw-loggroup-retention-period-check", "CW_LOGGROUP_RETENTION_PERIOD_CHECK");
const trailOn = rule("cloudtrail-enabled", "CLOUD_TRAIL_ENABLED");
const mfa = rule("cognito-mfa", "COGNITO_USER_POOL_MFA_ENABLED");

/** Three pages of an operation, linked by NextToken (first page: no token). */
function threePages(params: Record<string, unknown>, responses: Record<string, unknown>[]): FixtureAnswer[] {
  const tokens = [null, "page-2", "page-3"];
  return responses.map((response, i) => ({
    params: { ...params, NextToken: tokens[i] },
    response: i < responses.length - 1 ? { ...response, NextToken: tokens[i + 1] } : response,
  }));
}

function demo(): ServiceFixture {
  return {
    DescribeConfigRules: [{ response: { ConfigRules: [retention, trailOn] } }],
    DescribeComplianceByConfigRule: [
      {
        response: {
          ComplianceByConfigRules: [
            compliance(retention.ConfigRuleName, "NON_COMPLIANT"),
            compliance(trailOn.ConfigRuleName, "COMPLIANT"),
          ],
        },
      },
    ],
    GetComplianceDetailsByConfigRule: [
      {
        params: { ConfigRuleName: retention.ConfigRuleName },
        response: {
          EvaluationResults: [
            evaluation(retention.ConfigRuleName, "/aws/cloudtrail/main", "COMPLIANT"),
            evaluation(retention.ConfigRuleName, "/aws/lambda/scratch", "NON_COMPLIANT"),
          ],
        },
      },
      { params: { ConfigRuleName: trailOn.ConfigRuleName }, response: { EvaluationResults: [] } },
    ],
    DescribeConformancePacks: [{ response: { ConformancePackDetails: [pack] } }],
    GetConformancePackComplianceSummary: [
      {
        params: { ConformancePackNames: ["pci-dss"] },
        response: {
          ConformancePackComplianceSummaryList: [
            { ConformancePackName: "pci-dss", ConformancePackComplianceStatus: "NON_COMPLIANT" },
          ],
        },
      },
    ],
  };
}

describe("config_rule_compliance", () => {
  it("emits rules, compliance, per-resource evaluations and conformance pack compliance", async () => {
    const run = await runCollector(collector, { fixture: demo() });
    expect(run.error).toBeUndefined();
    expect(run.records).toHaveLength(1);
    const payload = run.records[0]!.payload;
    expect(payload).toEqual({
      rules: [retention, trailOn],
      compliance: [
        compliance(retention.ConfigRuleName, "NON_COMPLIANT"),
        compliance(trailOn.ConfigRuleName, "COMPLIANT"),
      ],
      evaluations: {
        [retention.ConfigRuleName]: [
          evaluation(retention.ConfigRuleName, "/aws/cloudtrail/main", "COMPLIANT"),
          evaluation(retention.ConfigRuleName, "/aws/lambda/scratch", "NON_COMPLIANT"),
        ],
        [trailOn.ConfigRuleName]: [],
      },
      conformancePacks: [pack],
      conformancePackCompliance: [
        { ConformancePackName: "pci-dss", ConformancePackComplianceStatus: "NON_COMPLIANT" },
      ],
    });
    expect(run.records[0]!.calls.every((c) => typeof c.requestId === "string")).toBe(true);
    // Evaluations ask for every outcome, not just the API default.
    expect(run.calls.find((c) => c.operation === "GetComplianceDetailsByConfigRule")!.params).toMatchObject({
      ComplianceTypes: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"],
    });
  });

  it("follows three pages of rules, compliance and evaluation results", async () => {
    const fixture: ServiceFixture = {
      ...demo(),
      DescribeConfigRules: threePages({}, [
        { ConfigRules: [retention] },
        { ConfigRules: [trailOn] },
        { ConfigRules: [mfa] },
      ]),
      DescribeComplianceByConfigRule: threePages({}, [
        { ComplianceByConfigRules: [compliance(retention.ConfigRuleName, "COMPLIANT")] },
        { ComplianceByConfigRules: [compliance(trailOn.ConfigRuleName, "COMPLIANT")] },
        { ComplianceByConfigRules: [compliance(mfa.ConfigRuleName, "NON_COMPLIANT")] },
      ]),
      GetComplianceDetailsByConfigRule: [
        ...threePages({ ConfigRuleName: mfa.ConfigRuleName }, [
          { EvaluationResults: [evaluation(mfa.ConfigRuleName, "a", "COMPLIANT")] },
          { EvaluationResults: [evaluation(mfa.ConfigRuleName, "b", "NON_COMPLIANT")] },
          { EvaluationResults: [evaluation(mfa.ConfigRuleName, "c", "COMPLIANT")] },
        ]),
        { response: { EvaluationResults: [] } },
      ],
    };
    const run = await runCollector(collector, { fixture });
    expect(run.error).toBeUndefined();
    const payload = run.records[0]!.payload as {
      rules: { ConfigRuleName: string }[];
      compliance: unknown[];
      evaluations: Record<
        string,
        { EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceId: string } } }[]
      >;
    };
    expect(payload.rules.map((r) => r.ConfigRuleName)).toEqual(
      [retention, trailOn, mfa].map((r) => r.ConfigRuleName),
    );
    expect(payload.compliance).toHaveLength(3);
    expect(
      payload.evaluations[mfa.ConfigRuleName]!.map(
        (e) => e.EvaluationResultIdentifier.EvaluationResultQualifier.ResourceId,
      ),
    ).toEqual(["a", "b", "c"]);
    const calls = run.records[0]!.calls;
    expect(calls.filter((c) => c.operation === "DescribeConfigRules")).toHaveLength(3);
    expect(calls.filter((c) => c.operation === "GetComplianceDetailsByConfigRule")).toHaveLength(5);
  });

  it("limits every rule call to the configured rule names", async () => {
    const run = await runCollector(collector, {
      fixture: demo(),
      options: { ruleNames: [retention.ConfigRuleName] },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.find((c) => c.operation === "DescribeConfigRules")!.params).toEqual({
      ConfigRuleNames: [retention.ConfigRuleName],
    });
    expect(run.calls.find((c) => c.operation === "DescribeComplianceByConfigRule")!.params).toEqual({
      ConfigRuleNames: [retention.ConfigRuleName],
    });
  });

  it("rejects an unknown option by name", () => {
    expect(() => collector.optionsSchema!.parse({ rules: ["x"] })).toThrow(/rules/);
  });

  it("emits empty lists for a region without rules or packs and makes no per-rule calls", async () => {
    const run = await runCollector(collector, {
      fixture: {
        DescribeConfigRules: [{ response: { ConfigRules: [] } }],
        DescribeComplianceByConfigRule: [{ response: { ComplianceByConfigRules: [] } }],
        DescribeConformancePacks: [{ response: { ConformancePackDetails: [] } }],
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([
      { rules: [], compliance: [], evaluations: {}, conformancePacks: [], conformancePackCompliance: [] },
    ]);
    expect(run.calls.map((c) => c.operation)).toEqual([
      "DescribeConfigRules",
      "DescribeComplianceByConfigRule",
      "DescribeConformancePacks",
    ]);
  });

  it("throws AccessDeniedException from a per-rule call and emits nothing partial", async () => {
    const fixture = demo();
    fixture.GetComplianceDetailsByConfigRule = [
      { params: { ConfigRuleName: retention.ConfigRuleName }, response: { EvaluationResults: [] } },
      { params: { ConfigRuleName: trailOn.ConfigRuleName }, error: { code: "AccessDeniedException" } },
    ];
    const run = await runCollector(collector, { fixture });
    expect(run.error).toMatchObject({
      name: "AccessDeniedException",
      operation: "GetComplianceDetailsByConfigRule",
    });
    expect(run.records).toEqual([]);
  });

  it("retries throttling and then succeeds", async () => {
    const fixture = demo();
    fixture.DescribeConfigRules = [
      { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
      { response: { ConfigRules: [retention, trailOn] } },
    ];
    const run = await runCollector(collector, { fixture, maxAttempts: 3 });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.operation === "DescribeConfigRules")).toHaveLength(3);
    expect((run.records[0]!.payload as { rules: unknown[] }).rules).toEqual([retention, trailOn]);
  });
});
