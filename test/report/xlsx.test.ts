import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReportModel } from "../../src/report/model.js";
import { loadReportTemplate } from "../../src/report/templates.js";
import { MAX_CELL, renderXlsx } from "../../src/report/xlsx.js";
import { extractZip } from "../../src/report/zip.js";
import { fixtureCatalog } from "./fixture.js";
import { scaledFindings } from "./scaled-fixture.js";
import { missingTools, parseCsv, xlsxSheetsAsCsv } from "./tools.js";

/** report.xlsx at 32 accounts: cells stay short, links resolve, it prints one page wide, LibreOffice reads it. */

const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-xlsx-test-"));
const findings = scaledFindings(32);
const model = buildReportModel({
  findings,
  catalog: fixtureCatalog(),
  template: loadReportTemplate("pci-dss-4.0.1"),
});
const file = path.join(work, "report.xlsx");
let sheets: Record<string, string>;

/** Sheet name -> its XML, read through the workbook's own sheet list. */
function sheetXml(dir: string): Record<string, string> {
  const workbook = readFileSync(path.join(dir, "xl/workbook.xml"), "utf8");
  const rels = readFileSync(path.join(dir, "xl/_rels/workbook.xml.rels"), "utf8");
  const out: Record<string, string> = {};
  for (const m of workbook.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g)) {
    const target =
      new RegExp(`Id="${m[2]}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ??
      new RegExp(`Target="([^"]+)"[^>]*Id="${m[2]}"`).exec(rels)?.[1];
    out[m[1]!] = readFileSync(path.join(dir, "xl", target!.replace(/^\/?xl\//, "")), "utf8");
  }
  return out;
}

function cells(xml: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"[^>]*?(?:\/>|>(.*?)<\/c>)/gs)) {
    const inner = m[2] ?? "";
    const text = /<t[^>]*>(.*?)<\/t>/s.exec(inner)?.[1] ?? /<v>(.*?)<\/v>/s.exec(inner)?.[1] ?? "";
    map.set(
      m[1]!,
      text
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, "&"),
    );
  }
  return map;
}

beforeAll(async () => {
  await renderXlsx(model, file);
  await extractZip(file, path.join(work, "x"));
  sheets = sheetXml(path.join(work, "x"));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("report.xlsx at 32 accounts", () => {
  it("has no cell over 8,000 characters, and sheet Evidence holds one key per cell", () => {
    expect(Object.keys(sheets)).toEqual([
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
    ]);
    let longest = 0;
    for (const xml of Object.values(sheets))
      for (const v of cells(xml).values()) longest = Math.max(longest, v.length);
    expect(longest).toBeLessThanOrEqual(MAX_CELL);
    const evidence = cells(sheets.Evidence!);
    expect(evidence.get("A2")).toBe("Ref");
    expect(evidence.get("B2")).toBe("Key");
    const index = [...model.evidenceIndex];
    expect(index).toHaveLength(model.evidenceIndex.length);
    for (let n = 1; n <= index.length; n += 97) {
      expect(evidence.get(`A${n + 2}`)).toBe(`E${n}`);
      expect(evidence.get(`B${n + 2}`)).toBe(index[n - 1]!.key);
      expect(evidence.get(`B${n + 2}`)).not.toContain("\n");
    }
  });

  it("links every findings row to an existing Evidence row that the row cites", () => {
    const findingsXml = sheets.Findings!;
    const links = [...findingsXml.matchAll(/<hyperlink ref="([A-Z]+\d+)" location="([^"]+)"\/>/g)];
    const rows = [...model.findingRows()];
    expect(links.length).toBe(rows.filter((r) => r.evidence.length > 0).length);
    const evidence = cells(sheets.Evidence!);
    const findingCells = cells(findingsXml);
    for (const [, ref, location] of links.slice(0, 500)) {
      const m = /^Evidence!A(\d+)$/.exec(location!);
      expect(m, location).not.toBeNull();
      const target = evidence.get(`A${m![1]}`);
      expect(target).toMatch(/^E\d+$/);
      // The link's text starts with the record it points at.
      expect(findingCells.get(ref!)!.startsWith(target!)).toBe(true);
    }
    // No relationship file pretends the links are external URLs.
    const relsDir = path.join(work, "x/xl/worksheets/_rels");
    const rels = existsSync(relsDir)
      ? readdirSync(relsDir)
          .map((f) => readFileSync(path.join(relsDir, f), "utf8"))
          .join("")
      : "";
    expect(rels).not.toContain("#Evidence");
  });

  it("prints landscape, one page wide, header row repeated, id column and header frozen", () => {
    const xml = sheets.Findings!;
    expect(xml).toContain('<pageSetUpPr fitToPage="1"/>');
    expect(xml).toMatch(/<pageSetup [^>]*orientation="landscape"[^>]*fitToWidth="1"[^>]*fitToHeight="0"/);
    expect(xml).toMatch(/<pane xSplit="1" ySplit="2"[^>]*state="frozen"/);
    expect(readFileSync(path.join(work, "x/xl/workbook.xml"), "utf8")).toContain(
      "&apos;Findings&apos;!$2:$2",
    );
    // One status column, explained in the Legend.
    const header = cells(xml);
    const headers = [...header.entries()].filter(([k]) => /^[A-Z]+2$/.test(k)).map(([, v]) => v);
    expect(headers.filter((h) => /status/i.test(h))).toEqual(["Status"]);
    const legend = [...cells(sheets.Legend!).values()];
    expect(legend).toEqual(expect.arrayContaining(["PASS", "FAIL", "FAIL (waived)", "ERROR"]));
  });

  const missing = missingTools(["soffice"]);
  it.skipIf(missing.length > 0)(
    "LibreOffice converts it",
    () => {
      const csv = xlsxSheetsAsCsv(file);
      expect(Object.keys(csv).sort()).toEqual([
        "Accounts",
        "Attachments",
        "Coverage",
        "Evidence",
        "Findings",
        "Legend",
        "Requirements",
        "Summary",
        "Timeline",
        "Waivers",
      ]);
      const rows = parseCsv(csv.Evidence!).filter((r) => r.some((c) => c !== ""));
      expect(rows.length - 2).toBe(model.evidenceIndex.length);
      expect(rows[2]![0]).toBe("E1");
    },
    200_000,
  );
});
