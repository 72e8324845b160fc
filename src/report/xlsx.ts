import ExcelJS from "exceljs";
import type { Basis, EvidenceRef, Status } from "../evaluate/types.js";
import { KNOWN_BY, KNOWN_BY_LABEL, KNOWN_BY_MEANING, resourceTypeWords } from "./coverage.js";
import { DAY_STATUSES, type DayStatus, type ReportModel } from "./model.js";
import { EvidenceReferences } from "./references.js";

const ACCOUNT_STATUSES: Status[] = ["FAIL", "ERROR", "NOT_COVERED", "PASS", "NOT_APPLICABLE"];

import { spreadsheetSafeValue } from "./spreadsheet-safe.js";

/**
 * Renders the report model as an Excel workbook with exceljs's streaming writer, so a sheet of
 * hundreds of thousands of finding rows is written row by row, never held in memory. Every sheet
 * has the same shape: row 1 names the report (or carries the demonstration marking), row 2 is the
 * frozen, filterable header, data starts on row 3.
 */

/** A cell linking another cell of the workbook ("#Evidence!A5") or a URL. */
export interface LinkValue {
  text: string;
  hyperlink: string;
}
export type CellValue = string | number | Date | null | LinkValue;

export interface Column {
  header: string;
  width: number;
  /** Date cells get the date format; status cells get the status colour; wrap cells wrap at the width. */
  kind?: "date" | "status" | "int" | "wrap" | "link";
}

/**
 * Excel's cell limit is 32,767 characters, but a cell that long neither reads nor prints: text is
 * cut at 8,000 with a note (evidence is listed one record per row in sheet Evidence instead).
 */
export const MAX_CELL = 8_000;
/** Sheet Evidence: row 1 title, row 2 header, so record E<n> is on row n + 2. */
const EVIDENCE_FIRST_ROW = 3;
const DATE_FORMAT = "yyyy-mm-dd hh:mm:ss";

export const SHEETS = [
  "Summary",
  "Accounts",
  "Requirements",
  "Findings",
  "Timeline",
  "Coverage",
  "Evidence",
  "Waivers",
  "Attachments",
  "Legend",
] as const;

/** What each value of a Status column means (sheet Legend). */
const STATUS_MEANING: Record<string, string> = {
  PASS: "Every resource met the check for the whole interval.",
  FAIL: "At least one resource did not meet the check during the interval.",
  "FAIL (waived)": "A failure covered by an approved waiver (sheet Waivers); shown, never dropped.",
  ERROR:
    "Evidence that should exist could not be read (access denied, throttling, a failed page): not assessed.",
  NOT_COVERED:
    "No evidence exists for the stretch and none can be obtained: auditpack was not yet collecting and AWS keeps no history of the setting. Never counted as a pass (sheet Coverage).",
  MANUAL: "Assessed by a person from attached evidence, not by an automated check.",
  NOT_APPLICABLE: "No resource the check applies to exists in scope.",
  WAIVED: "A failing day covered by a waiver (status strips).",
  NO_DATA: "No evaluation for that day (status strips).",
};

/** Findings, Timeline and Waivers each name a check on a resource in the same five columns. */
const PLACE_COLUMNS: Column[] = [
  { header: "Requirement", width: 12 },
  { header: "Check", width: 34 },
  { header: "Resource", width: 60 },
  { header: "Account", width: 14 },
  { header: "Region", width: 13 },
];

interface Place {
  requirementId: string;
  checkId: string;
  resource: string;
  account: string;
  region: string;
}

function placeOf(p: Place): CellValue[] {
  return [p.requirementId, p.checkId, p.resource, p.account, p.region];
}

export interface SheetSpec {
  name: (typeof SHEETS)[number];
  columns: Column[];
  rows: Iterable<CellValue[]>;
}

export async function renderXlsx(model: ReportModel, file: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = `auditpack ${model.toolVersion}`;
  workbook.lastModifiedBy = workbook.creator;
  workbook.created = new Date(model.generatedAt);
  workbook.modified = workbook.created;
  const styles = new Styles(model);
  for (const spec of sheetSpecs(model)) writeSheet(workbook, styles, model, spec);
  await workbook.commit();
}

/** The sheets and their rows, as values: what renderXlsx styles and writes (the benchmark writes them plain). */
export function sheetSpecs(model: ReportModel): SheetSpec[] {
  const counts = (s: Status): CellValue[] => [
    s,
    model.summary.requirementCounts[s],
    model.summary.findingCounts[s],
  ];
  const sections = model.groups.flatMap((g) => g.requirements);
  const refs = new EvidenceReferences(model.evidenceIndex);
  const evidenceLink = (evidence: EvidenceRef[]): CellValue => {
    if (evidence.length === 0) return "";
    const first = Math.min(...evidence.map((e) => refs.number(e.key) ?? Number.POSITIVE_INFINITY));
    const text = cut(refs.refs(evidence.map((e) => e.key)));
    return Number.isFinite(first)
      ? { text, hyperlink: `#Evidence!A${first - 1 + EVIDENCE_FIRST_ROW}` }
      : text;
  };
  return [
    {
      name: "Summary",
      columns: [
        { header: "Field", width: 28 },
        { header: "Value", width: 70 },
        { header: "", width: 18 },
      ],
      rows: [
        ["Report id", model.reportId, null],
        ["Organisation", model.organisation, null],
        ["Framework", `${model.framework.name} v${model.framework.version} (${model.framework.id})`, null],
        ["Requirements in scope", model.requirementsInScope.join(", "), null],
        ["Period", model.period.label, null],
        ["Period start (UTC)", toDate(model.period.start), null],
        ["Period end (UTC, exclusive)", toDate(model.period.end), null],
        ["Accounts", model.scope.accounts.join(", "), null],
        ["Regions", model.scope.regions.join(", "), null],
        ["Generated at (UTC)", toDate(model.generatedAt), null],
        ["Tool version", `auditpack ${model.toolVersion}`, null],
        ["Demonstration data", model.demonstration ? `YES: ${model.demonstration.marking}` : "no", null],
        [
          "Evidence verified by the ledger",
          model.unverified ? `NO: ${model.unverified.marking} (${model.unverified.ignored})` : "yes",
          null,
        ],
        ["Confidentiality", model.branding.confidentiality, null],
        [
          "PDF signing certificate (SHA-256)",
          model.attestation.signingCertificate?.sha256Fingerprint ?? "none (PDFs not signed)",
          null,
        ],
        ["Management assertion", signatoryText(model.attestation.management), null],
        ["Assessor", signatoryText(model.attestation.assessor), null],
        ["Finding rows (sheet Findings)", model.summary.findingRows, null],
        ["Waived findings", model.summary.waivedFindings, null],
        ["How the period is known (sheet Coverage)", model.coverage.statement, null],
        [null, null, null],
        ["Status", "Requirements", "Resource findings"],
        ...(["PASS", "FAIL", "ERROR", "NOT_COVERED", "MANUAL", "NOT_APPLICABLE"] as Status[]).map(counts),
      ],
    },
    {
      name: "Accounts",
      columns: [
        { header: "Account", width: 14 },
        { header: "Regions", width: 24, kind: "wrap" },
        ...ACCOUNT_STATUSES.map((st): Column => ({ header: st.replace(/_/g, " "), width: 11, kind: "int" })),
        { header: "Failing intervals", width: 11, kind: "int" },
        { header: "Failing time (hours)", width: 12 },
        { header: "Worst resources (check: hours failing)", width: 90, kind: "wrap" },
      ],
      rows: model.accounts.map((a) => [
        a.account,
        a.regions.join(", "),
        ...ACCOUNT_STATUSES.map((st) => a.counts[st]),
        a.failingIntervals,
        Math.round((a.failingSeconds / 3600) * 10) / 10,
        cut(
          a.worst
            .map(
              (w) =>
                `${w.name ?? w.resource} (${w.checkId}: ${Math.round((w.failingSeconds / 3600) * 10) / 10} h)`,
            )
            .join("\n"),
        ),
      ]),
    },
    {
      name: "Requirements",
      columns: [
        { header: "Requirement", width: 12 },
        { header: "Title", width: 50 },
        { header: "Status", width: 16, kind: "status" },
        { header: "Checks", width: 45 },
        { header: "Resources", width: 11, kind: "int" },
        { header: "Failing resources", width: 11, kind: "int" },
        { header: "Failing days", width: 11, kind: "int" },
        { header: "Failing intervals", width: 11, kind: "int" },
        { header: "Waived findings", width: 11, kind: "int" },
        { header: "Attachments", width: 11, kind: "int" },
        { header: "What it asks", width: 60 },
        { header: "Manual rationale", width: 50 },
        { header: "Crosswalk", width: 30 },
      ],
      rows: sections.map((s) => [
        s.id,
        s.title,
        s.status,
        s.checks.map((c) => (c.parameters ? `${c.id} (${c.parameters})` : c.id)).join("\n"),
        s.checks.reduce((n, c) => n + c.resources, 0),
        s.checks.reduce((n, c) => n + c.failing, 0),
        s.failingDays,
        s.failingIntervals.total,
        s.waivers.total,
        s.attachments.length,
        s.asks,
        s.manual?.rationale ?? "",
        s.crosswalk.join(", "),
      ]),
    },
    {
      name: "Findings",
      columns: [
        ...PLACE_COLUMNS,
        { header: "From (UTC)", width: 20, kind: "date" },
        { header: "To (UTC)", width: 20, kind: "date" },
        { header: "Status", width: 16, kind: "status" },
        { header: "Waiver", width: 14 },
        { header: "Reason", width: 50, kind: "wrap" },
        { header: "Evidence (sheet Evidence)", width: 30, kind: "link" },
        { header: "Records", width: 9, kind: "int" },
        { header: "How known", width: 40, kind: "wrap" },
      ],
      rows: mapIterable(model.findingRows(), (r) => [
        ...placeOf(r),
        toDate(r.start),
        toDate(r.end),
        r.waived && (r.status === "FAIL" || r.status === "ERROR") ? `${r.status} (waived)` : r.status,
        r.waiverId ?? "",
        cut(r.reason),
        evidenceLink(r.evidence),
        r.evidence.length,
        basisText(r.basis, r.status),
      ]),
    },
    {
      name: "Timeline",
      columns: [
        { header: "At (UTC)", width: 20, kind: "date" },
        ...PLACE_COLUMNS,
        { header: "From status", width: 16, kind: "status" },
        { header: "To status", width: 16, kind: "status" },
        { header: "Reason", width: 50, kind: "wrap" },
      ],
      rows: mapIterable(model.timeline(), (t) => [toDate(t.at), ...placeOf(t), t.from, t.to, cut(t.reason)]),
    },
    {
      name: "Coverage",
      columns: [
        { header: "Account", width: 14 },
        { header: "Region", width: 13 },
        { header: "Check/resource pairs", width: 11, kind: "int" },
        ...KNOWN_BY.map((k): Column => ({ header: `${KNOWN_BY_LABEL[k]} (% of finding time)`, width: 13 })),
        { header: "Snapshot records", width: 11, kind: "int" },
        { header: "First snapshot (UTC)", width: 20, kind: "date" },
        { header: "Last snapshot (UTC)", width: 20, kind: "date" },
        { header: "CloudTrail activity complete (UTC)", width: 30, kind: "wrap" },
        { header: "AWS Config history (UTC)", width: 30, kind: "wrap" },
        { header: "AWS Config resource types", width: 30, kind: "wrap" },
        { header: "Records with a collection error", width: 11, kind: "int" },
        { header: "Not covered stretches (UTC): checks (resources)", width: 60, kind: "wrap" },
        { header: "How it is known", width: 80, kind: "wrap" },
      ],
      rows: model.coverage.rows.map((r) => [
        r.account,
        r.region,
        r.findings,
        ...KNOWN_BY.map((k) => Math.round(r.percent[k] * 10) / 10),
        r.sources?.snapshots.count ?? null,
        toDate(r.sources?.snapshots.first),
        toDate(r.sources?.snapshots.last),
        r.sources ? spans(r.sources.activity) : "",
        r.sources ? spans(r.sources.configTimeline.spans) : "",
        r.sources ? resourceTypeWords(r.sources.configTimeline.resourceTypes) : "",
        r.sources?.failedRecords ?? null,
        cut(
          r.gaps
            .map((g) => `${spans([g])}: ${g.checks.map((c) => `${c.checkId} (${c.resources})`).join(", ")}`)
            .join("\n"),
        ),
        cut(r.text),
      ]),
    },
    {
      name: "Evidence",
      columns: [
        { header: "Ref", width: 9 },
        { header: "Key", width: 90 },
        { header: "SHA-256", width: 66 },
        { header: "Collector", width: 26 },
        { header: "Account", width: 14 },
        { header: "Region", width: 13 },
        { header: "Collected at (UTC)", width: 20, kind: "date" },
        { header: "Cited by", width: 30 },
      ],
      // The index's own order is its numbering: E<n> is its n-th record.
      rows: mapIterable(model.evidenceIndex, (e, n) => [
        `E${n + 1}`,
        e.key,
        e.sha256,
        e.collector,
        e.account,
        e.region,
        toDate(e.collectedAt),
        e.requirements.join(", "),
      ]),
    },
    {
      name: "Waivers",
      columns: [
        { header: "Waiver", width: 14 },
        ...PLACE_COLUMNS,
        { header: "Original status", width: 16, kind: "status" },
        { header: "Reason", width: 50, kind: "wrap" },
        { header: "Approver", width: 28 },
        { header: "Expires", width: 20, kind: "date" },
      ],
      rows: mapIterable(model.waivers, (w) => [
        w.id,
        ...placeOf(w),
        w.originalStatus,
        cut(w.reason),
        w.approver,
        toDate(w.expires) ?? w.expires,
      ]),
    },
    {
      // Manual evidence: who attached each file and when, beside what it covers.
      name: "Attachments",
      columns: [
        { header: "Requirement", width: 12 },
        { header: "File", width: 36 },
        { header: "Note", width: 40, kind: "wrap" },
        { header: "Attached by", width: 22 },
        { header: "Attached at (UTC)", width: 20, kind: "date" },
        { header: "Valid from (UTC)", width: 20, kind: "date" },
        { header: "Valid to (UTC)", width: 20, kind: "date" },
        { header: "Evidence (sheet Evidence)", width: 14, kind: "link" },
        { header: "SHA-256 of the record", width: 66 },
      ],
      rows: sections.flatMap((s) =>
        s.attachments.map((a): CellValue[] => [
          s.id,
          a.fileName,
          a.note ?? "",
          a.attachedBy,
          toDate(a.attachedAt),
          toDate(a.validFrom) ?? "",
          toDate(a.validTo) ?? "",
          evidenceLink([{ key: a.key, sha256: a.sha256 }]),
          a.sha256,
        ]),
      ),
    },
    {
      name: "Legend",
      columns: [
        { header: "Status", width: 18, kind: "status" },
        { header: "Meaning", width: 90, kind: "wrap" },
      ],
      rows: [
        ...[...DAY_STATUSES.flatMap((s) => (s === "FAIL" ? [s, "FAIL (waived)"] : [s]))].map((s) => [
          s,
          STATUS_MEANING[s] ?? s,
        ]),
        // How an interval is known (sheet Findings, column How known; sheet Coverage).
        ...KNOWN_BY.map((k) => [KNOWN_BY_LABEL[k], KNOWN_BY_MEANING[k]]),
      ],
    },
  ];
}

/** Style objects are created once and shared: exceljs then resolves each to its id by identity. */
class Styles {
  readonly title: Partial<ExcelJS.Style>;
  readonly header: Partial<ExcelJS.Style>;
  readonly date: Partial<ExcelJS.Style>;
  readonly wrap: Partial<ExcelJS.Style>;
  readonly link: Partial<ExcelJS.Style>;
  readonly plain: Partial<ExcelJS.Style> = {};
  private readonly status = new Map<string, Partial<ExcelJS.Style>>();

  constructor(private readonly model: ReportModel) {
    const c = model.branding.colours;
    this.title = {
      font: {
        bold: true,
        size: 12,
        color: { argb: argb(model.demonstration ? c.demonstration : c.primary) },
      },
    };
    this.header = {
      font: { bold: true, color: { argb: argb(c.primary) } },
      fill: { type: "pattern", pattern: "solid", fgColor: { argb: argb(c.tableHeader) } },
      border: { bottom: { style: "thin", color: { argb: argb(c.rule) } } },
      alignment: { vertical: "middle" },
    };
    this.date = { numFmt: DATE_FORMAT };
    this.wrap = { alignment: { wrapText: true, vertical: "top" } };
    this.link = {
      font: { color: { argb: "FF0563C1" }, underline: true },
      alignment: { wrapText: true, vertical: "top" },
    };
  }

  /** Status cells: white bold text on the status colour; "FAIL (waived)" takes the waived colour. */
  forStatus(value: string): Partial<ExcelJS.Style> | undefined {
    let style = this.status.get(value);
    if (style) return style;
    const key: DayStatus | undefined = value.endsWith("(waived)")
      ? "WAIVED"
      : (value as DayStatus) in this.model.branding.status
        ? (value as DayStatus)
        : undefined;
    if (!key) return undefined;
    style = {
      font: { bold: true, color: { argb: "FFFFFFFF" } },
      fill: { type: "pattern", pattern: "solid", fgColor: { argb: argb(this.model.branding.status[key]) } },
    };
    this.status.set(value, style);
    return style;
  }
}

function writeSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  styles: Styles,
  model: ReportModel,
  { name, columns, rows }: SheetSpec,
): void {
  const lastColumn = columnLetter(columns.length);
  const ws = workbook.addWorksheet(name, {
    // The id column and the header stay in view; printed landscape, one page wide, header repeated.
    views: [{ state: "frozen", ySplit: 2, xSplit: 1 }],
    pageSetup: {
      paperSize: 9,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: "2:2",
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    ...(model.demonstration || model.unverified
      ? {
          headerFooter: {
            oddHeader: `&C&"-,Bold"&K${model.branding.colours.demonstration.slice(1)}${[model.unverified?.marking, model.demonstration?.marking].filter(Boolean).join(" | ")}`,
          },
        }
      : {}),
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  writeInternalLinksInPlace(ws);
  ws.autoFilter = `A2:${lastColumn}2`;

  const title = ws.addRow([
    (model.unverified ? `${model.unverified.marking} | ` : "") +
      (model.demonstration
        ? `${model.demonstration.marking} | ${name} | Report ${model.reportId}`
        : `${model.organisation} | ${model.framework.name} v${model.framework.version} | ${model.period.label} | ${name} | Report ${model.reportId}`),
  ]);
  title.getCell(1).style = styles.title;
  title.commit();
  const header = ws.addRow(columns.map((c) => c.header));
  for (let i = 1; i <= columns.length; i++) header.getCell(i).style = styles.header;
  header.commit();

  const dateColumns: number[] = [];
  const statusColumns: number[] = [];
  columns.forEach((c, i) => {
    if (c.kind === "date") dateColumns.push(i + 1);
    if (c.kind === "status") statusColumns.push(i + 1);
  });
  const plainColumns: number[] = [];
  const wrapColumns: number[] = [];
  const linkColumns: number[] = [];
  columns.forEach((c, i) => {
    if (c.kind === "wrap") wrapColumns.push(i + 1);
    else if (c.kind === "link") linkColumns.push(i + 1);
    else if (c.kind !== "date" && c.kind !== "status") plainColumns.push(i + 1);
  });
  for (const values of rows) {
    const row = ws.addRow(values.map(spreadsheetSafeValue));
    // One shared style object per unstyled cell: exceljs then finds its style id by identity
    // instead of building and hashing a fresh style for every cell.
    for (const i of plainColumns) if (values[i - 1] !== null) row.getCell(i).style = styles.plain;
    for (const i of wrapColumns) row.getCell(i).style = styles.wrap;
    for (const i of linkColumns) {
      const v = values[i - 1];
      row.getCell(i).style =
        v !== null && typeof v === "object" && "hyperlink" in v ? styles.link : styles.wrap;
    }
    for (const i of dateColumns)
      row.getCell(i).style = values[i - 1] instanceof Date ? styles.date : styles.plain;
    for (const i of statusColumns) {
      const v = values[i - 1];
      const style = typeof v === "string" ? styles.forStatus(v) : undefined;
      row.getCell(i).style = style ?? styles.plain;
    }
    // Mixed-type Summary rows: a Date anywhere gets the date format.
    if (dateColumns.length === 0) {
      values.forEach((v, i) => {
        if (v instanceof Date) row.getCell(i + 1).style = styles.date;
      });
    }
    row.commit();
  }
  ws.commit();
}

/**
 * exceljs's streaming writer records every hyperlink as an external relationship, which Excel and
 * LibreOffice do not follow for "#Sheet!A1". Links starting with "#" are kept as in-workbook
 * locations instead (<hyperlink ref="K3" location="Evidence!A5"/>, no relationship).
 */
function writeInternalLinksInPlace(ws: ExcelJS.Worksheet): void {
  const rels = (ws as unknown as { _sheetRelsWriter?: SheetRels })._sheetRelsWriter;
  if (!rels || typeof rels.addHyperlink !== "function" || !Array.isArray(rels._hyperlinks)) {
    throw new Error("exceljs internals changed: cannot write in-workbook hyperlinks");
  }
  const external = rels.addHyperlink.bind(rels);
  rels.addHyperlink = (h) => {
    if (!h.target.startsWith("#")) return external(h);
    rels._hyperlinks.push({
      address: h.address,
      target: h.target.slice(1),
      ...(h.tooltip ? { tooltip: h.tooltip } : {}),
    });
  };
}

interface SheetRels {
  addHyperlink(h: { address: string; target: string; tooltip?: string }): void;
  _hyperlinks: Array<{ address: string; target?: string; tooltip?: string; rId?: string }>;
}

function* mapIterable<T, U>(items: Iterable<T>, fn: (item: T, index: number) => U): Iterable<U> {
  let index = 0;
  for (const item of items) yield fn(item, index++);
}

/** "2026-10-01 00:00:00 to 2026-11-16 09:00:00", one span a line. */
function spans(list: ReadonlyArray<{ start: string; end: string }>): string {
  const t = (iso: string) => iso.replace("T", " ").replace(/(\.\d+)?Z$/, "");
  return list.map((s) => `${t(s.start)} to ${t(s.end)}`).join("\n");
}

/** A finding row's basis in words: "CloudTrail history (events complete ...): StopLogging <at> by <who>". */
function basisText(basis: Basis | undefined, status: Status): string {
  if (!basis) return status === "NOT_COVERED" ? "Not covered" : status === "ERROR" ? "Not read" : "";
  const events = (basis.events ?? [])
    .map((e) => `${e.name} ${e.at}${e.principal ? ` by ${e.principal}` : e.id ? ` (${e.id})` : ""}`)
    .join("; ");
  const over = basis.coverage ? ` (events complete ${spans([basis.coverage])})` : "";
  const detail = [events, basis.note ?? ""].filter(Boolean).join("; ");
  return cut(`${KNOWN_BY_LABEL[basis.kind]}${over}${detail ? `: ${detail}` : ""}`);
}

function toDate(iso: string | undefined): Date | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t) : null;
}

function cut(text: string): string {
  return text.length <= MAX_CELL ? text : `${text.slice(0, MAX_CELL)}... (cut at ${MAX_CELL} characters)`;
}

function argb(hex: string): string {
  return `FF${hex.slice(1).toUpperCase()}`;
}

export function columnLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function signatoryText(s: ReportModel["attestation"]["management"]): string {
  if (s.name === undefined) return "not completed: sign the attestation page of report.pdf";
  return `${s.name}, ${s.role}, ${s.organisation}${s.date ? `, dated ${s.date}` : ", not yet dated"}`;
}
