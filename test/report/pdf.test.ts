import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load.js";
import { checkInfoFromRegistry } from "../../src/cli/report.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import type { Findings } from "../../src/evaluate/types.js";
import { buildReportModel, type ReportModel } from "../../src/report/model.js";
import { renderPdf, renderSummaryPdf } from "../../src/report/pdf.js";
import { loadReportTemplate } from "../../src/report/templates.js";
import { demoStore } from "../evaluate/demo-store.js";
import { orphanedHeadings } from "./pdf-text.js";
import { cloneAcrossAccounts } from "./scaled-fixture.js";
import { missingTools, run } from "./tools.js";

/**
 * Page budgets and readability of the two PDFs on the demo (and the summary at 32 accounts): the
 * auditor report under 120 pages with no hash lists and no heading left alone at a page bottom,
 * the summary within 20 pages (30 at 32 accounts). The summary's first three pages are rendered to
 * PNG in the test's temp dir (kept) for a reviewer to look at.
 */

const missing = missingTools(["pdfinfo", "pdftotext", "pdftoppm"]);
if (missing.length > 0)
  console.warn(`skipping the PDF page-budget tests: ${missing.join(", ")} not installed`);

const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-pdf-test-"));
const catalog = loadCatalog("pci-dss-4.0.1");
let findings: Findings;
let model: ReportModel;
const file = (name: string) => path.join(work, name);

function modelOf(f: Findings): ReportModel {
  return buildReportModel({
    findings: f,
    catalog,
    template: loadReportTemplate("pci-dss-4.0.1"),
    checkInfo: checkInfoFromRegistry,
    organisation: "Demo Payments Ltd",
  });
}

const pages = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(run("pdfinfo", [pdf]).stdout)?.[1]);
const text = (pdf: string, layout = false) =>
  run("pdftotext", [...(layout ? ["-layout"] : []), pdf, "-"]).stdout;

beforeAll(async () => {
  if (missing.length > 0) return;
  const { store } = await demoStore();
  findings = await evaluate({
    store,
    catalog,
    requirements: ["8", "10", "11"],
    period: parsePeriod("2026-Q3"),
    now: new Date("2026-10-01T06:00:00Z"),
  });
  model = modelOf(findings);
  writeFileSync(file("report.pdf"), await renderPdf(model));
  writeFileSync(file("summary.pdf"), await renderSummaryPdf(model, findings));
  const clone = cloneAcrossAccounts(findings, 16);
  writeFileSync(file("summary-32.pdf"), await renderSummaryPdf(modelOf(clone), clone));
}, 600_000);

describe("the orphaned-heading detector", () => {
  it("flags a page that ends with a heading and passes one that does not", () => {
    const page = (last: string) =>
      `Demo Payments Ltd · PCI DSS v4.0 · 2026-Q3\nSome text\n${last}\n   DA\nReport AP-X   Conf.   page 1 of 2\n`;
    expect(orphanedHeadings(page("8.4.2  All access into the CDE uses MFA  FAIL"), "Conf.")).toEqual([
      "page 1: 8.4.2  All access into the CDE uses MFA  FAIL",
    ]);
    expect(orphanedHeadings(`${page("What it asks")}\f${page("Nothing attached.")}`, "Conf.")).toEqual([
      "page 1: What it asks",
    ]);
  });
});

describe.skipIf(missing.length > 0)("PDF page budgets on the demo", () => {
  it("report.pdf is under 120 pages, summary.pdf at most 20, and at most 30 at 32 accounts", () => {
    const report = pages(file("report.pdf"));
    const summary = pages(file("summary.pdf"));
    const summary32 = pages(file("summary-32.pdf"));
    console.log(
      `report.pdf ${report} pages, summary.pdf ${summary} pages, summary at 32 accounts ${summary32} pages`,
    );
    expect(report).toBeLessThan(120);
    expect(summary).toBeLessThanOrEqual(20);
    expect(summary32).toBeLessThanOrEqual(30);
  });

  it("report.pdf prints no hash list: evidence is cited by E-numbers that resolve in the index", () => {
    const t = text(file("report.pdf"));
    // The only SHA-256 printed is the signing key's fingerprint, when the package is signed.
    expect((t.match(/\b[0-9a-f]{64}\b/g) ?? []).length).toBeLessThanOrEqual(1);
    const refs = [...t.matchAll(/\bE(\d+)\b/g)].map((m) => Number(m[1]));
    expect(refs.length).toBeGreaterThan(50);
    expect(Math.max(...refs)).toBeLessThanOrEqual(model.evidenceIndex.length);
    expect(t).toContain(`E1 to E${model.evidenceIndex.length}`);
  });

  it("no heading is the last line of a page", () => {
    for (const [name, doc] of [
      ["report.pdf", file("report.pdf")],
      ["summary.pdf", file("summary.pdf")],
    ] as const) {
      const orphans = orphanedHeadings(text(doc, true), model.branding.confidentiality);
      expect(orphans, `${name}: ${orphans.join("; ")}`).toEqual([]);
    }
  });

  it("summary.pdf says what was not assessed, results in the standard's terms, open problems and how to verify", () => {
    const t = text(file("summary.pdf"));
    for (const phrase of [
      "Scope and what was not assessed",
      "Principal requirements not in scope",
      "Results by requirement",
      "In Place",
      "Not in Place",
      "Problems open at period end",
      "Drift across the period",
      "How to verify this summary",
      "sha256sum -c SHA256SUMS",
    ])
      expect(t).toContain(phrase);
  });

  it("both PDFs say how each part of the period is known, per account and region, with NOT COVERED counted", () => {
    const report = text(file("report.pdf"));
    const methodology = report.slice(report.lastIndexOf("Appendix B: Methodology"));
    for (const phrase of [
      "How each part of the period is known",
      "Finding time by how it is known, per account and region",
      "AWS Config history",
      "CloudTrail history",
      "Not covered",
      "Not read",
      "NOT_COVERED (no evidence exists for the stretch",
      model.coverage.statement.slice(0, 60),
    ])
      expect(methodology).toContain(phrase);
    // Every account/region pair of the demo has its line, and the demo's period is covered throughout.
    expect(model.coverage.rows).toHaveLength(4);
    for (const row of model.coverage.rows) {
      expect(methodology).toContain(`${row.account}\n${row.region}`);
      expect(row.text).toContain("auditpack collected 558 snapshot record(s) here");
    }
    expect(methodology).toContain("Every second of the period is covered by evidence.");
    expect(methodology).not.toContain("Stretches no evidence covers");
    // The executive summary counts NOT COVERED beside the other statuses.
    expect(report.slice(0, report.indexOf("Status across the period"))).toMatch(/NOT COVERED/);
    const summary = text(file("summary.pdf"));
    for (const phrase of [
      "How the period is known",
      "Not covered for part of the period: none.",
      "NOT COVERED",
    ])
      expect(summary).toContain(phrase);
  });

  it("report.pdf lists results by account in the executive summary, worst first, with each account's worst resources", () => {
    const report = text(file("report.pdf"), true);
    const summary = report.slice(
      report.indexOf("Executive summary"),
      report.indexOf("Status across the period"),
    );
    expect(summary).toContain(`Results by account (${model.accounts.length}), most failing time first`);
    const worst = model.accounts[0]!;
    const other = model.accounts[1]!;
    expect(worst.failingSeconds).toBeGreaterThanOrEqual(other.failingSeconds);
    expect(summary.indexOf(worst.account)).toBeLessThan(summary.indexOf(other.account));
    expect(summary).toContain(worst.worst[0]!.checkId.slice(0, 20));
  });

  it("renders the summary's first three pages to PNG for review", () => {
    const prefix = path.join(work, "summary-page");
    run("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "3", file("summary.pdf"), prefix]);
    const pngs = [1, 2, 3]
      .map((n) => `${prefix}-0${n}.png`)
      .filter((p) => existsSync(p) || existsSync(p.replace("-0", "-")));
    console.log(`summary.pdf renders: ${prefix}-*.png`);
    expect(pngs).toHaveLength(3);
  });
});
