import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { captureOutput } from "../helpers/cli-in-process.js";

/** `auditpack report` and `verify-report` end to end, in-process, on an empty disk store. */

let dir: string;
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "auditpack-report-cli-"));
  writeFileSync(
    path.join(dir, "auditpack.config.yaml"),
    "organization: { name: CLI Test Org }\nstore: { type: fs, path: ./store }\nsigning: { type: ed25519, keyFile: ./keys/signing-key.pem }\n",
  );
  // An empty store: report and verify-report need one that exists (only collect creates a store).
  mkdirSync(path.join(dir, "store"));
  ({ out: stdout, err: stderr } = captureOutput());
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

const report = (...args: string[]) =>
  runCli(["-c", path.join(dir, "auditpack.config.yaml"), "report", "--framework", "pci-dss-4.0.1", ...args]);

describe("auditpack report", () => {
  it.each([
    ["2026-Q3", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z"],
    ["2026-08", "2026-08-01T00:00:00Z", "2026-09-01T00:00:00Z"],
    ["2026-07-01..2026-07-15", "2026-07-01T00:00:00Z", "2026-07-16T00:00:00Z"],
  ])("evaluates --period %s", async (period, start, end) => {
    const out = path.join(dir, "out");
    expect(
      await report(
        "--period",
        period,
        "--requirements",
        "8.3",
        "--format",
        "json,csv",
        "--no-sign",
        "--out",
        out,
      ),
    ).toBe(0);
    const findings = JSON.parse(readFileSync(path.join(out, "findings.json"), "utf8"));
    expect(findings.period).toEqual({
      start: expect.stringMatching(start.slice(0, 19)),
      end: expect.stringMatching(end.slice(0, 19)),
      label: period,
    });
    expect(findings.requirements.map((r: { id: string }) => r.id)).toContain("8.3.6");
    expect(await runCli(["verify-report", out, "--allow-unsigned"])).toBe(0);
  });

  it.each([
    ["--period", "2026-Q5", 'invalid --period "2026-Q5"'],
    ["--period", "2026-13", 'invalid --period "2026-13"'],
    ["--period", "2026-09-30..2026-07-01", "the range ends before it starts"],
    ["--format", "pdf,docx", '--format: unknown report format "docx"'],
    ["--requirements", "99.9", "99.9"],
    ["--audience", "board", '--audience: unknown audience "board"'],
  ])("exits 2 with a clear message for %s %s", async (option, value, message) => {
    const args = option === "--period" ? [option, value] : ["--period", "2026-Q3", option, value];
    expect(await report(...args)).toBe(2);
    expect(stderr.join("")).toContain(message);
  });

  it("builds and signs the package with a PDF certificate created beside the key, then refuses to overwrite it", async () => {
    const out = path.join(dir, "q3");
    const args = [
      "--period",
      "2026-Q3",
      "--requirements",
      "8.3.6",
      "--format",
      "pdf,json",
      "--zip",
      "--out",
      out,
    ];
    expect(await report(...args)).toBe(0);
    expect(stdout.join("")).toContain(`written to ${out}`);
    expect(stdout.join("")).toContain("pdf-signing.p12");
    expect(await runCli(["verify-report", `${out}.zip`])).toBe(0);
    expect(await report(...args)).toBe(2);
    expect(stderr.join("")).toContain("already holds files");
    expect(await report(...args, "--force")).toBe(0);
  }, 120_000);

  it("--audience customer writes summary.pdf and the OSCAL and OCSF files only; --format must stay inside the set", async () => {
    const out = path.join(dir, "customer");
    expect(
      await report("--period", "2026-Q3", "--requirements", "8.3", "--audience", "customer", "--out", out),
    ).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      "SHA256SUMS",
      "SHA256SUMS.sig",
      "VERIFY.txt",
      "findings.ocsf.jsonl",
      "oscal-assessment-plan.json",
      "oscal-assessment-results.json",
      "signing-key.pub.pem",
      "summary.pdf",
    ]);
    expect(readFileSync(path.join(out, "VERIFY.txt"), "utf8")).toContain("pdfsig summary.pdf");
    expect(await runCli(["verify-report", out])).toBe(0);
    expect(
      await report(
        "--period",
        "2026-Q3",
        "--audience",
        "customer",
        "--format",
        "xlsx",
        "--out",
        path.join(dir, "x"),
      ),
    ).toBe(2);
    expect(stderr.join("")).toContain("--format xlsx is not part of the customer set");
  }, 120_000);
});
