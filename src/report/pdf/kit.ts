import { createRequire } from "node:module";
import path from "node:path";
import pdfmake from "pdfmake";
import type { Content, TableCell, TDocumentDefinitions } from "pdfmake/interfaces.js";
import type { Status } from "../../evaluate/types.js";
import { DAY_STATUSES, type DayStatus, type ReportModel } from "../model.js";

/**
 * Shared PDF primitives for both PDFs (the auditor report and the customer summary): fonts, page
 * frame, tables whose heading is their first header row (so a heading can never be left alone at a
 * page bottom and repeats on every page the table spans), status strips, legend and text helpers.
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

export const PAGE_WIDTH = 595.28; // A4
export const MARGIN_X = 40;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

let configured = false;
function configurePdfmake(): void {
  if (configured) return;
  pdfmake.setFonts(FONTS);
  // A report never loads anything from the network, and from disk only the bundled fonts.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((file) => FONT_FILES.has(file));
  configured = true;
}

export async function renderDocument(definition: TDocumentDefinitions): Promise<Buffer> {
  configurePdfmake();
  return pdfmake.createPdf(definition).getBuffer();
}

export const STATUS_LABEL: Record<string, string> = {
  PASS: "PASS",
  FAIL: "FAIL",
  ERROR: "ERROR",
  NOT_COVERED: "NOT COVERED",
  MANUAL: "MANUAL",
  NOT_APPLICABLE: "NOT APPLICABLE",
  WAIVED: "WAIVED",
  NO_DATA: "NO DATA",
};

export function statusLabel(s: string): string {
  return STATUS_LABEL[s] ?? s.replace(/_/g, " ");
}

const FAILING_DAYS: ReadonlySet<string> = new Set(["FAIL", "ERROR", "WAIVED"]);

export interface TableSpec {
  /** Heading drawn as the table's first (repeated) row: kept with the rows that follow it. */
  title?: string;
  widths: Array<number | "*">;
  header: string[];
  /** Receives each column's width in points, so identifier cells can wrap to it. */
  rows: (columnWidths: number[]) => TableCell[][];
}

export class Kit {
  readonly c: ReportModel["branding"]["colours"];

  constructor(readonly model: ReportModel) {
    this.c = model.branding.colours;
  }

  colour(s: string): string {
    return (this.model.branding.status as Record<string, string>)[s] ?? this.c.muted;
  }

  status(s: Status | string, waived = false): Content {
    return {
      text: waived ? `${statusLabel(s)} (waived)` : statusLabel(s),
      bold: true,
      color: this.colour(waived ? "WAIVED" : s),
    };
  }

  table(spec: TableSpec): Content {
    const resolved = resolveWidths(spec.widths);
    const columns = spec.widths.length;
    const body: TableCell[][] = [];
    if (spec.title) {
      body.push([
        { text: spec.title, style: "h3", colSpan: columns, border: [false, false, false, false] },
        ...Array.from({ length: columns - 1 }, () => ({ text: "" })),
      ]);
    }
    body.push(spec.header.map((h) => ({ text: h, style: "th", fillColor: this.c.tableHeader })));
    body.push(...spec.rows(resolved));
    const headerRows = spec.title ? 2 : 1;
    return {
      table: { headerRows, keepWithHeaderRows: 1, dontBreakRows: true, widths: resolved, body },
      layout: {
        hLineColor: () => this.c.rule,
        vLineWidth: () => 0,
        hLineWidth: (i: number) => (i < headerRows ? 0 : 0.5),
        paddingTop: () => 2,
        paddingBottom: () => 2,
        paddingLeft: (i: number) => (i === 0 && spec.title ? 0 : 4),
      },
      style: "table",
      margin: [0, 2, 0, 6],
    };
  }

  /** A day-by-day strip with every day drawn: one rect per run of equal days. */
  strip(days: DayStatus[], width: number, height: number): Content {
    if (days.length === 0) return { text: "(empty period)", style: "note" };
    const w = width / days.length;
    const rects = runs(days).map((r) => ({
      type: "rect",
      x: r.start * w,
      y: 0,
      w: r.length * w,
      h: height,
      color: this.colour(r.status),
    }));
    return { canvas: rects, width } as unknown as Content;
  }

  /**
   * A drift strip that stays readable when the period is mostly one colour: a thin baseline in the
   * prevailing status, full-height blocks only for failing (or waived) stretches, and a tick at
   * every change point.
   */
  driftStrip(days: DayStatus[], width: number, height: number): Content {
    if (days.length === 0) return { text: "(empty period)", style: "note" };
    const w = width / days.length;
    const shapes: Array<Record<string, unknown>> = [];
    const base = height * 0.3;
    for (const r of runs(days)) {
      const failing = FAILING_DAYS.has(r.status);
      shapes.push({
        type: "rect",
        x: r.start * w,
        y: failing ? 0 : (height - base) / 2,
        w: Math.max(r.length * w, failing ? 1.2 : 0),
        h: failing ? height : base,
        color: this.colour(r.status),
      });
      if (r.start > 0) {
        shapes.push({
          type: "line",
          x1: r.start * w,
          y1: -1,
          x2: r.start * w,
          y2: height + 1,
          lineWidth: 0.6,
          lineColor: this.c.text,
        });
      }
    }
    return { canvas: shapes, width } as unknown as Content;
  }

  monthAxis(width: number): Content {
    const days = this.model.summary.days;
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
  }

  legend(statuses: readonly string[] = DAY_STATUSES): Content {
    return {
      columns: statuses.map(
        (s) =>
          ({
            width: "auto",
            columns: [
              { canvas: [{ type: "rect", x: 0, y: 1.5, w: 8, h: 6, color: this.colour(s) }], width: 11 },
              { text: statusLabel(s), style: "axis", width: "auto" },
            ],
            columnGap: 0,
          }) as unknown as Content,
      ),
      columnGap: 12,
      margin: [0, 4, 0, 8],
    };
  }

  paragraphs(texts: string[]): Content[] {
    return texts.map((t) => ({ text: t, margin: [0, 0, 0, 6] }));
  }

  /** Content that must stay on one page (a heading with the first thing under it). Keep it short. */
  keep(...content: Content[]): Content {
    return { stack: content, unbreakable: true } as Content;
  }

  h1(text: string, pageBreak = false, toc = true): Content {
    return {
      text,
      style: "h1",
      ...(toc ? { tocItem: true } : {}),
      ...(pageBreak ? { pageBreak: "before" as const } : {}),
    } as Content;
  }

  h3(text: string): Content {
    return { text, style: "h3" };
  }

  note(text: string): Content {
    return { text, style: "note" };
  }

  /** Page size, margins, metadata, demonstration watermark, header, footer and styles. */
  frame(subtitle: string, content: Content[]): TDocumentDefinitions {
    const model = this.model;
    const c = this.c;
    const demo = model.demonstration;
    const unverified = model.unverified;
    const marked = demo || unverified;
    const headerText = `${model.organisation} · ${model.framework.name} v${model.framework.version} · ${model.period.label}`;
    return {
      pageSize: "A4",
      pageMargins: [MARGIN_X, demo && unverified ? 74 : marked ? 62 : 50, MARGIN_X, 46],
      info: {
        title: `${subtitle}, ${model.period.label}`,
        author: model.organisation,
        subject: `Report ${model.reportId}`,
        creator: `auditpack ${model.toolVersion}`,
        producer: `auditpack ${model.toolVersion}`,
        creationDate: new Date(model.generatedAt),
      },
      ...(marked
        ? {
            watermark: {
              text: unverified ? "UNVERIFIED EVIDENCE" : "DEMONSTRATION DATA",
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
          // Every page says when the evidence did not verify (report --allow-unverified).
          ...(unverified
            ? [
                {
                  text: `${unverified.marking} (${unverified.ignored})`,
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
      content,
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

  /** The demonstration box on a cover page, and the warning section when the evidence did not verify. */
  demonstrationBox(): Content[] {
    return [...this.demonstrationNotice(), ...this.unverifiedNotice()];
  }

  /** Which records the evaluation left out, and why (capped; findings.json `ledger.ignored` has all). */
  private unverifiedNotice(): Content[] {
    const u = this.model.unverified;
    if (!u) return [];
    const shown = u.records.slice(0, 40);
    return [
      {
        stack: [
          {
            text: `${u.marking}: ${u.ignored} record(s)`,
            bold: true,
            color: this.c.demonstration,
            fontSize: 11,
          },
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
      },
    ];
  }

  private demonstrationNotice(): Content[] {
    const demo = this.model.demonstration;
    if (!demo) return [];
    return [
      {
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
                color: this.c.demonstration,
                margin: [8, 6, 8, 6],
              },
            ],
          ],
        },
        layout: { hLineColor: () => this.c.demonstration, vLineColor: () => this.c.demonstration },
        margin: [0, 20, 0, 0],
      },
    ];
  }

  /** Key/value rows without borders (cover details). */
  facts(rows: Array<[string, string]>, margin: [number, number, number, number] = [0, 30, 0, 0]): Content {
    return {
      table: {
        widths: [130, "*"],
        body: rows.map(([k, v]) => [{ text: k, bold: true, color: this.c.muted }, { text: v }]),
      },
      layout: "noBorders",
      margin,
    };
  }

  /** The verification commands block (both PDFs). */
  verification(): Content[] {
    const model = this.model;
    return [
      ...this.paragraphs(model.text.verification),
      ...(model.verification.algorithm
        ? [
            {
              text: `Signing key fingerprint (SHA-256 of the DER public key): ${model.verification.keyId ?? "(unknown)"}`,
              style: "mono",
              margin: [0, 0, 0, 6],
            } as Content,
          ]
        : [{ text: "This package is not signed.", bold: true, color: this.c.demonstration } as Content]),
      ...model.verification.commands.flatMap((cmd): Content[] => [
        this.keep({ text: cmd.purpose, margin: [0, 4, 0, 1] }, { text: cmd.command, style: "command" }),
      ]),
      {
        text: "The packaged public key proves the files are unchanged since signing, not who signed them: compare the fingerprint with one the publisher gave you through another channel.",
        style: "note",
        margin: [0, 8, 0, 0],
      },
    ];
  }
}

function runs(days: DayStatus[]): Array<{ start: number; length: number; status: DayStatus }> {
  const out: Array<{ start: number; length: number; status: DayStatus }> = [];
  let start = 0;
  for (let i = 1; i <= days.length; i++) {
    if (i === days.length || days[i] !== days[start]) {
      out.push({ start, length: i - start, status: days[start]! });
      start = i;
    }
  }
  return out;
}

/** `colour` blended with white: share 0 is nearly white, share 1 the full colour. */
export function mix(colour: string, share: number): string {
  const t = 0.2 + 0.8 * Math.min(1, Math.max(0, share));
  const channel = (i: number) => {
    const v = Number.parseInt(colour.slice(1 + 2 * i, 3 + 2 * i), 16);
    return Math.round(255 + (v - 255) * t)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

export const MONO_SIZE = 6.5;
/** Roboto's widest digit or lowercase hex letter is 0.562 em; 0.6 em per character keeps lines inside their cell. */
const MONO_CHAR_EM = 0.6;
/** pdfmake's default left + right cell padding. */
const CELL_PADDING_X = 8;

/** Column widths in points: "*" columns share what the fixed ones and the paddings leave. */
export function resolveWidths(widths: Array<number | "*">): number[] {
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

export function mono(text: string, widthPt: number): { text: string; style: string } {
  return { text: wrapIdentifier(text, widthPt), style: "mono" };
}

/** "2026-08-03T10:12:00Z" -> "2026-08-03 10:12:00" (column headers say UTC). */
export function time(iso: string | undefined): string {
  if (!iso) return "";
  return iso.replace("T", " ").replace(/(\.\d+)?Z$/, "");
}

export function day(iso: string): string {
  return iso.slice(0, 10);
}

function monthLabel(isoDay: string): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  return d.toLocaleString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
}
