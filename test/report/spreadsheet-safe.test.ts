import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import type { Findings } from "../../src/evaluate/types.js";
import { csvField } from "../../src/report/csv.js";
import { type BuiltReport, buildReport } from "../../src/report/package.js";
import { spreadsheetSafe, spreadsheetSafeValue } from "../../src/report/spreadsheet-safe.js";
import { fixtureCatalog, fixtureFindings } from "./fixture.js";
import { missingTools, parseCsv, xlsxSheetsAsCsv } from "./tools.js";

const INJECTION = '=HYPERLINK("http://x","y")';
const REASON = "@SUM(1+1) looked like a formula";

describe("spreadsheetSafe (OWASP CSV injection)", () => {
  it("prefixes a quote to text starting with = + - @, tab or CR, and leaves other text alone", () => {
    for (const s of ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", INJECTION]) {
      expect(spreadsheetSafe(s)).toBe(`'${s}`);
    }
    for (const s of ["plain", "a=b", "", "arn:aws:iam::1:user/x", "'already", "-5", "+1.5", "-0.25e3"]) {
      expect(spreadsheetSafe(s)).toBe(s);
    }
    expect(spreadsheetSafeValue(-3)).toBe(-3);
    const d = new Date(0);
    expect(spreadsheetSafeValue(d)).toBe(d);
    expect(spreadsheetSafeValue(null)).toBeNull();
  });

  it("csvField makes the field safe, then quotes it per RFC 4180", () => {
    expect(csvField(INJECTION)).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField("-2")).toBe("-2");
  });
});

/** The fixture with one resource and one reason an attacker could name. */
function hostileFindings(): Findings {
  const findings = fixtureFindings();
  const f = findings.requirements.flatMap((r) => r.checks.flatMap((c) => c.findings))[0]!;
  f.resource = INJECTION;
  f.reason = REASON;
  for (const i of f.intervals) i.reason = REASON;
  return findings;
}

const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-injection-"));
let built: BuiltReport;
beforeAll(async () => {
  built = await buildReport({
    findings: hostileFindings(),
    catalog: fixtureCatalog(),
    out: path.join(work, "pkg"),
    sign: false,
    formats: ["xlsx", "json", "csv"],
  });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("a package whose evidence names a resource =HYPERLINK(...)", () => {
  it("findings.csv holds it as quoted text; findings.json holds it unchanged", () => {
    const rows = parseCsv(readFileSync(path.join(built.dir, "findings.csv"), "utf8"));
    const header = rows[0]!;
    const resources = rows.slice(1).map((r) => r[header.indexOf("resource")]);
    const reasons = rows.slice(1).map((r) => r[header.indexOf("reason")]);
    expect(resources).toContain(`'${INJECTION}`);
    expect(resources).not.toContain(INJECTION);
    expect(reasons).toContain(`'${REASON}`);
    const json = JSON.parse(readFileSync(path.join(built.dir, "findings.json"), "utf8")) as Findings;
    const resourcesInJson = json.requirements.flatMap((r) =>
      r.checks.flatMap((c) => c.findings.map((f) => f.resource)),
    );
    expect(resourcesInJson).toContain(INJECTION);
    expect(resourcesInJson).not.toContain(`'${INJECTION}`);
  });

  it("report.xlsx stores it as a string cell, never a formula", async () => {
    const sheet = await zipEntry(path.join(built.dir, "report.xlsx"), /^xl\/worksheets\/sheet\d+\.xml$/);
    expect(sheet.join("")).not.toMatch(/<f>|<f /);
    expect(sheet.join("")).toMatch(/(?:'|&apos;|&#39;)=HYPERLINK\((?:"|&quot;)http:\/\/x/);
  });

  it.skipIf(missingTools(["soffice"]).length > 0)(
    "LibreOffice's conversion of report.xlsx shows the text, not the link's value",
    () => {
      const sheets = xlsxSheetsAsCsv(path.join(built.dir, "report.xlsx"));
      const findingsSheet = parseCsv(sheets.Findings!);
      const cells = findingsSheet.flat();
      expect(cells).toContain(`'${INJECTION}`);
      expect(cells).toContain(`'${REASON}`);
      // Evaluated, the formula would show its friendly name "y", and the @SUM reason "2" (other
      // columns hold real numbers such as failing days, so only the text columns are checked).
      const header = findingsSheet.find((row) => row.some((c) => /^reason$/i.test(c)))!;
      const textColumns = header.flatMap((c, i) => (/^(reason|resource|name)$/i.test(c) ? [i] : []));
      expect(textColumns.length).toBeGreaterThan(0);
      const texts = findingsSheet.flatMap((row) => textColumns.map((i) => row[i]));
      expect(texts).not.toContain("y");
      expect(texts).not.toContain("2");
      expect(cells).not.toContain("y");
    },
  );
});

/** Text of the zip entries whose name matches. */
function zipEntry(zip: string, name: RegExp): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const texts: string[] = [];
    yauzl.open(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(error);
      archive.on("entry", (entry: yauzl.Entry) => {
        if (!name.test(entry.fileName)) return archive.readEntry();
        archive.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            texts.push(Buffer.concat(chunks).toString("utf8"));
            archive.readEntry();
          });
        });
      });
      archive.on("end", () => resolve(texts));
      archive.readEntry();
    });
  });
}
