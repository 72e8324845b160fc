import {
  type ComplianceType,
  ConfigServiceClient,
  paginateDescribeComplianceByConfigRule,
  paginateDescribeConfigRules,
  paginateDescribeConformancePacks,
  paginateGetComplianceDetailsByConfigRule,
  paginateGetConformancePackComplianceSummary,
} from "@aws-sdk/client-config-service";
import { z } from "zod";
import { defineCollector } from "../define.js";
import { DAILY } from "../types.js";
import { CallLog, chunk, toEvidence } from "../util.js";
import { state } from "./config_rule_compliance.state.js";

const options = z
  .strictObject({
    /** Only these rules (default: every rule in the region). */
    ruleNames: z.array(z.string().min(1)).min(1).optional(),
  })
  .prefault({});
export type ConfigRuleComplianceOptions = z.output<typeof options>;

// API caps: DescribeConfigRules / DescribeComplianceByConfigRule take 25 names, the pack summary 5.
const RULE_NAMES_PER_CALL = 25;
const PACK_NAMES_PER_CALL = 5;
/** Every evaluation outcome a rule can report for a resource (the API cannot filter on INSUFFICIENT_DATA). */
const EVALUATION_TYPES: ComplianceType[] = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"];

/** Config rules, their compliance, per-resource evaluation results, and conformance packs. */
export const collector = defineCollector<ConfigRuleComplianceOptions>({
  id: "config_rule_compliance",
  service: "config",
  title: "AWS Config rule and conformance pack compliance",
  operations: [
    "DescribeConfigRules",
    "DescribeComplianceByConfigRule",
    "GetComplianceDetailsByConfigRule",
    "DescribeConformancePacks",
    "GetConformancePackComplianceSummary",
  ],
  cadence: "snapshot",
  schedule: DAILY,
  resourceTypes: ["config_rule_evaluation"],
  state,
  optionsSchema: options,
  async collect(ctx) {
    const client = ctx.client(ConfigServiceClient);
    const log = new CallLog("config", ctx.signal);
    const nameFilters = ctx.options.ruleNames
      ? chunk(ctx.options.ruleNames, RULE_NAMES_PER_CALL)
      : [undefined];

    const rules = [];
    const compliance = [];
    for (const names of nameFilters) {
      rules.push(
        ...(await log.all(
          "DescribeConfigRules",
          { ConfigRuleNames: names },
          (input, o) => paginateDescribeConfigRules({ client }, input, o),
          (page) => page.ConfigRules,
        )),
      );
      compliance.push(
        ...(await log.all(
          "DescribeComplianceByConfigRule",
          { ConfigRuleNames: names },
          (input, o) => paginateDescribeComplianceByConfigRule({ client }, input, o),
          (page) => page.ComplianceByConfigRules,
        )),
      );
    }

    const evaluations: [string, unknown[]][] = [];
    for (const [index, rule] of rules.entries()) {
      const name = rule.ConfigRuleName!;
      const results = await log.all(
        "GetComplianceDetailsByConfigRule",
        {
          ConfigRuleName: name,
          ComplianceTypes: EVALUATION_TYPES,
          Limit: 100,
        },
        (input, o) => paginateGetComplianceDetailsByConfigRule({ client }, input, o),
        (page) => page.EvaluationResults,
      );
      evaluations.push([name, toEvidence(results)]);
      ctx.progress(index + 1, rules.length);
    }

    const packs = await log.all(
      "DescribeConformancePacks",
      {},
      (input, o) => paginateDescribeConformancePacks({ client }, input, o),
      (page) => page.ConformancePackDetails,
    );
    const packCompliance = [];
    for (const names of chunk(
      packs.map((pack) => pack.ConformancePackName!),
      PACK_NAMES_PER_CALL,
    )) {
      packCompliance.push(
        ...(await log.all(
          "GetConformancePackComplianceSummary",
          { ConformancePackNames: names },
          (input, o) => paginateGetConformancePackComplianceSummary({ client }, input, o),
          (page) => page.ConformancePackComplianceSummaryList,
        )),
      );
    }

    await ctx.emit({
      payload: {
        rules: toEvidence(rules),
        compliance: toEvidence(compliance),
        // fromEntries defines own data properties, so any rule name is a safe key.
        evaluations: Object.fromEntries(evaluations),
        conformancePacks: toEvidence(packs),
        conformancePackCompliance: toEvidence(packCompliance),
      },
      calls: log.calls,
    });
  },
});
