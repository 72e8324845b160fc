import type { Content, TableCell, TDocumentDefinitions } from "pdfmake/interfaces.js";
import { duration } from "../../evaluate/intervals.js";
import type { Status } from "../../evaluate/types.js";
import { type FindingRow, lastDayOf, type ReportModel, type RequirementSection } from "../model.js";
import { EvidenceReferences } from "../references.js";
import { attestationPage, coverAttestationRows } from "./attestation.js";
import { coverageMethodology } from "./coverage.js";
import { CONTENT_WIDTH, day, Kit, mono, time } from "./kit.js";

/**
 * The assessor's report.pdf: cover, contents, executive summary, one section per requirement
 * (population, method, result strip, failing intervals, findings, waivers, attachments) and the
 * appendices. Evidence is cited by E-number: the index with keys and SHA-256 is in report.xlsx
 * (sheet Evidence) and report.html, never printed as hash lists here. One builder per section.
 */

const COUNT_STATUSES: Status[] = ["PASS", "FAIL", "ERROR", "NOT_COVERED", "MANUAL", "NOT_APPLICABLE"];
/** Longest E-number list printed for one requirement; the rest are counted. */
const MAX_REF_TEXT = 600;

export function auditorDocument(model: ReportModel): TDocumentDefinitions {
  const kit = new Kit(model);
  const refs = new EvidenceReferences(model.evidenceIndex);
  return kit.frame(model.title, [
    ...cover(kit),
    ...attestationPage(kit),
    { toc: { title: { text: "Contents", style: "h1" }, numberStyle: { bold: true } }, pageBreak: "before" },
    { text: "", pageBreak: "after" },
    ...executiveSummary(kit),
    ...model.groups.flatMap((group) => [
      kit.h1(`Requirement ${group.id}: ${group.title}`, true),
      ...group.requirements.flatMap((s) => requirementSection(kit, refs, s)),
    ]),
    ...appendices(kit),
  ]);
}

export function periodText(model: ReportModel): string {
  return `${model.period.label} (${day(model.period.start)} to ${lastDayOf(model.period.end)})`;
}

function cover(kit: Kit): Content[] {
  const model = kit.model;
  return [
    ...(model.logo
      ? [
          {
            image: `data:image/${model.logo.format};base64,${model.logo.data.toString("base64")}`,
            fit: [160, 60],
            margin: [0, 0, 0, 20],
          } as Content,
        ]
      : []),
    { text: model.organisation, style: "coverOrg", margin: [0, 60, 0, 6] },
    { text: model.title, style: "coverTitle" },
    {
      text: `${model.framework.name} version ${model.framework.version}: assessor's report`,
      style: "coverSub",
    },
    ...kit.demonstrationBox(),
    kit.facts([
      ["Organisation", model.organisation],
      ["Framework", `${model.framework.name} v${model.framework.version} (${model.framework.id})`],
      ["Requirements in scope", model.requirementsInScope.join(", ")],
      ["Period", periodText(model)],
      ["Accounts", model.scope.accounts.join(", ") || "(none)"],
      ["Regions", model.scope.regions.join(", ") || "(none)"],
      ["Generated at", model.generatedAt],
      ["Tool version", `auditpack ${model.toolVersion}`],
      ["Report id", model.reportId],
      ...coverAttestationRows(model),
    ]),
    { text: model.branding.confidentiality, style: "note", margin: [0, 40, 0, 0] },
  ];
}

export function countsTable(kit: Kit): Content {
  const model = kit.model;
  const counts = (record: Record<string, number>): TableCell[] =>
    COUNT_STATUSES.map((s) => ({
      text: String(record[s] ?? 0),
      alignment: "center",
      bold: true,
      color: kit.colour(s),
    }));
  return kit.table({
    widths: [110, "*", "*", "*", "*", "*", "*"],
    header: ["", ...COUNT_STATUSES.map((s) => s.replace(/_/g, " "))],
    rows: () => [
      [{ text: "Requirements", bold: true }, ...counts(model.summary.requirementCounts)],
      [{ text: "Resource findings", bold: true }, ...counts(model.summary.findingCounts)],
    ],
  });
}

/**
 * Results by account, worst first, up to the table cap (issue 11): at 500 accounts the summary still
 * fits a few pages, and report.xlsx (sheet Accounts) holds every account.
 */
function accountsTable(kit: Kit): Content[] {
  const all = kit.model.accounts;
  if (all.length < 2) return [];
  const rows = all.slice(0, kit.model.rowsPerTable);
  const statuses: Status[] = ["FAIL", "ERROR", "NOT_COVERED", "PASS"];
  return [
    kit.table({
      title: `Results by account (${all.length}), most failing time first`,
      widths: [70, 28, 32, 42, 28, 42, 52, "*"],
      header: [
        "Account",
        ...statuses.map((s) => s.replace(/_/g, " ")),
        "Failing intervals",
        "Failing, summed over resources",
        "Worst resources (check, time failing)",
      ],
      rows: (widths) =>
        rows.map((a) => [
          mono(a.account, widths[0]!),
          ...statuses.map(
            (s): TableCell => ({
              text: String(a.counts[s]),
              alignment: "center",
              color: kit.colour(s),
              bold: a.counts[s] > 0,
            }),
          ),
          { text: String(a.failingIntervals), alignment: "center" },
          { text: a.failingSeconds > 0 ? duration(a.failingSeconds * 1000) : "-", fontSize: 7.5 },
          {
            text:
              a.worst
                .map((w) => `${w.name ?? w.resource} (${w.checkId}, ${duration(w.failingSeconds * 1000)})`)
                .join("\n") || "-",
            fontSize: 7,
          },
        ]),
    }),
    ...cappedNote(kit, { rows, total: all.length }, "Accounts"),
  ];
}

/** One drift strip per requirement, with its status and failing days. */
export function driftPicture(kit: Kit, sections: RequirementSection[]): Content[] {
  const stripWidth = CONTENT_WIDTH - 150;
  return [
    kit.keep(
      { text: "Status across the period", style: "h2" },
      {
        text: "One line per requirement, day by day: the thin line is its status; a full-height block marks days with a failure (or a waived one); a tick marks each change.",
        style: "note",
        margin: [0, 0, 0, 4],
      },
      kit.legend(),
      { columns: [{ text: "", width: 150 }, kit.monthAxis(stripWidth)], columnGap: 0 },
    ),
    ...sections.map(
      (s): Content => ({
        columns: [
          { text: s.id, width: 50, bold: true, fontSize: 8 },
          { ...(kit.status(s.status) as object), width: 62, fontSize: 7 } as Content,
          { text: s.failingDays > 0 ? `${s.failingDays} d` : "", width: 38, fontSize: 7, color: kit.c.muted },
          kit.driftStrip(s.strip, stripWidth, 8),
        ],
        columnGap: 0,
        margin: [0, 1.5, 0, 1.5],
      }),
    ),
  ];
}

function executiveSummary(kit: Kit): Content[] {
  const model = kit.model;
  return [
    kit.h1("Executive summary"),
    ...kit.paragraphs(model.text.introduction),
    countsTable(kit),
    ...accountsTable(kit),
    ...(model.coverage.rows.length > 0
      ? [
          {
            text: `How the period is known: ${model.coverage.statement} Per account and region in Appendix B.`,
            margin: [0, 0, 0, 4],
          } as Content,
        ]
      : []),
    kit.note(
      `${model.summary.waivedFindings} finding(s) are covered by waivers and shown as waived. ${model.summary.findingRows} finding rows (resource, check and interval) are in report.xlsx and report.html; ${model.evidenceIndex.length} evidence records are cited as E1 to E${model.evidenceIndex.length}.`,
    ),
    ...driftPicture(
      kit,
      model.groups.flatMap((g) => g.requirements),
    ),
  ];
}

function requirementSection(kit: Kit, refs: EvidenceReferences, s: RequirementSection): Content[] {
  const title: Content = {
    text: [{ text: `${s.id}  ${s.title}  ` }, { ...(kit.status(s.status) as object) } as never],
    style: "h2",
    tocItem: true,
    tocStyle: { fontSize: 9 },
    tocMargin: [12, 0, 0, 0],
  } as Content;
  const out: Content[] = [];
  let opening: Content[] = [title];
  // The title is kept with whatever comes first, so it never ends a page on its own.
  const push = (block: Content[]) => {
    if (opening.length > 0) {
      out.push(kit.keep(...opening, ...block.slice(0, 1)), ...block.slice(1));
      opening = [];
    } else out.push(...block);
  };
  for (const section of kit.model.sections) {
    const block = sectionBlock(kit, refs, s, section);
    if (block.length > 0) push(block);
  }
  if (opening.length > 0) out.push(kit.keep(...opening));
  out.push({ text: "", margin: [0, 0, 0, 8] });
  return out;
}

function sectionBlock(
  kit: Kit,
  refs: EvidenceReferences,
  s: RequirementSection,
  section: ReportModel["sections"][number],
): Content[] {
  switch (section) {
    case "asks":
      return [
        kit.keep(
          kit.h3("What it asks"),
          { text: s.asks, margin: [0, 0, 0, 2] },
          ...(s.crosswalk.length > 0 ? [kit.note(`Also maps to: ${s.crosswalk.join(", ")}`)] : []),
        ),
      ];
    case "tested":
      return tested(kit, s);
    case "result":
      return result(kit, refs, s);
    case "findings":
      return findingsBlock(kit, s);
    case "waivers":
      return waivers(kit, s);
    case "attachments":
      return attachments(kit, refs, s);
    case "evidence":
      return evidence(kit, refs, s);
  }
}

function tested(kit: Kit, s: RequirementSection): Content[] {
  const out: Content[] = [];
  const population = s.checks.reduce((n, c) => n + c.resources, 0);
  if (s.manual) {
    out.push(
      kit.keep(
        kit.h3("How it is assessed"),
        { text: [{ text: "Manual requirement. ", bold: true }, s.manual.rationale] },
        ...(s.manual.evidenceHint ? [kit.note(`Evidence to attach: ${s.manual.evidenceHint}`)] : []),
      ),
    );
  }
  if (s.checks.length > 0) {
    out.push(
      kit.table({
        title: `How auditpack tested it: ${s.checks.length} check(s) over ${population} resource(s)`,
        widths: [135, "*", 80, 60, 45],
        header: ["Check", "What it verifies; parameters", "Evidence from", "Status", "Failing"],
        rows: (w) =>
          s.checks.map((ch) => [
            mono(ch.id, w[0]!),
            {
              text: [
                ch.title ?? ch.description ?? "",
                ch.parameters
                  ? { text: `${ch.title ? "\n" : ""}Parameters: ${ch.parameters}`, italics: true }
                  : "",
              ],
            },
            mono(ch.collectors.join(", ") || "(no evidence)", w[2]!),
            kit.status(ch.status),
            { text: `${ch.failing} of ${ch.resources}`, alignment: "right" },
          ]),
      }),
    );
  }
  return out;
}

function result(kit: Kit, refs: EvidenceReferences, s: RequirementSection): Content[] {
  if (s.checks.length === 0 && s.failingDays === 0 && s.status === "MANUAL") return [];
  const out: Content[] = [
    kit.keep(
      kit.h3("Result over the period"),
      kit.driftStrip(s.strip, CONTENT_WIDTH, 10),
      kit.monthAxis(CONTENT_WIDTH),
      {
        text:
          s.failingIntervals.total === 0
            ? "No failing interval in the period."
            : `${s.failingIntervals.total} failing interval(s); ${s.failingDays} day(s) with an unwaived failure.`,
        margin: [0, 4, 0, 2],
      },
    ),
  ];
  if (s.failingIntervals.rows.length > 0) {
    out.push(intervalTable(kit, refs, s.failingIntervals.rows));
    out.push(...cappedNote(kit, s.failingIntervals, "Findings"));
  }
  return out;
}

function intervalTable(kit: Kit, refs: EvidenceReferences, rows: FindingRow[]): Content {
  return kit.table({
    title: "Failing intervals",
    widths: ["*", 58, 58, 52, 95, 55],
    header: ["Resource and check", "From (UTC)", "To (UTC)", "Status", "Reason", "Evidence"],
    rows: (w) =>
      rows.map((r) => [
        { text: [mono(`${r.resource}\n`, w[0]!), { ...mono(r.checkId, w[0]!), color: kit.c.muted }] },
        { text: time(r.start), fontSize: 7 },
        { text: time(r.end), fontSize: 7 },
        kit.status(r.status, r.waived),
        { text: r.reason, fontSize: 7 },
        { text: clip(refs.refs(r.evidence.map((e) => e.key)), 120), fontSize: 7 },
      ]),
  });
}

function findingsBlock(kit: Kit, s: RequirementSection): Content[] {
  if (s.findings.total === 0) {
    if (s.manual) return [];
    return [kit.keep(kit.h3("Findings by resource"), { text: "No resource in scope." })];
  }
  const shown = s.findings.rows.filter((f) => f.status === "FAIL" || f.status === "ERROR" || f.waiverId);
  const passing = s.checks.reduce((n, c) => n + c.resources, 0) - s.checks.reduce((n, c) => n + c.failing, 0);
  const passNote = kit.note(
    `${s.findings.total} resource finding(s); passing and not-applicable ones are listed in report.xlsx (sheet Findings) and report.html.`,
  );
  if (shown.length === 0) {
    return [
      kit.keep(
        kit.h3("Findings by resource"),
        { text: `No resource finding failed (${passing} passed or were not applicable).` },
        passNote,
      ),
    ];
  }
  return [
    kit.table({
      title: "Findings by resource (not passing)",
      widths: ["*", 62, 55, 130],
      header: ["Resource and check", "Account / region", "Status", "Reason"],
      rows: (w) =>
        shown.map((f) => [
          { text: [mono(`${f.resource}\n`, w[0]!), { ...mono(f.checkId, w[0]!), color: kit.c.muted }] },
          { text: `${f.account}\n${f.region}`, fontSize: 7 },
          f.waivedStatus
            ? { text: `WAIVED (was ${f.waivedStatus})`, bold: true, color: kit.colour("WAIVED") }
            : kit.status(f.status),
          { text: f.waiverId ? `${f.reason} (waiver ${f.waiverId})` : f.reason, fontSize: 7 },
        ]),
    }),
    passNote,
  ];
}

function waivers(kit: Kit, s: RequirementSection): Content[] {
  if (s.waivers.total === 0) return [];
  return [
    kit.table({
      title: "Waivers",
      widths: [55, "*", 55, 80, 55],
      header: ["Waiver", "Resource and reason", "Was", "Approver", "Expires"],
      rows: (cw) =>
        s.waivers.rows.map((w) => [
          { text: w.id, bold: true },
          { text: [mono(`${w.resource}\n`, cw[1]!), w.reason] },
          kit.status(w.originalStatus),
          w.approver,
          w.expires,
        ]),
    }),
    ...cappedNote(kit, s.waivers, "Waivers"),
  ];
}

function attachments(kit: Kit, refs: EvidenceReferences, s: RequirementSection): Content[] {
  if (s.attachments.length === 0) {
    return s.manual ? [kit.keep(kit.h3("Attached evidence"), { text: "Nothing attached.", bold: true })] : [];
  }
  return [
    kit.table({
      title: "Attached evidence",
      widths: [110, "*", 45, 90, 70],
      header: ["File", "Note", "Ref", "Attached by", "Valid"],
      rows: () =>
        s.attachments.map((a) => [
          { text: a.fileName },
          { text: a.note ?? "", fontSize: 7 },
          { text: refs.ref(a.key), bold: true },
          { text: `${a.attachedBy}\n${a.attachedAt}`, fontSize: 7 },
          { text: `${a.validFrom ?? ""} to ${a.validTo ?? ""}`, fontSize: 7 },
        ]),
    }),
  ];
}

function evidence(kit: Kit, refs: EvidenceReferences, s: RequirementSection): Content[] {
  if (s.citedKeys.length === 0) return [];
  return [
    kit.keep(kit.h3("Evidence"), {
      text: [
        `${s.citedKeys.length} record(s): `,
        { text: clip(refs.refs(s.citedKeys), MAX_REF_TEXT), bold: true },
        { text: "  (keys and SHA-256 in report.xlsx, sheet Evidence, and report.html)", style: "note" },
      ],
      fontSize: 7.5,
    }),
  ];
}

function cappedNote(kit: Kit, list: { rows: unknown[]; total: number }, sheet: string): Content[] {
  return list.total > list.rows.length
    ? [
        kit.note(
          `Showing ${list.rows.length} of ${list.total} rows; all rows are in report.xlsx, sheet ${sheet}.`,
        ),
      ]
    : [];
}

function appendices(kit: Kit): Content[] {
  const model = kit.model;
  const n = model.evidenceIndex.length;
  return [
    kit.h1("Appendix A: Evidence index", true),
    {
      text: `${n} evidence record(s) support this report, numbered E1 to E${n} in key order (account, region, collector, time). Each E-number resolves to one row of report.xlsx, sheet Evidence, and to one record of report.html, with its key, its SHA-256 and the requirements that cite it. Each record is canonical JSON; sha256sum on the record reproduces its SHA-256, and auditpack pull copies the records behind a requirement with the manifests and seals that prove them.`,
      margin: [0, 0, 0, 4],
    },
    kit.h1("Appendix B: Methodology", true),
    ...kit.paragraphs(model.text.methodology),
    ...coverageMethodology(kit),
    kit.keep(kit.h3("Attestation"), ...kit.paragraphs(model.text.attestation)),
    kit.h1("Appendix C: How to verify this package", true),
    ...kit.verification(),
  ];
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(",", max);
  const head = text.slice(0, cut > 0 ? cut : max);
  const rest = text.slice(head.length).split(",").length - 1;
  return `${head}, ... (${rest} more)`;
}
