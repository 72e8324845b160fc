import { createRequire } from "node:module";
import path from "node:path";
import pdfmake from "pdfmake";
import type { Content, ContentTable, TableCell, TDocumentDefinitions } from "pdfmake/interfaces.js";
import type { Status } from "../evaluate/types.js";
import {
  type Capped,
  DAY_STATUSES,
  type DayStatus,
  type FindingRow,
  lastDayOf,
  type ReportModel,
  type RequirementSection,
} from "./model.js";

/**
 * Renders the report model as a PDF with pdfmake: embedded Roboto (so text extracts cleanly), a
 * contents page with page numbers, a header and footer on every page, vector status strips, and
 * tables capped at the template's rowsPerTable with a note saying where the rest are.
 */

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve("pdfmake/package.json")), "fonts", "Roboto");
const FONTS = {
  Roboto: {
    normal: path.join(FONT_DIR, "Roboto-Regular.ttf"),
    bold: path.join(FONT_DIR, "Roboto-Medium.ttf"),
    italics: path.join(FONT_DIR, "Roboto-Italic.ttf"),
    bolditalics: path.join(FONT_DIR, "Roboto-MediumItalic.ttf"),
  },
};
const FONT_FILES = new Set(Object.values(FONTS.Roboto));

const PAGE_WIDTH = 595.28; // A4
const MARGIN_X = 40;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

let configured = false;
function configurePdfmake(): void {
  if (configured) return;
  pdfmake.setFonts(FONTS);
  // A report never loads anything from the network, and from disk only the bundled fonts.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((file) => FONT_FILES.has(file));
  configured = true;
}

export async function renderPdf(model: ReportModel): Promise<Buffer> {
  configurePdfmake();
  return pdfmake.createPdf(documentDefinition(model)).getBuffer();
}

const STATUS_LABEL: Record<DayStatus, string> = {
  PASS: "PASS",
  FAIL: "FAIL",
  ERROR: "ERROR",
  MANUAL: "MANUAL",
  NOT_APPLICABLE: "NOT APPLICABLE",
  WAIVED: "WAIVED",
  NO_DATA: "NO DATA",
};

export function documentDefinition(model: ReportModel): TDocumentDefinitions {
  const c = model.branding.colours;
  const statusColour = (s: DayStatus) => model.branding.status[s];
  const demo = model.demonstration;
  const periodText = `${model.period.label} (${day(model.period.start)} to ${lastDayOf(model.period.end)})`;

  const statusText = (s: Status, waived = false): Content => ({
    text: waived ? `${STATUS_LABEL[s]} (waived)` : STATUS_LABEL[s],
    bold: true,
    color: statusColour(waived ? "WAIVED" : s),
  });

  const cappedNote = (list: Capped<unknown>, sheet: string): Content[] =>
    list.total > list.rows.length
      ? [
          {
            text: `Showing ${list.rows.length} of ${list.total} rows; all rows are in report.xlsx, sheet ${sheet}.`,
            style: "note",
          },
        ]
      : [];

  /** A table; `rows` receives each column's width in points, so mono cells can wrap to it. */
  const table = (
    widths: Array<number | "*">,
    header: string[],
    rows: (columnWidths: number[]) => TableCell[][],
  ): ContentTable => {
    const resolved = resolveWidths(widths);
    return {
      table: {
        headerRows: 1,
        keepWithHeaderRows: 1,
        dontBreakRows: true,
        widths: resolved,
        body: [header.map((h) => ({ text: h, style: "th" })), ...rows(resolved)],
      },
      layout: {
        fillColor: (rowIndex: number) => (rowIndex === 0 ? c.tableHeader : null),
        hLineColor: () => c.rule,
        vLineWidth: () => 0,
        hLineWidth: (i: number) => (i === 0 ? 0 : 0.5),
        paddingTop: () => 2,
        paddingBottom: () => 2,
      },
      style: "table",
      margin: [0, 2, 0, 6],
    };
  };

  /** A day-by-day strip: one rect per run of equal days, so it stays crisp at any zoom. */
  const strip = (days: DayStatus[], width: number, height: number): Content => {
    if (days.length === 0) return { text: "(empty period)", style: "note" };
    const w = width / days.length;
    const rects: Array<Record<string, unknown>> = [];
    let runStart = 0;
    for (let i = 1; i <= days.length; i++) {
      if (i === days.length || days[i] !== days[runStart]) {
        rects.push({
          type: "rect",
          x: runStart * w,
          y: 0,
          w: (i - runStart) * w,
          h: height,
          color: statusColour(days[runStart]!),
        });
        runStart = i;
      }
    }
    return { canvas: rects, width } as unknown as Content;
  };

  const monthAxis = (width: number): Content => {
    const days = model.summary.days;
    const w = days.length > 0 ? width / days.length : 0;
    const columns: Content[] = [];
    let start = 0;
    for (let i = 1; i <= days.length; i++) {
      if (i === days.length || days[i]!.slice(0, 7) !== days[start]!.slice(0, 7)) {
        columns.push({ text: monthLabel(days[start]!), width: (i - start) * w, style: "axis" } as Content);
        start = i;
      }
    }
    return { columns, columnGap: 0, width } as unknown as Content;
  };

  const legend: Content = {
    columns: DAY_STATUSES.map(
      (s) =>
        ({
          width: "auto",
          columns: [
            { canvas: [{ type: "rect", x: 0, y: 1.5, w: 8, h: 6, color: statusColour(s) }], width: 11 },
            { text: STATUS_LABEL[s], style: "axis", width: "auto" },
          ],
          columnGap: 0,
        }) as unknown as Content,
    ),
    columnGap: 12,
    margin: [0, 4, 0, 8],
  };

  const paragraphsOf = (texts: string[]): Content[] => texts.map((t) => ({ text: t, margin: [0, 0, 0, 6] }));

  // --- cover ---
  const cover: Content[] = [];
  if (model.logo) {
    cover.push({
      image: `data:image/${model.logo.format};base64,${model.logo.data.toString("base64")}`,
      fit: [160, 60],
      margin: [0, 0, 0, 20],
    });
  }
  cover.push(
    { text: model.organisation, style: "coverOrg", margin: [0, 60, 0, 6] },
    { text: model.title, style: "coverTitle" },
    { text: `${model.framework.name} version ${model.framework.version}`, style: "coverSub" },
  );
  if (demo) {
    cover.push({
      table: {
        widths: ["*"],
        body: [
          [
            {
              text: [
                { text: `${demo.marking}\n`, bold: true, fontSize: 13 },
                {
                  text: `Built from recorded fixtures${demo.scenarios.length ? ` (scenario ${demo.scenarios.join(", ")})` : ""}. No finding in this report describes a real AWS account.`,
                  fontSize: 9,
                },
              ],
              color: c.demonstration,
              margin: [8, 6, 8, 6],
            },
          ],
        ],
      },
      layout: { hLineColor: () => c.demonstration, vLineColor: () => c.demonstration },
      margin: [0, 20, 0, 0],
    });
  }
  if (model.unverified) {
    // The warning section: which records the evaluation left out, and why (capped; findings.json has all).
    const u = model.unverified;
    const shown = u.records.slice(0, 40);
    cover.push({
      stack: [
        { text: `${u.marking}: ${u.ignored} record(s)`, bold: true, color: c.demonstration, fontSize: 11 },
        {
          text: "No verdict in this report uses them. Signed with --allow-unverified.",
          fontSize: 9,
          margin: [0, 2, 0, 4],
        },
        ...shown.map((r) => ({ text: `${r.key}: ${r.reason}`, fontSize: 7 }) as Content),
        ...(u.records.length > shown.length
          ? [
              {
                text: `... and ${u.records.length - shown.length} more (findings.json ledger.ignored)`,
                fontSize: 7,
              } as Content,
            ]
          : []),
      ],
      margin: [0, 14, 0, 0],
    });
  }
  cover.push({
    table: {
      widths: [130, "*"],
      body: [
        ["Organisation", model.organisation],
        ["Framework", `${model.framework.name} v${model.framework.version} (${model.framework.id})`],
        ["Requirements in scope", model.requirementsInScope.join(", ")],
        ["Period", periodText],
        ["Accounts", model.scope.accounts.join(", ") || "(none)"],
        ["Regions", model.scope.regions.join(", ") || "(none)"],
        ["Generated at", model.generatedAt],
        ["Tool version", `auditpack ${model.toolVersion}`],
        ["Report id", model.reportId],
      ].map(([k, v]) => [{ text: k!, bold: true, color: c.muted }, { text: v! }]),
    },
    layout: "noBorders",
    margin: [0, 30, 0, 0],
  });
  cover.push({ text: model.branding.confidentiality, style: "note", margin: [0, 40, 0, 0] });

  // --- executive summary ---
  const counts = (record: Record<Status, number>): TableCell[] =>
    (["PASS", "FAIL", "ERROR", "MANUAL", "NOT_APPLICABLE"] as Status[]).map((s) => ({
      text: String(record[s]),
      alignment: "center",
      bold: true,
      color: statusColour(s),
    }));
  const stripWidth = CONTENT_WIDTH - 130;
  const allSections = model.groups.flatMap((g) => g.requirements);
  const summary: Content[] = [
    heading("Executive summary", 1),
    ...paragraphsOf(model.text.introduction),
    table([110, "*", "*", "*", "*", "*"], ["", "PASS", "FAIL", "ERROR", "MANUAL", "NOT APPLICABLE"], () => [
      [{ text: "Requirements", bold: true }, ...counts(model.summary.requirementCounts)],
      [{ text: "Resource findings", bold: true }, ...counts(model.summary.findingCounts)],
    ]),
    {
      text: `${model.summary.waivedFindings} finding(s) are covered by waivers and shown as waived. ${model.summary.findingRows} finding rows (resource, check and interval) are in report.xlsx.`,
      style: "note",
    },
    heading("Status across the period", 2, false),
    {
      text: "Each strip shows one requirement day by day: the worst status any of its resources had that day.",
      style: "note",
      margin: [0, 0, 0, 4],
    },
    { columns: [{ text: "", width: 130 }, monthAxis(stripWidth)], columnGap: 0 },
    ...allSections.map(
      (s): Content => ({
        columns: [
          { text: s.id, width: 50, bold: true },
          { ...(statusText(s.status) as object), width: 80, fontSize: 8 } as Content,
          strip(s.strip, stripWidth, 10),
        ],
        columnGap: 0,
        margin: [0, 1, 0, 1],
      }),
    ),
    legend,
    table([50, "*", 70, 60], ["Requirement", "Title", "Status", "Failing days"], () =>
      allSections.map((s) => [
        { text: s.id, bold: true },
        s.title,
        statusText(s.status),
        { text: String(s.failingDays), alignment: "right" },
      ]),
    ),
  ];

  // --- requirement sections ---
  const body: Content[] = [];
  for (const group of model.groups) {
    body.push(heading(`Requirement ${group.id}: ${group.title}`, 1, true));
    for (const s of group.requirements) body.push(...requirementSection(s));
  }

  function requirementSection(s: RequirementSection): Content[] {
    const out: Content[] = [
      {
        text: [{ text: `${s.id}  ${s.title}  ` }, { ...(statusText(s.status) as object) } as never],
        style: "h2",
        tocItem: true,
        tocStyle: { fontSize: 9 },
        tocMargin: [12, 0, 0, 0],
      } as Content,
    ];
    for (const section of model.sections) {
      switch (section) {
        case "asks":
          out.push(subheading("What it asks"), { text: s.asks, margin: [0, 0, 0, 4] });
          if (s.crosswalk.length > 0)
            out.push({ text: `Also maps to: ${s.crosswalk.join(", ")}`, style: "note" });
          break;
        case "tested":
          out.push(subheading("How auditpack tested it"));
          if (s.manual) {
            out.push({ text: [{ text: "Manual requirement. ", bold: true }, s.manual.rationale] });
            if (s.manual.evidenceHint)
              out.push({ text: `Evidence to attach: ${s.manual.evidenceHint}`, style: "note" });
          }
          if (s.checks.length > 0) {
            out.push(
              table(
                [135, "*", 80, 60, 45],
                ["Check", "What it verifies; parameters", "Evidence from", "Status", "Failing"],
                (w) =>
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
                    statusText(ch.status),
                    { text: `${ch.failing} of ${ch.resources}`, alignment: "right" },
                  ]),
              ),
            );
          }
          break;
        case "result":
          out.push(subheading("Result over the period"));
          out.push(strip(s.strip, CONTENT_WIDTH, 12), monthAxis(CONTENT_WIDTH));
          out.push({
            text:
              s.failingIntervals.total === 0
                ? "No failing interval in the period."
                : `${s.failingIntervals.total} failing interval(s); ${s.failingDays} day(s) with an unwaived failure.`,
            margin: [0, 4, 0, 2],
          });
          if (s.failingIntervals.rows.length > 0) {
            out.push(intervalTable(s.failingIntervals.rows), ...cappedNote(s.failingIntervals, "Findings"));
          }
          break;
        case "findings":
          out.push(subheading("Findings by resource"));
          if (s.findings.total === 0) {
            out.push({
              text: s.manual ? "No automated findings (manual requirement)." : "No resource in scope.",
            });
            break;
          }
          out.push(
            table(["*", 62, 55, 130], ["Resource and check", "Account / region", "Status", "Reason"], (w) =>
              s.findings.rows.map((f) => [
                { text: [mono(`${f.resource}\n`, w[0]!), { ...mono(f.checkId, w[0]!), color: c.muted }] },
                { text: `${f.account}\n${f.region}`, fontSize: 7 },
                f.waivedStatus
                  ? { text: `WAIVED (was ${f.waivedStatus})`, bold: true, color: statusColour("WAIVED") }
                  : statusText(f.status),
                { text: f.waiverId ? `${f.reason} (waiver ${f.waiverId})` : f.reason, fontSize: 7 },
              ]),
            ),
            ...cappedNote(s.findings, "Findings"),
          );
          break;
        case "waivers":
          if (s.waivers.total === 0) break;
          out.push(
            subheading("Waivers"),
            table(
              [55, "*", 55, 80, 55],
              ["Waiver", "Resource and reason", "Was", "Approver", "Expires"],
              (cw) =>
                s.waivers.rows.map((w) => [
                  { text: w.id, bold: true },
                  { text: [mono(`${w.resource}\n`, cw[1]!), w.reason] },
                  statusText(w.originalStatus),
                  w.approver,
                  w.expires,
                ]),
            ),
            ...cappedNote(s.waivers, "Waivers"),
          );
          break;
        case "attachments":
          if (s.attachments.length === 0) {
            if (s.manual)
              out.push(subheading("Attached evidence"), { text: "Nothing attached.", bold: true });
            break;
          }
          out.push(
            subheading("Attached evidence"),
            table([90, "*", 80, 70], ["File", "Key and SHA-256", "Attached by", "Valid"], (w) =>
              s.attachments.map((a) => [
                { text: [a.fileName, a.note ? { text: `\n${a.note}`, style: "note" } : ""] },
                mono(`${a.key}\n${a.sha256}`, w[1]!),
                { text: `${a.attachedBy}\n${a.attachedAt}`, fontSize: 7 },
                { text: `${a.validFrom ?? ""} to ${a.validTo ?? ""}`, fontSize: 7 },
              ]),
            ),
          );
          break;
        case "evidence":
          if (s.evidence.total === 0) break;
          out.push(
            subheading("Evidence records"),
            table(["*", 62], ["Key and SHA-256", "Collected (UTC)"], (w) =>
              s.evidence.rows.map((e) => [
                mono(`${e.key}\n${e.sha256}`, w[0]!),
                { text: time(e.collectedAt), fontSize: 7 },
              ]),
            ),
            ...cappedNote(s.evidence, "Evidence"),
          );
          break;
      }
    }
    out.push({ text: "", margin: [0, 0, 0, 10] });
    return out;
  }

  function intervalTable(rows: FindingRow[]): Content {
    return table(
      ["*", 62, 62, 55, 110],
      ["Resource and check", "From (UTC)", "To (UTC)", "Status", "Reason"],
      (w) =>
        rows.map((r) => [
          { text: [mono(`${r.resource}\n`, w[0]!), { ...mono(r.checkId, w[0]!), color: c.muted }] },
          { text: time(r.start), fontSize: 7 },
          { text: time(r.end), fontSize: 7 },
          statusText(r.status, r.waived),
          { text: r.reason, fontSize: 7 },
        ]),
    );
  }

  // --- appendix ---
  const evidenceIndex: Capped<ReportModel["evidenceIndex"][number]> = {
    rows: model.evidenceIndex.slice(0, model.rowsPerTable),
    total: model.evidenceIndex.length,
  };
  const appendix: Content[] = [
    heading("Appendix A: Evidence index", 1, true),
    {
      text: `${model.evidenceIndex.length} evidence record(s) support this report. Each is canonical JSON; its SHA-256 is the hash of the stored bytes, so sha256sum on the record reproduces it.`,
      margin: [0, 0, 0, 4],
    },
    table(["*", 70, 62], ["Key and SHA-256", "Collector", "Collected (UTC)"], (w) =>
      evidenceIndex.rows.map((e) => [
        mono(`${e.key}\n${e.sha256}`, w[0]!),
        { text: e.collector, fontSize: 7 },
        { text: time(e.collectedAt), fontSize: 7 },
      ]),
    ),
    ...cappedNote(evidenceIndex, "Evidence"),
    heading("Appendix B: Methodology", 1, true),
    ...paragraphsOf(model.text.methodology),
    subheading("Attestation"),
    ...paragraphsOf(model.text.attestation),
    heading("Appendix C: How to verify this package", 1, true),
    ...paragraphsOf(model.text.verification),
    ...(model.verification.algorithm
      ? [
          {
            text: `Signing key fingerprint (SHA-256 of the DER public key): ${model.verification.keyId ?? "(unknown)"}`,
            style: "mono",
            margin: [0, 0, 0, 6],
          } as Content,
        ]
      : [{ text: "This package is not signed.", bold: true, color: c.demonstration } as Content]),
    ...model.verification.commands.flatMap((cmd): Content[] => [
      { text: cmd.purpose, margin: [0, 4, 0, 1] },
      { text: cmd.command, style: "command" },
    ]),
    {
      text: "The packaged public key proves the files are unchanged since signing, not who signed them: compare the fingerprint with one the publisher gave you through another channel.",
      style: "note",
      margin: [0, 8, 0, 0],
    },
  ];

  const headerText = `${model.organisation} · ${model.framework.name} v${model.framework.version} · ${model.period.label}`;

  return {
    pageSize: "A4",
    pageMargins: [MARGIN_X, demo ? 62 : 50, MARGIN_X, 46],
    info: {
      title: `${model.title}, ${model.period.label}`,
      author: model.organisation,
      subject: `Report ${model.reportId}`,
      creator: `auditpack ${model.toolVersion}`,
      producer: `auditpack ${model.toolVersion}`,
      creationDate: new Date(model.generatedAt),
    },
    ...(demo || model.unverified
      ? {
          watermark: {
            text: model.unverified ? "UNVERIFIED EVIDENCE" : "DEMONSTRATION DATA",
            color: c.demonstration,
            opacity: 0.07,
            bold: true,
            fontSize: 60,
            angle: -45,
          },
        }
      : {}),
    header: (): Content => ({
      margin: [MARGIN_X, 18, MARGIN_X, 0],
      stack: [
        {
          columns: [
            { text: headerText, style: "pageHeader" },
            {
              text: `Report ${model.reportId}`,
              style: "pageHeader",
              alignment: "right",
              width: "auto",
            } as Content,
          ],
        },
        ...(model.unverified
          ? [
              {
                text: `${model.unverified.marking} (${model.unverified.ignored})`,
                bold: true,
                color: c.demonstration,
                fontSize: 9,
                alignment: "center",
                margin: [0, 3, 0, 0],
              } as Content,
            ]
          : []),
        ...(demo
          ? [
              {
                text: demo.marking,
                bold: true,
                color: c.demonstration,
                fontSize: 9,
                alignment: "center",
                margin: [0, 3, 0, 0],
              } as Content,
            ]
          : []),
      ],
    }),
    footer: (currentPage: number, pageCount: number) => ({
      margin: [MARGIN_X, 14, MARGIN_X, 0],
      columns: [
        { text: `Report ${model.reportId}`, style: "pageFooter", width: 120 },
        { text: model.branding.confidentiality, style: "pageFooter", alignment: "center" },
        { text: `page ${currentPage} of ${pageCount}`, style: "pageFooter", alignment: "right", width: 80 },
      ],
    }),
    content: [
      ...cover,
      {
        toc: { title: { text: "Contents", style: "h1" }, numberStyle: { bold: true } },
        pageBreak: "before",
      },
      { text: "", pageBreak: "after" },
      ...summary,
      ...body,
      ...appendix,
    ],
    defaultStyle: { font: "Roboto", fontSize: 9, color: c.text, lineHeight: 1.15 },
    styles: {
      coverOrg: { fontSize: 14, color: c.muted },
      coverTitle: { fontSize: 24, bold: true, color: c.primary, margin: [0, 0, 0, 4] },
      coverSub: { fontSize: 13, color: c.accent },
      h1: { fontSize: 15, bold: true, color: c.primary, margin: [0, 0, 0, 8] },
      h2: { fontSize: 11.5, bold: true, color: c.primary, margin: [0, 8, 0, 4] },
      h3: { fontSize: 9.5, bold: true, color: c.accent, margin: [0, 6, 0, 2] },
      th: { bold: true, fontSize: 7.5, color: c.primary },
      table: { fontSize: 7.5 },
      mono: { fontSize: MONO_SIZE },
      note: { fontSize: 7.5, italics: true, color: c.muted },
      axis: { fontSize: 6.5, color: c.muted },
      command: { fontSize: 8, background: "#F2F2F2", margin: [0, 0, 0, 2] },
      pageHeader: { fontSize: 7.5, color: c.muted },
      pageFooter: { fontSize: 7, color: c.muted },
    },
  };
}

const MONO_SIZE = 6.5;
/** Roboto's widest digit or lowercase hex letter is 0.562 em; 0.6 em per character keeps lines inside their cell. */
const MONO_CHAR_EM = 0.6;
/** pdfmake's default left + right cell padding. */
const CELL_PADDING_X = 8;

/** Column widths in points: "*" columns share what the fixed ones and the paddings leave. */
function resolveWidths(widths: Array<number | "*">): number[] {
  const fixed = widths.reduce<number>((sum, w) => sum + (w === "*" ? 0 : w), 0);
  const stars = widths.filter((w) => w === "*").length;
  const star = stars > 0 ? (CONTENT_WIDTH - fixed - widths.length * CELL_PADDING_X) / stars : 0;
  return widths.map((w) => (w === "*" ? Math.floor(star) : w));
}

/**
 * Identifiers (ARNs, keys, SHA-256) have few natural break points: wrap them here, after "/", ":",
 * "-" or "_" where possible and mid-token where not. (pdfmake's break-all would do it by making
 * every character its own inline, which is far slower and heavier on large reports.)
 */
export function wrapIdentifier(text: string, widthPt: number, fontSize = MONO_SIZE): string {
  const perLine = Math.max(8, Math.floor(widthPt / (fontSize * MONO_CHAR_EM)));
  return text
    .split("\n")
    .map((line) => {
      if (line.length <= perLine) return line;
      const pieces = line.match(/[^/:_\- ]*(?:[/:_\- ]|$)/g)?.filter((p) => p.length > 0) ?? [line];
      const lines: string[] = [];
      let current = "";
      for (let piece of pieces) {
        if (current.length + piece.length > perLine && current.length > 0) {
          lines.push(current);
          current = "";
        }
        while (piece.length > perLine) {
          lines.push(piece.slice(0, perLine));
          piece = piece.slice(perLine);
        }
        current += piece;
      }
      if (current) lines.push(current);
      return lines.join("\n");
    })
    .join("\n");
}

function mono(text: string, widthPt: number): { text: string; style: string } {
  return { text: wrapIdentifier(text, widthPt), style: "mono" };
}

function heading(text: string, level: 1 | 2, pageBreak = false): Content {
  return {
    text,
    style: level === 1 ? "h1" : "h2",
    ...(level === 1 ? { tocItem: true } : {}),
    ...(pageBreak ? { pageBreak: "before" as const } : {}),
  } as Content;
}

function subheading(text: string): Content {
  return { text, style: "h3" };
}

/** "2026-08-03T10:12:00Z" -> "2026-08-03 10:12:00" (column headers say UTC). */
function time(iso: string | undefined): string {
  if (!iso) return "";
  return iso.replace("T", " ").replace(/(\.\d+)?Z$/, "");
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function monthLabel(isoDay: string): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  return d.toLocaleString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
}
