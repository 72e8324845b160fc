import type { FindingsView, ResourceFinding, Status } from "../evaluate/types.js";
import type { ReportModel } from "./model.js";
import { writeChunks } from "./stream-file.js";

/**
 * findings.ocsf.jsonl: one OCSF Compliance Finding (class_uid 2003, category Findings) per resource
 * finding, one JSON object per line. Every attribute the class requires (with the finding and base
 * event classes it extends, and the objects they require) is set; see test/report/ocsf-required.json
 * for the list and the ocsf-schema commits it was read from.
 */

export const OCSF_VERSION = "1.3.0";
export const COMPLIANCE_FINDING = { category_uid: 2, class_uid: 2003 } as const;
const ACTIVITY_CREATE = 1;

/** compliance.status_id: 1 Pass, 2 Warning (no result for lack of information), 3 Fail, 99 Other. */
const COMPLIANCE_STATUS: Record<Status, { id: number; name: string }> = {
  PASS: { id: 1, name: "Pass" },
  FAIL: { id: 3, name: "Fail" },
  ERROR: { id: 2, name: "Warning" },
  NOT_COVERED: { id: 2, name: "Warning" },
  MANUAL: { id: 2, name: "Warning" },
  NOT_APPLICABLE: { id: 99, name: "Not applicable" },
};

/** severity_id: 1 Informational, 3 Medium, 4 High. A failing PCI DSS control is High. */
const SEVERITY: Record<Status, { id: number; name: string }> = {
  PASS: { id: 1, name: "Informational" },
  NOT_APPLICABLE: { id: 1, name: "Informational" },
  MANUAL: { id: 1, name: "Informational" },
  ERROR: { id: 3, name: "Medium" },
  NOT_COVERED: { id: 3, name: "Medium" },
  FAIL: { id: 4, name: "High" },
};

function complianceStatus(status: string): { id: number; name: string } {
  return COMPLIANCE_STATUS[status as Status] ?? { id: 99, name: status };
}

function severity(status: string): { id: number; name: string } {
  return SEVERITY[status as Status] ?? { id: 0, name: "Unknown" };
}

export function ocsfRecord(
  model: ReportModel,
  requirement: { id: string; title: string },
  checkId: string,
  f: ResourceFinding,
): Record<string, unknown> {
  // The assessed status: a waived failure is still a failure, shown as suppressed.
  const assessed = f.waiver?.originalStatus ?? f.status;
  const compliance = complianceStatus(assessed);
  const sev = severity(f.waiver ? "PASS" : assessed);
  const time = Date.parse(model.generatedAt);
  const standard = `${model.framework.name} v${model.framework.version}`;
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: "Create",
    category_uid: COMPLIANCE_FINDING.category_uid,
    category_name: "Findings",
    class_uid: COMPLIANCE_FINDING.class_uid,
    class_name: "Compliance Finding",
    type_uid: COMPLIANCE_FINDING.class_uid * 100 + ACTIVITY_CREATE,
    type_name: "Compliance Finding: Create",
    severity_id: sev.id,
    severity: sev.name,
    time,
    start_time: Date.parse(model.period.start),
    end_time: Date.parse(model.period.end),
    message: f.reason,
    ...(f.waiver ? { status_id: 3, status: "Suppressed" } : {}),
    metadata: {
      version: OCSF_VERSION,
      product: { name: "auditpack", vendor_name: "auditpack", version: model.toolVersion },
      profiles: ["cloud"],
      uid: model.reportId,
      ...(model.demonstration ? { labels: ["demonstration-data"] } : {}),
    },
    finding_info: {
      uid: `${model.reportId}:${requirement.id}:${checkId}:${f.resource}`,
      title: `${requirement.id} ${checkId}: ${f.resource}`,
      desc: requirement.title,
      created_time: time,
      types: ["Compliance"],
    },
    compliance: {
      standards: [standard],
      requirements: [requirement.id],
      control: checkId,
      status_id: compliance.id,
      status: compliance.name,
      status_code: assessed,
      status_detail: f.waiver ? `${f.reason} (waiver ${f.waiver.id}: ${f.waiver.reason})` : f.reason,
    },
    cloud: { provider: "AWS", account: { uid: f.account }, region: f.region },
    resources: [
      { uid: f.resource, ...(f.name ? { name: f.name } : {}), region: f.region, cloud_partition: "aws" },
    ],
    unmapped: {
      auditpack_status: f.status,
      evidence: f.evidence.map((e) => ({ key: e.key, sha256: e.sha256 })),
      intervals: f.intervals.length,
    },
  };
}

function* lines(findings: FindingsView, model: ReportModel): Generator<string> {
  for (const req of findings.requirements)
    for (const check of req.checks)
      for (const f of check.findings) yield `${JSON.stringify(ocsfRecord(model, req, check.id, f))}\n`;
}

export async function writeOcsf(findings: FindingsView, model: ReportModel, file: string): Promise<void> {
  await writeChunks(file, lines(findings, model));
}
