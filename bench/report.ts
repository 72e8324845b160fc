/**
 * Report renderers at scale: 5,000 resources x 40 checks over a quarter (200,000 resource findings,
 * about 240,000 finding rows). Prints time and peak RSS of every output (styled XLSX, auditor PDF,
 * customer summary PDF, HTML, OSCAL, OCSF), and as the baseline exceljs's streaming writer writing
 * the same rows with no styling. Each phase runs in its own child process so peak RSS is the
 * phase's own (the findings are in memory in every phase).
 *
 *   npx tsx bench/report.ts [--resources 5000] [--checks 40] [--only html]
 *
 * Targets: XLSX <= 1.5x baseline; PDF < 30 s; peak RSS < 1 GB.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import type {
  EvidenceRef,
  Findings,
  RequirementResult,
  ResourceFinding,
  Status,
} from "../src/evaluate/types.js";
import { writeHtml } from "../src/report/html.js";
import { buildReportModel } from "../src/report/model.js";
import { writeOcsf } from "../src/report/ocsf.js";
import { writeAssessmentResults } from "../src/report/oscal.js";
import { renderPdf, renderSummaryPdf } from "../src/report/pdf.js";
import { loadReportTemplate } from "../src/report/templates.js";
import { renderXlsx, sheetSpecs } from "../src/report/xlsx.js";

const PHASES = ["baseline", "xlsx", "pdf", "summary", "html", "oscal", "ocsf"] as const;
type Phase = (typeof PHASES)[number];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const RESOURCES = arg("resources", 5000);
const CHECKS = arg("checks", 40);
const CHECKS_PER_REQUIREMENT = 2;
const START = Date.UTC(2026, 6, 1);
const END = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;
const REGIONS = ["eu-west-1", "us-east-1"];
const ACCOUNT = "111122223333";

/** Deterministic synthetic findings: 10% of resources fail for a few days, 2% cannot be read. */
function syntheticFindings(): Findings {
  const iso = (t: number) => new Date(t).toISOString().replace(/\.000Z$/, "Z");
  const evidenceCache = new Map<string, EvidenceRef>();
  const evidence = (collector: string, region: string, day: number): EvidenceRef => {
    const id = `${collector}/${region}/${day}`;
    let ref = evidenceCache.get(id);
    if (!ref) {
      const sha256 = createHash("sha256").update(id).digest("hex");
      const at = iso(START + day * DAY + 2 * 3600_000);
      const [y, m, d] = at.slice(0, 10).split("-");
      ref = {
        key: `evidence/${ACCOUNT}/${region}/${collector}/${y}/${m}/${d}/${at.replace(/:/g, "")}_${sha256}.json`,
        sha256,
        collectedAt: at,
        collector,
      };
      evidenceCache.set(id, ref);
    }
    return ref;
  };
  const requirements: RequirementResult[] = [];
  for (let r = 0; r < CHECKS / CHECKS_PER_REQUIREMENT; r++) {
    const checks = [];
    for (let c = 0; c < CHECKS_PER_REQUIREMENT; c++) {
      const checkIndex = r * CHECKS_PER_REQUIREMENT + c;
      const collector = `collector_${checkIndex % 8}`;
      const findings: ResourceFinding[] = [];
      for (let i = 0; i < RESOURCES; i++) {
        const region = REGIONS[i % REGIONS.length]!;
        const first = evidence(collector, region, 0);
        const resource = `arn:aws:service:${region}:${ACCOUNT}:resource/res-${String(i).padStart(5, "0")}`;
        const base = { resource, account: ACCOUNT, region };
        const roll = (i * 7919 + checkIndex * 104_729) % 100;
        if (roll < 10) {
          const from = START + ((i + checkIndex) % 80) * DAY + 3600_000;
          const to = from + (1 + (i % 5)) * DAY;
          const mid = evidence(collector, region, Math.floor((from - START) / DAY));
          const after = evidence(collector, region, Math.floor((to - START) / DAY));
          findings.push({
            ...base,
            status: "FAIL",
            reason: `setting off from ${iso(from)} to ${iso(to)}`,
            evidence: [first, mid, after],
            intervals: [
              { start: iso(START), end: iso(from), status: "PASS", reason: "setting on", evidence: [first] },
              { start: iso(from), end: iso(to), status: "FAIL", reason: "setting off", evidence: [mid] },
              { start: iso(to), end: iso(END), status: "PASS", reason: "setting on", evidence: [after] },
            ],
          });
        } else {
          const status: Status = roll < 12 ? "ERROR" : "PASS";
          const reason = status === "ERROR" ? "AccessDenied: service:Describe" : "setting on";
          findings.push({
            ...base,
            status,
            reason,
            evidence: [first],
            intervals: [{ start: iso(START), end: iso(END), status, reason, evidence: [first] }],
          });
        }
      }
      checks.push({
        id: `bench_check_${checkIndex}`,
        status: "FAIL" as Status,
        parameters: { threshold: checkIndex },
        findings,
      });
    }
    requirements.push({
      id: `${8 + (r % 4)}.${Math.floor(r / 4) + 1}.${(r % 3) + 1}`,
      title: `Synthetic requirement ${r}`,
      description: "A synthetic requirement for the benchmark.",
      status: "FAIL",
      checks,
    });
  }
  const summary: Record<Status, number> = {
    PASS: 0,
    FAIL: requirements.length,
    MANUAL: 0,
    NOT_APPLICABLE: 0,
    ERROR: 0,
    NOT_COVERED: 0,
  };
  return {
    schema: "auditpack.findings/v1",
    framework: { id: "pci-dss-4.0.1", name: "PCI DSS", version: "4.0" },
    period: { start: iso(START), end: iso(END), label: "2026-Q3" },
    generatedAt: "2026-10-02T08:00:00Z",
    toolVersion: "bench",
    scope: { accounts: [ACCOUNT], regions: REGIONS },
    provenance: { sources: ["fixture"], demonstration: true },
    summary,
    requirements,
  };
}

async function baseline(model: ReturnType<typeof buildReportModel>, file: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: false,
    useSharedStrings: false,
  });
  for (const spec of sheetSpecs(model)) {
    const ws = workbook.addWorksheet(spec.name);
    ws.addRow(["title"]).commit();
    ws.addRow(spec.columns.map((c) => c.header)).commit();
    for (const values of spec.rows) ws.addRow(values).commit();
    ws.commit();
  }
  await workbook.commit();
}

async function runPhase(phase: Phase, dir: string): Promise<void> {
  const findings = syntheticFindings();
  const findingsRssMb = process.memoryUsage().rss / 1024 / 1024;
  const template = loadReportTemplate("pci-dss-4.0.1");
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const model = buildReportModel({ findings, template, organisation: "Bench Ltd" });
  const modelMs = performance.now() - started;
  let file: string;
  const { writeFile } = await import("node:fs/promises");
  if (phase === "pdf" || phase === "summary") {
    file = path.join(dir, `${phase}.pdf`);
    await writeFile(file, phase === "pdf" ? await renderPdf(model) : await renderSummaryPdf(model, findings));
  } else if (phase === "html") {
    file = path.join(dir, "report.html");
    await writeHtml(findings, model, file, { evidenceLinks: false });
  } else if (phase === "oscal") {
    file = path.join(dir, "oscal-assessment-results.json");
    await writeAssessmentResults(findings, model, file);
  } else if (phase === "ocsf") {
    file = path.join(dir, "findings.ocsf.jsonl");
    await writeOcsf(findings, model, file);
  } else {
    file = path.join(dir, `${phase}.xlsx`);
    await (phase === "xlsx" ? renderXlsx(model, file) : baseline(model, file));
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  process.stdout.write(
    `${JSON.stringify({
      phase,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      modelMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      findingsRssMb,
      bytes: statSync(file).size,
      findingRows: model.summary.findingRows,
    })}\n`,
  );
}

interface PhaseResult {
  phase: Phase;
  ms: number;
  cpuMs: number;
  modelMs: number;
  peakRssMb: number;
  findingsRssMb: number;
  bytes: number;
  findingRows: number;
}

async function main(): Promise<void> {
  const phaseIndex = process.argv.indexOf("--phase");
  const dir = process.argv[process.argv.indexOf("--dir") + 1] ?? "";
  if (phaseIndex >= 0) {
    await runPhase(process.argv[phaseIndex + 1] as Phase, dir);
    return;
  }
  const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-bench-report-"));
  const self = fileURLToPath(import.meta.url);
  const results: PhaseResult[] = [];
  try {
    console.log(`report bench: ${RESOURCES} resources x ${CHECKS} checks over 2026-Q3`);
    const only = process.argv.indexOf("--only");
    const phases = only >= 0 ? [process.argv[only + 1] as Phase] : PHASES;
    for (const phase of phases) {
      const child = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          self,
          "--phase",
          phase,
          "--dir",
          work,
          "--resources",
          String(RESOURCES),
          "--checks",
          String(CHECKS),
        ],
        { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] },
      );
      if (child.status !== 0) throw new Error(`phase ${phase} failed (exit ${child.status})`);
      const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as PhaseResult;
      results.push(result);
      console.log(
        `${phase.padEnd(9)} ${(result.ms / 1000).toFixed(2).padStart(7)} s (CPU ${(result.cpuMs / 1000).toFixed(2)} s, model ${(result.modelMs / 1000).toFixed(2)} s)  peak RSS ${result.peakRssMb.toFixed(0).padStart(5)} MB (findings alone ${result.findingsRssMb.toFixed(0)} MB)  ${(result.bytes / 1024 / 1024).toFixed(1)} MB  (${result.findingRows} finding rows)`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (results.length < PHASES.length) return;
  const by = Object.fromEntries(results.map((r) => [r.phase, r])) as Record<Phase, PhaseResult>;
  const ratio = by.xlsx.ms / by.baseline.ms;
  const maxRss = Math.max(...results.map((r) => r.peakRssMb));
  console.log(`xlsx / baseline: ${ratio.toFixed(2)}x (target <= 1.5x) ${ratio <= 1.5 ? "OK" : "MISSED"}`);
  console.log(
    `pdf: ${(by.pdf.ms / 1000).toFixed(1)} s (target < 30 s) ${by.pdf.ms < 30_000 ? "OK" : "MISSED"}`,
  );
  console.log(`peak RSS: ${maxRss.toFixed(0)} MB (target < 1024 MB) ${maxRss < 1024 ? "OK" : "MISSED"}`);
}

await main();
