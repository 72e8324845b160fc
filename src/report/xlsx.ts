import ExcelJS from "exceljs";
import type { EvidenceRef, Status } from "../evaluate/types.js";
import type { DayStatus, ReportModel } from "./model.js";

/**
 * Renders the report model as an Excel workbook with exceljs's streaming writer, so a sheet of
 * hundreds of thousands of finding rows is written row by row, never held in memory. Every sheet
 * has the same shape: row 1 names the report (or carries the demonstration marking), row 2 is the
 * frozen, filterable header, data starts on row 3.
 */

export type CellValue = string | number | Date | null;

export interface Column {
  header: string;
  width: number;
  /** Date cells get the date format; status cells get the status colour. */
  kind?: "date" | "status" | "int";
}

/** Excel's cell limit is 32,767 characters; longer text is cut with a note. */
const MAX_CELL = 32_000;
const DATE_FORMAT = "yyyy-mm-dd hh:mm:ss";

export const SHEETS = ["Summary", "Requirements", "Findings", "Timeline", "Evidence", "Waivers"] as const;

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
        ["Finding rows (sheet Findings)", model.summary.findingRows, null],
        ["Waived findings", model.summary.waivedFindings, null],
        [null, null, null],
        ["Status", "Requirements", "Resource findings"],
        ...(["PASS", "FAIL", "ERROR", "MANUAL", "NOT_APPLICABLE"] as Status[]).map(counts),
      ],
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
        { header: "Finding status", width: 16, kind: "status" },
        { header: "Waiver", width: 14 },
        { header: "Reason", width: 60 },
        { header: "Evidence keys", width: 60 },
        { header: "Evidence SHA-256", width: 66 },
      ],
      rows: mapIterable(model.findingRows(), (r) => [
        ...placeOf(r),
        toDate(r.start),
        toDate(r.end),
        r.waived && (r.status === "FAIL" || r.status === "ERROR") ? `${r.status} (waived)` : r.status,
        r.findingStatus,
        r.waiverId ?? "",
        cut(r.reason),
        joinRefs(r.evidence, "key"),
        joinRefs(r.evidence, "sha256"),
      ]),
    },
    {
      name: "Timeline",
      columns: [
        { header: "At (UTC)", width: 20, kind: "date" },
        ...PLACE_COLUMNS,
        { header: "From status", width: 16, kind: "status" },
        { header: "To status", width: 16, kind: "status" },
        { header: "Reason", width: 60 },
      ],
      rows: mapIterable(model.timeline(), (t) => [toDate(t.at), ...placeOf(t), t.from, t.to, cut(t.reason)]),
    },
    {
      name: "Evidence",
      columns: [
        { header: "Key", width: 90 },
        { header: "SHA-256", width: 66 },
        { header: "Collector", width: 26 },
        { header: "Account", width: 14 },
        { header: "Region", width: 13 },
        { header: "Collected at (UTC)", width: 20, kind: "date" },
        { header: "Cited by", width: 30 },
      ],
      rows: mapIterable(model.evidenceIndex, (e) => [
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
        { header: "Reason", width: 60 },
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
  ];
}

/** Style objects are created once and shared: exceljs then resolves each to its id by identity. */
class Styles {
  readonly title: Partial<ExcelJS.Style>;
  readonly header: Partial<ExcelJS.Style>;
  readonly date: Partial<ExcelJS.Style>;
  readonly wrap: Partial<ExcelJS.Style>;
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
    views: [{ state: "frozen", ySplit: 2, xSplit: 0 }],
    ...(model.demonstration || model.unverified
      ? {
          headerFooter: {
            oddHeader: `&C&"-,Bold"&K${model.branding.colours.demonstration.slice(1)}${[model.unverified?.marking, model.demonstration?.marking].filter(Boolean).join(" | ")}`,
          },
        }
      : {}),
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
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
  columns.forEach((c, i) => {
    if (c.kind !== "date" && c.kind !== "status") plainColumns.push(i + 1);
  });
  for (const values of rows) {
    const row = ws.addRow(values);
    // One shared style object per unstyled cell: exceljs then finds its style id by identity
    // instead of building and hashing a fresh style for every cell.
    for (const i of plainColumns) if (values[i - 1] !== null) row.getCell(i).style = styles.plain;
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

function* mapIterable<T, U>(items: Iterable<T>, fn: (item: T) => U): Iterable<U> {
  for (const item of items) yield fn(item);
}

function toDate(iso: string | undefined): Date | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t) : null;
}

function cut(text: string): string {
  return text.length <= MAX_CELL ? text : `${text.slice(0, MAX_CELL)}... (cut at ${MAX_CELL} characters)`;
}

function joinRefs(refs: EvidenceRef[], field: "key" | "sha256"): string {
  let out = "";
  for (let i = 0; i < refs.length; i++) {
    const next = refs[i]![field];
    if (out.length + next.length + 1 > MAX_CELL)
      return `${out}\n... (+${refs.length - i} more; see sheet Evidence)`;
    out += i === 0 ? next : `\n${next}`;
  }
  return out;
}

function argb(hex: string): string {
  return `FF${hex.slice(1).toUpperCase()}`;
}

export function columnLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}
