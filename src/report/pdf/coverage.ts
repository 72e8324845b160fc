import type { Content, TableCell } from "pdfmake/interfaces.js";
import {
  type CoverageRow,
  cappedCoverage,
  KNOWN_BY,
  KNOWN_BY_LABEL,
  KNOWN_BY_MEANING,
  type KnownBy,
  percentText,
  whenText,
} from "../coverage.js";
import { type Kit, mix, mono, resolveWidths } from "./kit.js";

/**
 * How each part of the period is known (issue 10), drawn from the model's coverage section: the
 * auditor report's methodology appendix and the customer summary. Each account and region gets a
 * bar of its finding time by basis (shades of the primary colour for what evidence proves, the
 * NOT_COVERED and ERROR status colours for what it does not) and a paragraph in plain words.
 */

/** Account/region rows drawn in the auditor report and the summary; the rest are summed in one line. */
const MAX_AUDITOR_ROWS = 24;
const MAX_SUMMARY_ROWS = 8;
/** NOT_COVERED stretches listed in the auditor report (all are in report.xlsx, sheet Coverage). */
const MAX_GAP_ROWS = 30;

function basisColour(kit: Kit, kind: KnownBy): string {
  switch (kind) {
    case "observed":
      return kit.c.primary;
    case "config-timeline":
      return mix(kit.c.primary, 0.6);
    case "inferred-from-activity":
      return mix(kit.c.primary, 0.3);
    case "not-covered":
      return kit.colour("NOT_COVERED");
    case "not-read":
      return kit.colour("ERROR");
    case "unstated":
      return kit.colour("NO_DATA");
  }
}

/** The kinds worth a column: the four that always matter, and "basis not recorded" only when present. */
function kindsOf(kit: Kit): KnownBy[] {
  return KNOWN_BY.filter((k) => k !== "unstated" || kit.model.coverage.total.seconds.unstated > 0);
}

function bar(kit: Kit, percent: Record<KnownBy, number>, width: number, height: number): Content {
  let x = 0;
  const rects: Array<Record<string, unknown>> = [];
  for (const k of KNOWN_BY) {
    const w = (percent[k] / 100) * width;
    if (w <= 0) continue;
    // Any time not covered or not read stays visible, however small.
    const drawn = k === "not-covered" || k === "not-read" ? Math.max(w, 1.5) : w;
    rects.push({ type: "rect", x, y: 0, w: drawn, h: height, color: basisColour(kit, k) });
    x += w;
  }
  if (rects.length === 0)
    rects.push({ type: "rect", x: 0, y: 0, w: width, h: height, color: kit.colour("NO_DATA") });
  return { canvas: rects, width, margin: [0, 2, 0, 0] } as unknown as Content;
}

function legendTable(kit: Kit, kinds: KnownBy[]): Content {
  return kit.table({
    widths: [12, 80, "*"],
    header: ["", "How it is known", "Meaning"],
    rows: () =>
      kinds.map((k) => [
        {
          canvas: [{ type: "rect", x: 0, y: 1.5, w: 8, h: 6, color: basisColour(kit, k) }],
        } as unknown as TableCell,
        { text: KNOWN_BY_LABEL[k], bold: true },
        { text: KNOWN_BY_MEANING[k] },
      ]),
  });
}

function legendRow(kit: Kit, kinds: KnownBy[]): Content {
  return {
    columns: kinds.map(
      (k) =>
        ({
          width: "auto",
          columns: [
            { canvas: [{ type: "rect", x: 0, y: 1.5, w: 8, h: 6, color: basisColour(kit, k) }], width: 11 },
            { text: KNOWN_BY_LABEL[k], style: "axis", width: "auto" },
          ],
          columnGap: 0,
        }) as unknown as Content,
    ),
    columnGap: 12,
    margin: [0, 4, 0, 2],
  };
}

function shareCells(kit: Kit, row: Pick<CoverageRow, "percent">, kinds: KnownBy[]): TableCell[] {
  return kinds.map((k) => {
    const p = row.percent[k];
    const weak = (k === "not-covered" || k === "not-read") && p > 0;
    return {
      text: percentText(p),
      alignment: "right",
      bold: weak,
      color: weak ? basisColour(kit, k) : p === 0 ? kit.c.muted : kit.c.text,
    } as TableCell;
  });
}

function placeText(row: CoverageRow): string {
  return row.region ? `${row.account}\n${row.region}` : row.account;
}

function rowsTable(kit: Kit, max: number, withText: boolean): Content[] {
  const kinds = kindsOf(kit);
  const capped = cappedCoverage(kit.model.coverage.rows, max);
  const all = capped.rest ? [...capped.rows, capped.rest] : capped.rows;
  const widths: Array<number | "*"> = [78, "*", ...kinds.map(() => 40)];
  const w = resolveWidths(widths);
  const cells = (row: CoverageRow): TableCell[] => [
    { ...mono(placeText(row), w[0]!), bold: true } as TableCell,
    bar(kit, row.percent, w[1]!, 7) as TableCell,
    ...shareCells(kit, row, kinds),
  ];
  // Each pair's figures and its paragraph stay together on one page: one unbreakable block per pair
  // under a header table, drawn with the same widths and rules as kit.table.
  const layout = {
    hLineColor: () => kit.c.rule,
    vLineWidth: () => 0,
    hLineWidth: (i: number, node: { table: { body: unknown[] } }) => (i === node.table.body.length ? 0.5 : 0),
    paddingTop: () => 2,
    paddingBottom: () => 2,
    // The header table's first column has no left padding (its title row starts at the margin).
    paddingLeft: (i: number) => (i === 0 ? 0 : 4),
  };
  const pair = (row: CoverageRow): Content =>
    kit.keep({
      table: {
        widths: w,
        body: [
          cells(row),
          [
            { text: row.text, fontSize: 7, colSpan: w.length, margin: [0, 0, 0, 2] },
            ...w.slice(1).map(() => ({ text: "" })),
          ] as TableCell[],
        ],
      },
      layout,
      style: "table",
    } as Content);
  const spec = {
    title: "Finding time by how it is known, per account and region",
    widths,
    header: ["Account / region", "Share of the period", ...kinds.map((k) => KNOWN_BY_LABEL[k])],
  };
  const note = capped.rest
    ? [
        kit.note(
          `Showing the ${capped.rows.length} account/region pair(s) with the most time not covered or not read; the other ${capped.rest.pairs} are summed in the last line, and every pair is in report.xlsx, sheet Coverage.`,
        ),
      ]
    : [];
  // Figures alone: one table, its header repeated on every page it spans.
  if (!withText) return [kit.table({ ...spec, rows: () => all.map(cells) }), ...note];
  const [first, ...rest] = all;
  const header = kit.table({ ...spec, rows: () => [] });
  return [
    kit.keep({ ...(header as object), margin: [0, 2, 0, 0] } as Content, ...(first ? [pair(first)] : [])),
    ...rest.map(pair),
    { text: "", margin: [0, 0, 0, 6] },
    ...note,
  ];
}

function gapsTable(kit: Kit): Content[] {
  const gaps = kit.model.coverage.rows.flatMap((row) => row.gaps.map((g) => ({ row, g })));
  if (gaps.length === 0) return [];
  const shown = gaps.slice(0, MAX_GAP_ROWS);
  return [
    kit.table({
      title: "Stretches no evidence covers (NOT COVERED)",
      widths: [78, 66, 66, "*"],
      header: ["Account / region", "From", "To", "Checks (resources)"],
      rows: (w) =>
        shown.map(({ row, g }) => [
          mono(placeText(row), w[0]!),
          { text: whenText(g.start), fontSize: 7 },
          { text: whenText(g.end), fontSize: 7 },
          {
            text: g.checks.map((c) => `${c.checkId} (${c.resources})`).join(", "),
            fontSize: 7,
            color: kit.colour("NOT_COVERED"),
          },
        ]),
    }),
    ...(gaps.length > shown.length
      ? [
          kit.note(
            `Showing ${shown.length} of ${gaps.length} stretches; all are in report.xlsx, sheet Coverage.`,
          ),
        ]
      : []),
  ];
}

/** The methodology appendix's account of coverage: statement, legend, per-pair table, gaps. */
export function coverageMethodology(kit: Kit): Content[] {
  const coverage = kit.model.coverage;
  if (coverage.rows.length === 0) return [];
  return [
    kit.keep(
      { text: "How each part of the period is known", style: "h2" },
      {
        text: "Each interval of each finding states its basis. The period of every check on every resource is measured by that basis below, per account and region: what auditpack observed, what it reconstructed from the history AWS itself keeps, and what no evidence covers.",
        margin: [0, 0, 0, 4],
      },
      { text: coverage.statement, bold: true, margin: [0, 0, 0, 4] },
    ),
    legendTable(kit, kindsOf(kit)),
    ...rowsTable(kit, MAX_AUDITOR_ROWS, true),
    ...gapsTable(kit),
  ];
}

/** The customer summary's short account of coverage: statement and a bounded per-pair table. */
export function coverageSummary(kit: Kit): Content[] {
  const coverage = kit.model.coverage;
  if (coverage.rows.length === 0) return [];
  return [
    kit.keep(
      { text: "How the period is known", style: "h2" },
      { text: coverage.statement, margin: [0, 0, 0, 2] },
      kit.note(
        "Observed: read by auditpack at the time. AWS Config and CloudTrail history: reconstructed from the history AWS itself keeps. Not covered: no evidence exists or can be obtained. Not read: collection errors (ERROR). The assessor's report (Appendix B) says what each rests on.",
      ),
      legendRow(kit, kindsOf(kit)),
    ),
    ...rowsTable(kit, MAX_SUMMARY_ROWS, false),
  ];
}
