import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import type { FindingsView } from "../../evaluate/types.js";
import { type WeeklyDrift, weeklyDrift } from "../drift.js";
import type { ReportModel, RequirementSection } from "../model.js";
import { type OpenProblem, openProblems, problemsByCheck } from "../problems.js";
import { certificateRow } from "./attestation.js";
import { countsTable, periodText } from "./auditor.js";
import { coverageSummary } from "./coverage.js";
import { day, Kit, mix, mono } from "./kit.js";

/**
 * summary.pdf for customers: scope and what was not assessed, results by requirement in the
 * standard's vocabulary, the distinct problems open at period end, a drift picture, attestation
 * and how to verify. Bounded by construction (at most MAX_PROBLEM_ROWS problem rows, one line per
 * requirement), so it stays within its page budget at any number of accounts.
 */

const MAX_PROBLEM_ROWS = 30;
const MAX_CHECK_ROWS = 40;

/** PCI DSS Report on Compliance terms for our statuses. */
const PCI_VOCABULARY: Record<string, string> = {
  PASS: "In Place",
  FAIL: "Not in Place",
  NOT_APPLICABLE: "Not Applicable",
  MANUAL: "Not Tested (manual)",
  ERROR: "Not Tested (unreadable)",
  NOT_COVERED: "Not Tested (not covered)",
};

export function resultTerm(model: ReportModel, status: string): string {
  if (model.framework.id.startsWith("pci-dss")) return PCI_VOCABULARY[status] ?? status.replace(/_/g, " ");
  return status.replace(/_/g, " ");
}

export function customerDocument(model: ReportModel, findings: FindingsView): TDocumentDefinitions {
  const kit = new Kit(model);
  const sections = model.groups.flatMap((g) => g.requirements);
  const problems = openProblems(findings);
  return kit.frame(`${model.framework.name} v${model.framework.version} compliance summary`, [
    ...opening(kit, sections, problems),
    ...scope(kit, sections),
    ...coverageSummary(kit),
    ...results(kit, sections),
    ...openProblemsSection(kit, problems),
    ...driftSection(kit, weeklyDrift(findings)),
    kit.h1("Attestation", true, false),
    ...kit.paragraphs(model.text.attestation),
    kit.h1("How to verify this summary", false, false),
    ...kit.verification(),
    kit.note(
      "The assessor's report (report.pdf), the workbook (report.xlsx), the HTML view and the OSCAL and OCSF files carry every finding, interval and evidence record behind this summary.",
    ),
  ]);
}

function opening(kit: Kit, sections: RequirementSection[], problems: OpenProblem[]): Content[] {
  const model = kit.model;
  const counts = model.summary.requirementCounts;
  const automated = sections.filter((s) => s.checks.length > 0);
  const passing = automated.filter((s) => s.status === "PASS").length;
  const failing = automated.filter((s) => s.status === "FAIL").length;
  return [
    { text: model.organisation, style: "coverOrg", margin: [0, 10, 0, 4] },
    { text: `${model.framework.name} v${model.framework.version} compliance summary`, style: "coverTitle" },
    { text: periodText(model), style: "coverSub" },
    ...kit.demonstrationBox(),
    kit.facts(
      [
        ["Accounts", model.scope.accounts.join(", ") || "(none)"],
        ["Regions", model.scope.regions.join(", ") || "(none)"],
        ["Report id", model.reportId],
        ["Generated at", `${model.generatedAt} by auditpack ${model.toolVersion}`],
        certificateRow(model),
      ],
      [0, 14, 0, 10],
    ),
    { text: "At a glance", style: "h2" },
    {
      text: `${passing} of ${automated.length} automatically checked requirement(s) were ${resultTerm(model, "PASS")} for the whole period; ${failing} were ${resultTerm(model, "FAIL")} at some point. ${problems.length} distinct problem(s) were still open on ${day(new Date(Date.parse(model.period.end) - 1).toISOString())}. ${counts.MANUAL ?? 0} requirement(s) need manual evidence.`,
      margin: [0, 0, 0, 6],
    },
    countsTable(kit),
  ];
}

function scope(kit: Kit, sections: RequirementSection[]): Content[] {
  const model = kit.model;
  const principal = new Set(model.groups.map((g) => g.id));
  const manual = sections.filter((s) => s.status === "MANUAL").map((s) => s.id);
  const errors = sections.filter((s) => s.status === "ERROR").map((s) => s.id);
  const notCovered = sections.filter((s) => s.status === "NOT_COVERED").map((s) => s.id);
  const notApplicable = sections.filter((s) => s.status === "NOT_APPLICABLE").map((s) => s.id);
  const item = (label: string, ids: string[], why: string): Content => ({
    text: [{ text: `${label}: `, bold: true }, ids.length > 0 ? `${ids.join(", ")}. ${why}` : "none."],
    margin: [0, 0, 0, 4],
  });
  return [
    { text: "Scope and what was not assessed", style: "h2" },
    {
      text: `auditpack read the AWS control plane of ${model.scope.accounts.length} account(s) in ${model.scope.regions.length} region(s) over ${model.period.label} and covered ${sections.length} requirement(s) of ${model.framework.name} v${model.framework.version} under principal requirement(s) ${[...principal].join(", ")}, ${sections.filter((s) => s.checks.length > 0).length} of them with automated checks.`,
      margin: [0, 0, 0, 6],
    },
    item(
      "Principal requirements not in scope",
      ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"].filter(
        (id) => model.framework.id.startsWith("pci-dss") && !principal.has(id),
      ),
      "This summary makes no statement about them.",
    ),
    item(
      "Assessed manually, not by auditpack",
      manual,
      "These depend on documents, interviews or systems outside the AWS APIs; their status rests on the evidence attached to them.",
    ),
    item(
      "Not assessed: evidence could not be read",
      errors,
      "Access was denied, a call was throttled or a page of results failed.",
    ),
    item(
      "Not covered for part of the period",
      notCovered,
      "No evidence exists for part of the period: auditpack was not yet collecting and AWS keeps no history of those settings (see How the period is known).",
    ),
    item("Not applicable", notApplicable, "No resource in scope is of the kind these requirements cover."),
  ];
}

function results(kit: Kit, sections: RequirementSection[]): Content[] {
  const model = kit.model;
  return [
    kit.h1("Results by requirement", true, false),
    kit.note(
      `Results in the standard's terms: ${["PASS", "FAIL", "NOT_APPLICABLE", "MANUAL", "ERROR", "NOT_COVERED"].map((s) => `${resultTerm(model, s)} = auditpack ${s.replace(/_/g, " ")}`).join("; ")}. Failing days: days with an unwaived failure.`,
    ),
    kit.table({
      widths: [48, "*", 110, 40],
      header: ["Requirement", "Title", "Result", "Failing days"],
      rows: () =>
        sections.map((s) => [
          { text: s.id, bold: true },
          { text: s.title },
          { text: resultTerm(model, s.status), bold: true, color: kit.colour(s.status) },
          { text: s.failingDays > 0 ? String(s.failingDays) : "", alignment: "right" },
        ]),
    }),
  ];
}

function openProblemsSection(kit: Kit, problems: OpenProblem[]): Content[] {
  const model = kit.model;
  const end = day(new Date(Date.parse(model.period.end) - 1).toISOString());
  if (problems.length === 0) {
    return [
      kit.h1("Problems open at period end", true, false),
      { text: `No automated check was failing on ${end}.` },
    ];
  }
  const byCheck = problemsByCheck(problems);
  const shown = problems.slice(0, MAX_PROBLEM_ROWS);
  return [
    kit.h1("Problems open at period end", true, false),
    {
      text: `${problems.length} distinct problem(s) (a check failing on one resource, however many requirements it serves) were open on ${end}, from ${byCheck.length} check(s). Waived findings are not counted.`,
      margin: [0, 0, 0, 4],
    },
    kit.table({
      title: "By check",
      widths: ["*", 60, 150],
      header: ["Check", "Open on", "Requirements"],
      rows: (w) =>
        byCheck
          .slice(0, MAX_CHECK_ROWS)
          .map((c) => [
            mono(c.checkId, w[0]!),
            { text: `${c.count} resource(s)`, alignment: "right" },
            { text: c.requirements.join(", ") },
          ]),
    }),
    ...(byCheck.length > MAX_CHECK_ROWS
      ? [kit.note(`${byCheck.length - MAX_CHECK_ROWS} more check(s) are in report.xlsx and report.html.`)]
      : []),
    kit.table({
      title: shown.length < problems.length ? `The ${shown.length} longest open` : "Each problem",
      widths: ["*", 62, 55, 58, 110],
      header: ["Resource and check", "Account / region", "Status", "Open since (UTC)", "Reason"],
      rows: (w) =>
        shown.map((p) => [
          { text: [mono(`${p.resource}\n`, w[0]!), { ...mono(p.checkId, w[0]!), color: kit.c.muted }] },
          { text: `${p.account}\n${p.region}`, fontSize: 7 },
          kit.status(p.status),
          { text: day(p.since), fontSize: 7 },
          { text: `${p.reason} (${p.requirements.join(", ")})`, fontSize: 7 },
        ]),
    }),
    ...(shown.length < problems.length
      ? [
          kit.note(
            `${problems.length - shown.length} more open problem(s) are listed in report.xlsx and report.html.`,
          ),
        ]
      : []),
  ];
}

/** A weekly heat map: failing resources per requirement and week, shaded by the share failing. */
function driftSection(kit: Kit, drift: WeeklyDrift): Content[] {
  const intro: Content[] = [
    kit.h1("Drift across the period", true, false),
    {
      text: "Failing resources per requirement and week (unwaived FAIL or ERROR at any time that week), out of the resources the requirement covers. The darker the cell, the larger the share failing; a falling number is a fix taking effect.",
      margin: [0, 0, 0, 4],
    },
  ];
  if (drift.rows.length === 0 || drift.weeks.length === 0)
    return [...intro, { text: "No automated check in scope." }];
  const fail = kit.colour("FAIL");
  const pass = kit.colour("PASS");
  return [
    ...intro,
    kit.table({
      widths: [44, 30, ...drift.weeks.map(() => "*" as const)],
      header: ["Req.", "Of", ...drift.weeks.map((w) => w.slice(5))],
      rows: () =>
        drift.rows.map((r) => [
          { text: r.requirementId, bold: true, fontSize: 7 },
          { text: String(r.resources), fontSize: 7, color: kit.c.muted },
          ...r.failing.map((n) => ({
            text: n > 0 ? String(n) : "",
            alignment: "center" as const,
            fontSize: 7,
            bold: n > 0,
            color: n > 0 && n / Math.max(1, r.resources) > 0.4 ? "#FFFFFF" : kit.c.text,
            fillColor: n > 0 ? mix(fail, n / Math.max(1, r.resources)) : mix(pass, 0.18),
          })),
        ]),
    }),
    kit.note(
      "Requirements assessed only manually have no weekly status and are left out. Week columns are labelled by their first day (MM-DD, UTC).",
    ),
  ];
}
