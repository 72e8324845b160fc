import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { verifyReportPackage } from "../../src/report/verify-report.js";
import { captureOutput } from "../helpers/cli-in-process.js";
import { hasTool, run } from "../report/tools.js";

/** `auditpack demo`: fixtures -> store -> sealed ledger -> signed PCI DSS v4.0.1 package (no AWS, no moto). */

const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-demo-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("auditpack demo", () => {
  it("builds a signed, verifiable package of Requirements 8, 10 and 11 for 2026-Q3, marked as demonstration data", async () => {
    const dir = path.join(work, "demo");
    const { out } = captureOutput();
    try {
      expect(await runCli(["demo", "--out", dir])).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    const pkg = path.join(dir, "reports", "pci-dss-4.0.1_2026-Q3");
    const printed = out.join("");
    expect(printed).toContain(`written to ${pkg}`);
    expect(printed).toContain("sha256sum -c SHA256SUMS");
    expect(printed).toContain("DEMONSTRATION DATA");
    expect(existsSync(`${pkg}.zip`)).toBe(true);

    const verification = await verifyReportPackage(pkg);
    expect(verification.problems).toEqual([]);
    const findings = JSON.parse(readFileSync(path.join(pkg, "findings.json"), "utf8"));
    expect(findings.provenance.demonstration).toBe(true);
    expect(findings.period.label).toBe("2026-Q3");
    const top = new Set(findings.requirements.map((r: { id: string }) => r.id.split(".")[0]));
    expect([...top].sort()).toEqual(["10", "11", "8"]);

    if (hasTool("pdftotext")) {
      const text = run("pdftotext", [path.join(pkg, "report.pdf"), "-"]).stdout;
      for (const r of findings.requirements as { id: string }[]) expect(text).toContain(r.id);
      expect(text).toContain("DEMONSTRATION DATA — not evidence of a real environment");
    }

    // A second run refuses to mix into the first unless forced.
    const { err } = captureOutput();
    try {
      expect(await runCli(["demo", "--out", dir])).toBe(2);
      expect(err.join("")).toContain("already holds a demo");
    } finally {
      vi.restoreAllMocks();
      process.exitCode = 0;
    }
  }, 600_000);
});
