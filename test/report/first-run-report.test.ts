import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load.js";
import { checkInfoFromRegistry } from "../../src/cli/report.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import type { Findings, Status } from "../../src/evaluate/types.js";
import { KNOWN_BY } from "../../src/report/coverage.js";
import { buildReportModel, type ReportModel } from "../../src/report/model.js";
import { renderPdf, renderSummaryPdf } from "../../src/report/pdf.js";
import { loadReportTemplate } from "../../src/report/templates.js";
import { renderXlsx } from "../../src/report/xlsx.js";
import { scenarioStore } from "../evaluate/demo-store.js";
import { missingTools, run } from "./tools.js";

/**
 * The first-run scenario (evidence-fixtures/first-run: one collection on 2026-11-16, 90 days of
 * CloudTrail, Config timelines for user pools and log groups) rendered as a report: the PDFs and
 * the workbook say, per account and region, what is observed, what is reconstructed from AWS
 * history and what no evidence covers, and count NOT COVERED. The methodology page is rendered to
 * PNG in the test's temp dir (kept) for a reviewer to look at.
 */

const missing = missingTools(["pdftotext", "pdftoppm"]);
const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-first-run-report-"));
const file = (name: string) => path.join(work, name);
const text = (pdf: string, layout = false) =>
  run("pdftotext", [...(layout ? ["-layout"] : []), pdf, "-"]).stdout;
let findings: Findings;
let model: ReportModel;
const workbook = new ExcelJS.Workbook();

beforeAll(async () => {
  const { store } = await scenarioStore("first-run");
  findings = await evaluate({
    store,
    catalog: loadCatalog("pci-dss-4.0.1"),
    requirements: ["8", "10", "11"],
    period: parsePeriod("2026-Q4"),
    now: new Date("2026-11-16T10:00:00Z"),
  });
  model = buildReportModel({
    findings,
    catalog: loadCatalog("pci-dss-4.0.1"),
    template: loadReportTemplate("pci-dss-4.0.1"),
    checkInfo: checkInfoFromRegistry,
    organisation: "Demo Payments Ltd",
  });
  await renderXlsx(model, file("report.xlsx"));
  await workbook.xlsx.readFile(file("report.xlsx"));
  if (missing.length > 0) return;
  writeFileSync(file("report.pdf"), await renderPdf(model));
  writeFileSync(file("summary.pdf"), await renderSummaryPdf(model, findings));
}, 300_000);

describe("the model of a first run", () => {
  it("has one coverage row per account and region, with time not covered before the first collection", () => {
    expect(model.coverage.rows.map((r) => `${r.account}/${r.region}`)).toEqual([
      "111122223333/eu-west-1",
      "111122223333/us-east-1",
    ]);
    for (const row of model.coverage.rows) {
      expect(row.percent["not-covered"]).toBeGreaterThan(0);
      expect(row.percent["config-timeline"]).toBeGreaterThan(0);
      expect(row.percent["inferred-from-activity"]).toBeGreaterThan(0);
      expect(row.percent["not-read"]).toBe(0);
      expect(row.text).toContain("auditpack's first collection here was 2026-11-16 09:00 UTC");
      // The alarm was deleted on 2026-10-28: before that nothing says what it watched.
      expect(row.gaps[0]).toMatchObject({
        start: "2026-10-01T00:00:00Z",
        end: "2026-10-28T09:26:51Z",
        checks: [{ checkId: "cloudwatch_security_event_alarms", resources: 1 }],
      });
    }
    expect(model.summary.requirementCounts.NOT_COVERED).toBeGreaterThan(0);
  });
});

describe.skipIf(missing.length > 0)("the PDFs of a first run", () => {
  it("the methodology states per account and region how the period is known and what nothing covers", () => {
    const t = text(file("report.pdf"));
    // Table cells wrap: compare with the line breaks folded into spaces.
    const methodology = t.slice(t.lastIndexOf("Appendix B: Methodology")).replace(/\s+/g, " ");
    for (const phrase of [
      "How each part of the period is known",
      "Stretches no evidence covers (NOT COVERED)",
      "2026-10-28 09:26:51 UTC",
      "cloudwatch_security_event_alarms (1)",
      "nothing earlier was collected, so the time before it rests on AWS history",
      "Reconstructed from CloudTrail management events",
    ])
      expect(methodology).toContain(phrase);
    for (const row of model.coverage.rows) {
      expect(methodology).toContain(`${row.account} ${row.region}`);
      expect(methodology).toContain(row.text.slice(0, 100));
    }
    const prefix = file("methodology");
    const page = t.split("\f").findIndex((p) => p.includes("How each part of the period is known")) + 1;
    run("pdftoppm", ["-png", "-r", "60", "-f", String(page), "-l", String(page), file("report.pdf"), prefix]);
    console.log(`methodology page ${page}: ${prefix}-*.png`);
    expect(existsSync(`${prefix}-${String(page).padStart(2, "0")}.png`)).toBe(true);
  });

  it("both PDFs count NOT COVERED in their status table", () => {
    const order: Status[] = ["PASS", "FAIL", "ERROR", "NOT_COVERED", "MANUAL", "NOT_APPLICABLE"];
    const counts = order.map((s) => model.summary.requirementCounts[s]).join("\\s+");
    for (const pdf of ["report.pdf", "summary.pdf"]) {
      expect(text(file(pdf)), pdf).toContain("NOT COVERED");
      // The counts line, column by column in the header's order.
      expect(text(file(pdf), true), pdf).toMatch(new RegExp(`Requirements\\s+${counts}\\b`));
    }
  });

  it("the summary names the requirements not covered for part of the period and how the period is known", () => {
    const t = text(file("summary.pdf")).replace(/\s+/g, " ");
    const ids = findings.requirements.filter((r) => r.status === "NOT_COVERED").map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(t).toContain(`Not covered for part of the period: ${ids.join(", ")}.`);
    expect(t).toContain("How the period is known");
    expect(t).toContain("Not Tested (not covered) = auditpack NOT COVERED");
    expect(t).toContain(model.coverage.statement.slice(0, 80));
  });
});

describe("the workbook of a first run", () => {
  const values = (sheet: string, row: number) =>
    (workbook.getWorksheet(sheet)!.getRow(row).values as unknown[]).slice(1);

  it("has a Coverage sheet: one row per account and region with the shares, sources and stretches", () => {
    const header = values("Coverage", 2) as string[];
    expect(header.slice(0, 3)).toEqual(["Account", "Region", "Check/resource pairs"]);
    const column = (name: string) => header.findIndex((h) => h.startsWith(name));
    const firstShare = header.findIndex((h) => h.endsWith("(% of finding time)"));
    model.coverage.rows.forEach((r, i) => {
      const row = values("Coverage", 3 + i);
      expect(row.slice(0, 3)).toEqual([r.account, r.region, r.findings]);
      expect(row.slice(firstShare, firstShare + KNOWN_BY.length)).toEqual(
        KNOWN_BY.map((k) => Math.round(r.percent[k] * 10) / 10),
      );
      expect(row[column("Snapshot records")]).toBe(6);
      expect(row[column("AWS Config resource types")]).toBe("Cognito user pools, CloudWatch Logs log groups");
      expect(row[column("Not covered stretches")]).toContain(
        "2026-10-01 00:00:00 to 2026-10-28 09:26:51: cloudwatch_security_event_alarms (1)",
      );
      expect(row[column("How it is known")]).toBe(r.text);
    });
    expect(workbook.getWorksheet("Coverage")!.rowCount).toBe(2 + model.coverage.rows.length);
  });

  it("says how each finding interval is known, with the events it rests on", () => {
    const sheet = workbook.getWorksheet("Findings")!;
    const header = values("Findings", 2) as string[];
    const how = header.indexOf("How known");
    const status = header.indexOf("Status");
    const check = header.indexOf("Check");
    const rows: unknown[][] = [];
    sheet.eachRow((r, n) => {
      if (n > 2) rows.push((r.values as unknown[]).slice(1));
    });
    const stopped = rows.find((r) => r[check] === "cloudtrail_logging_continuous" && r[status] === "FAIL");
    expect(stopped?.[how]).toMatch(
      /^CloudTrail history \(events complete .*\): StopLogging 2026-11-12T20:14:09Z by arn:aws:sts::111122223333:assumed-role\/payments-deploy/,
    );
    expect(rows.filter((r) => r[status] === "NOT_COVERED").every((r) => r[how] === "Not covered")).toBe(true);
    expect(new Set(rows.map((r) => String(r[how]).split(/[ :(]/)[0]))).toEqual(
      new Set(["Observed", "AWS", "CloudTrail", "Not"]),
    );
  });

  it("counts and explains NOT_COVERED on the Summary and Legend sheets", () => {
    const summary: unknown[][] = [];
    workbook.getWorksheet("Summary")!.eachRow((r) => summary.push((r.values as unknown[]).slice(1)));
    expect(summary).toContainEqual([
      "NOT_COVERED",
      model.summary.requirementCounts.NOT_COVERED,
      model.summary.findingCounts.NOT_COVERED,
    ]);
    expect(summary).toContainEqual(["How the period is known (sheet Coverage)", model.coverage.statement]);
    const legend: unknown[][] = [];
    workbook.getWorksheet("Legend")!.eachRow((r) => legend.push((r.values as unknown[]).slice(1)));
    expect(legend.find((r) => r[0] === "NOT_COVERED")?.[1]).toMatch(/^No evidence exists for the stretch/);
    expect(legend.map((r) => r[0])).toEqual(
      expect.arrayContaining(["Observed", "AWS Config history", "Not covered"]),
    );
  });
});
