import { arr, str } from "../../state/fields.js";
import { snapshotAdapter } from "../../state/snapshots.js";

/** One evaluation per rule and resource: its compliance type and annotation. */
export const state = snapshotAdapter(["config_rule_evaluation"], (r) => {
  const payload = r.record.payload;
  const rules = arr(payload, "rules");
  const evaluations = ((payload as { evaluations?: Record<string, unknown[]> })?.evaluations ?? {}) as Record<
    string,
    unknown[]
  >;
  for (const [ruleName, results] of Object.entries(evaluations)) {
    const rule = rules.find((x) => str(x, "ConfigRuleName") === ruleName);
    for (const result of results ?? []) {
      const q = ["EvaluationResultIdentifier", "EvaluationResultQualifier"];
      const resourceType = str(result, ...q, "ResourceType") ?? "(unknown type)";
      const resourceId = str(result, ...q, "ResourceId") ?? "(unknown resource)";
      const key = `${ruleName}|${resourceType}|${resourceId}`;
      r.observe("config_rule_evaluation", key, {
        ...r.base,
        id: key,
        name: `${resourceType} ${resourceId} (rule ${ruleName})`,
        ruleName,
        sourceIdentifier: str(rule, "Source", "SourceIdentifier"),
        resourceType,
        resourceId,
        complianceType: str(result, "ComplianceType") ?? "INSUFFICIENT_DATA",
        annotation: str(result, "Annotation"),
      });
    }
  }
});
