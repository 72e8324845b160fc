import { sign as cryptoSign, generateKeyPairSync } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { UsageError } from "../../src/errors.js";
import { type BuiltReport, buildReport } from "../../src/report/package.js";
import { checkPdfSignature } from "../../src/report/pdf-signature.js";
import { verifyReportPackage } from "../../src/report/verify-report.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import type { Signer } from "../../src/signing/types.js";
import { keyIdOf } from "../../src/signing/verify.js";
import { captureOutput } from "../helpers/cli-in-process.js";
import { countIntervals, fixtureCatalog, fixtureFindings } from "./fixture.js";
import { missingTools, parseCsv, run, xlsxSheetsAsCsv } from "./tools.js";

const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-report-test-"));
let signer: Ed25519Signer;
let signed: BuiltReport;
let unsigned: BuiltReport;
const findings = fixtureFindings();
const catalog = fixtureCatalog();

beforeAll(async () => {
  const keys = await generateEd25519KeyFiles(path.join(work, "keys", "signing-key.pem"));
  signer = await Ed25519Signer.fromKeyFile(keys.keyFile);
  signed = await buildReport({
    findings,
    catalog,
    out: path.join(work, "signed"),
    sign: { signer },
    zip: true,
    organisation: "Example Payments Ltd",
  });
  unsigned = await buildReport({ findings, catalog, out: path.join(work, "unsigned"), sign: false });
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const file = (pkg: BuiltReport, name: string) => path.join(pkg.dir, name);

/** A copy of the signed package with one byte changed in `name` at `offset` (default: the middle). */
function tamperedCopy(name: string, offset?: (data: Buffer) => number): string {
  const dir = mkdtempSync(path.join(work, "tampered-"));
  cpSync(signed.dir, dir, { recursive: true });
  const target = path.join(dir, name);
  const data = readFileSync(target);
  const at = offset ? offset(data) : Math.floor(data.length / 2);
  data[at] = data[at]! ^ 0x20;
  writeFileSync(target, data);
  return dir;
}

/** An offset inside the PDF's first signed byte range (never in the signature's own /Contents). */
function insideSignedRange(pdf: Buffer): number {
  const m = /\/ByteRange\s*\[\s*0\s+(\d+)/.exec(pdf.toString("latin1"));
  return Math.floor(Number(m![1]) / 2);
}

describe("the package", () => {
  it("holds every output, the public key, VERIFY.txt and signed checksums", () => {
    expect(readdirSync(signed.dir).sort()).toEqual([
      "SHA256SUMS",
      "SHA256SUMS.sig",
      "VERIFY.txt",
      "findings.csv",
      "findings.json",
      "findings.ocsf.jsonl",
      "oscal-assessment-plan.json",
      "oscal-assessment-results.json",
      "report.html",
      "report.pdf",
      "report.xlsx",
      "signing-key.pub.pem",
      "summary.pdf",
    ]);
    const sums = readFileSync(file(signed, "SHA256SUMS"), "utf8");
    expect(sums.trimEnd().split("\n")).toHaveLength(11);
    for (const line of sums.trimEnd().split("\n")) expect(line).toMatch(/^[0-9a-f]{64} {2}\S+$/);
    const verify = readFileSync(file(signed, "VERIFY.txt"), "utf8");
    expect(verify).toContain("sha256sum -c SHA256SUMS");
    expect(verify).toContain(
      "openssl pkeyutl -verify -pubin -inkey signing-key.pub.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig",
    );
    expect(verify).toContain("DEMONSTRATION DATA");
    expect(signed.zip && existsSync(signed.zip)).toBe(true);
  });

  it("findings.json is the Findings object, with the package's attestation", () => {
    const { attestation, ...rest } = JSON.parse(readFileSync(file(signed, "findings.json"), "utf8"));
    expect(rest).toEqual(findings);
    expect(attestation.signingCertificate).toMatchObject({
      selfSigned: true,
      subject: "CN=Example Payments Ltd",
    });
    expect(attestation.management.statement).toContain("The management of Example Payments Ltd asserts");
  });

  it("findings.csv has one RFC 4180 row per finding interval", () => {
    const text = readFileSync(file(signed, "findings.csv"), "utf8");
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]![0]).toBe("requirement");
    expect(rows.length - 1).toBe(countIntervals(findings));
    // A reason with a comma survives quoting.
    expect(rows.some((r) => r.includes("minimum length 14, digits required"))).toBe(true);
    expect(rows.slice(1).every((r) => r.length === rows[0]!.length)).toBe(true);
  });

  it("refuses a non-empty --out unless forced, and replaces it when forced", async () => {
    const out = path.join(work, "existing");
    await buildReport({ findings, catalog, out, sign: false, formats: ["json"] });
    await expect(buildReport({ findings, catalog, out, sign: false, formats: ["json"] })).rejects.toThrow(
      UsageError,
    );
    const again = await buildReport({ findings, catalog, out, sign: false, formats: ["csv"], force: true });
    expect(readdirSync(again.dir).sort()).toEqual(["SHA256SUMS", "VERIFY.txt", "findings.csv"]);
  });

  it("leaves no partial package when a step fails", async () => {
    const failing: Signer = {
      algorithm: "ed25519",
      keyId: async () => "k",
      publicKeyPem: () => signer.publicKeyPem(),
      sign: async () => {
        throw new Error("signer unavailable");
      },
    };
    const parent = path.join(work, "failing");
    const out = path.join(parent, "pkg");
    await expect(
      buildReport({ findings, catalog, out, sign: { signer: failing }, formats: ["json", "csv"] }),
    ).rejects.toThrow("signer unavailable");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("rejects an unknown format naming the option", async () => {
    await expect(
      buildReport({ findings, out: path.join(work, "bad-format"), sign: false, formats: ["docx" as "pdf"] }),
    ).rejects.toThrow(/--format: unknown report format "docx"/);
  });
});

describe("verify-report", () => {
  it("accepts the intact package, its zip, and the publisher's key", async () => {
    const result = await verifyReportPackage(signed.dir);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.signature).toMatchObject({ algorithm: "ed25519", keySource: "packaged", valid: true });
    expect(result.notes.join(" ")).toContain("not who signed them");
    expect(result.pdf).toMatchObject({ signed: true, valid: true, subFilter: "ETSI.CAdES.detached" });
    expect((await verifyReportPackage(signed.zip!)).ok).toBe(true);
    const given = await verifyReportPackage(signed.dir, { publicKeyPem: await signer.publicKeyPem() });
    expect(given.signature?.keySource).toBe("given");
  });

  it.each(["report.pdf", "report.xlsx", "findings.json"])(
    "names %s when one byte of it changed",
    async (name) => {
      const dir = tamperedCopy(name, name === "report.pdf" ? insideSignedRange : undefined);
      const result = await verifyReportPackage(dir);
      expect(result.ok).toBe(false);
      expect(result.problems.map((p) => p.file)).toContain(name);
      expect(result.problems.every((p) => p.file === name)).toBe(true);
    },
  );

  it("names the PDF's broken embedded signature", () => {
    const dir = tamperedCopy("report.pdf", insideSignedRange);
    const check = checkPdfSignature(readFileSync(path.join(dir, "report.pdf")));
    expect(check.ok).toBe(false);
    expect(check.problems.join(" ")).toMatch(/changed after signing/);
  });

  it("names files added or removed after signing, and a signature by another key", async () => {
    const dir = mkdtempSync(path.join(work, "changed-"));
    cpSync(signed.dir, dir, { recursive: true });
    writeFileSync(path.join(dir, "extra.txt"), "added later\n");
    rmSync(path.join(dir, "findings.csv"));
    const other = await generateEd25519KeyFiles(path.join(work, "other", "key.pem"));
    const result = await verifyReportPackage(dir, {
      publicKeyPem: readFileSync(other.publicKeyFile, "utf8"),
    });
    const byFile = Object.fromEntries(result.problems.map((p) => [p.file, p.problem]));
    expect(byFile["extra.txt"]).toMatch(/not listed/);
    expect(byFile["findings.csv"]).toMatch(/missing/);
    expect(byFile["SHA256SUMS.sig"]).toMatch(/does not verify with the given key/);
  });

  it("fails an unsigned package unless unsigned packages are allowed", async () => {
    expect((await verifyReportPackage(unsigned.dir)).problems).toEqual([
      { file: "SHA256SUMS.sig", problem: expect.stringContaining("unsigned") },
    ]);
    expect((await verifyReportPackage(unsigned.dir, { allowUnsigned: true })).ok).toBe(true);
  });

  it("the CLI exits 0 on the intact package and 1 naming the tampered file", async () => {
    const { out: stdout, err: stderr, restore } = captureOutput();
    try {
      expect(await runCli(["verify-report", signed.dir])).toBe(0);
      expect(stdout.join("")).toContain("OK:");
      process.exitCode = 0;
      const dir = tamperedCopy("report.xlsx");
      expect(await runCli(["verify-report", dir])).toBe(1);
      expect(stderr.join("")).toContain("report.xlsx: SHA-256");
      expect(stdout.join("")).toContain("FAILED");
      expect(await runCli(["verify-report", path.join(work, "no-such-package")])).toBe(2);
    } finally {
      restore();
      process.exitCode = 0;
    }
  });
});

const toolsMissing = missingTools([
  "pdftotext",
  "pdfinfo",
  "qpdf",
  "pdfsig",
  "openssl",
  "sha256sum",
  "soffice",
]);

describe.skipIf(toolsMissing.length > 0)("real clients read the package", () => {
  it("pdftotext finds every requirement id with its status, and the demonstration marking on every page", () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(run("pdfinfo", [file(signed, "report.pdf")]).stdout)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(6);
    const text = run("pdftotext", ["-layout", file(signed, "report.pdf"), "-"]).stdout;
    const pageTexts = text.split("\f").filter((p) => p.trim().length > 0);
    expect(pageTexts).toHaveLength(pages);
    for (const page of pageTexts)
      expect(page).toContain("DEMONSTRATION DATA — not evidence of a real environment");
    expect(pageTexts.at(-1)).toContain(`page ${pages} of ${pages}`);
    for (const r of findings.requirements) {
      const label = r.status === "NOT_APPLICABLE" ? "NOT APPLICABLE" : r.status;
      expect(text).toMatch(new RegExp(`${r.id.replace(/\./g, "\\.")}\\s+${r.title}\\s+${label}`));
    }
    expect(text).toContain("Contents");
    expect(text).toContain(signed.reportId);
  });

  it("qpdf --check passes on the unsigned and the signed PDF", () => {
    for (const pkg of [unsigned, signed]) {
      const r = run("qpdf", ["--check", file(pkg, "report.pdf")]);
      expect(r.stdout).toContain("No syntax or stream encoding errors found");
      expect(r.stdout + r.stderr).not.toMatch(/WARNING/i);
      expect(r.status).toBe(0);
    }
  });

  it("pdfsig reports a valid signature over the whole document, and not once a byte changed", () => {
    const ok = run("pdfsig", [file(signed, "report.pdf")]).stdout;
    expect(ok).toContain("Signature is Valid.");
    expect(ok).toContain("Total document signed");
    expect(ok).toContain("ETSI.CAdES.detached");
    const tampered = path.join(tamperedCopy("report.pdf", insideSignedRange), "report.pdf");
    const bad = run("pdfsig", [tampered]);
    expect(bad.stdout).not.toContain("Signature is Valid.");
  });

  it("sha256sum -c and openssl verify the package as VERIFY.txt says", () => {
    const sums = run("sha256sum", ["-c", "SHA256SUMS"], { cwd: signed.dir });
    expect(sums.status).toBe(0);
    const sig = run(
      "openssl",
      [
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "signing-key.pub.pem",
        "-rawin",
        "-in",
        "SHA256SUMS",
        "-sigfile",
        "SHA256SUMS.sig",
      ],
      { cwd: signed.dir },
    );
    expect(sig.stdout).toContain("Signature Verified Successfully");
    expect(sig.status).toBe(0);
    const tampered = tamperedCopy("findings.json");
    expect(run("sha256sum", ["-c", "SHA256SUMS"], { cwd: tampered }).status).not.toBe(0);
  });

  it("an ECDSA P-256 (KMS-style) signature verifies with the openssl dgst command VERIFY.txt gives", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    const ecdsa: Signer = {
      algorithm: "ecdsa-p256-sha256",
      keyId: async () => keyIdOf(pem),
      publicKeyPem: async () => pem,
      sign: async (data) => ({
        algorithm: "ecdsa-p256-sha256",
        keyId: keyIdOf(pem),
        value: cryptoSign("sha256", data, privateKey).toString("base64"),
      }),
    };
    const pkg = await buildReport({
      findings,
      out: path.join(work, "ecdsa"),
      sign: { signer: ecdsa },
      formats: ["json"],
    });
    const verifyText = readFileSync(path.join(pkg.dir, "VERIFY.txt"), "utf8");
    const command = "openssl dgst -sha256 -verify signing-key.pub.pem -signature SHA256SUMS.sig SHA256SUMS";
    expect(verifyText).toContain(command);
    const r = run("sh", ["-c", command], { cwd: pkg.dir });
    expect(r.stdout).toContain("Verified OK");
    expect(await verifyReportPackage(pkg.dir)).toMatchObject({
      ok: true,
      signature: { algorithm: "ecdsa-p256-sha256" },
    });
  });

  it("LibreOffice reads report.xlsx: every sheet, and one Findings row per finding interval", () => {
    const sheets = xlsxSheetsAsCsv(file(signed, "report.xlsx"));
    expect(Object.keys(sheets).sort()).toEqual([
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
    const rows = parseCsv(sheets.Findings!).filter((r) => r.some((c) => c !== ""));
    // Row 1: the marking; row 2: the header; then the data.
    expect(rows[0]![0]).toContain("DEMONSTRATION DATA");
    expect(rows[1]!.slice(0, 3)).toEqual(["Requirement", "Check", "Resource"]);
    expect(rows.length - 2).toBe(countIntervals(findings));
    // Date cells carry a date format, not text.
    expect(rows[2]![5]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const requirements = parseCsv(sheets.Requirements!)
      .slice(2)
      .filter((r) => r[0]);
    expect(requirements.map((r) => [r[0], r[2]])).toEqual(findings.requirements.map((r) => [r.id, r.status]));
    const waivers = parseCsv(sheets.Waivers!)
      .slice(2)
      .filter((r) => r[0]);
    expect(waivers.map((r) => r[0])).toEqual(["W-2026-004"]);
    const timeline = parseCsv(sheets.Timeline!)
      .slice(2)
      .filter((r) => r[0]);
    expect(timeline.map((r) => `${r[1]} ${r[6]}->${r[7]}`)).toEqual([
      "8.3.6 FAIL->PASS",
      "10.2.1 PASS->FAIL",
      "10.2.1 FAIL->PASS",
    ]);
  });
});
