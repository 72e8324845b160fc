import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { parseConfig } from "../../src/config/load.js";
import { UsageError } from "../../src/errors.js";
import { FindingsSchema } from "../../src/evaluate/schema.js";
import { resolveAttestation } from "../../src/report/attestation.js";
import { writeHtml } from "../../src/report/html.js";
import { buildReportModel } from "../../src/report/model.js";
import { type BuiltReport, buildReport } from "../../src/report/package.js";
import { checkPdfSignature } from "../../src/report/pdf-signature.js";
import { loadReportTemplate } from "../../src/report/templates.js";
import { certificateFingerprintCommand } from "../../src/report/verify-text.js";
import { sheetSpecs } from "../../src/report/xlsx.js";
import { createSelfSignedP12 } from "../../src/signing/certificate.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { captureOutput } from "../helpers/cli-in-process.js";
import { fixtureCatalog, fixtureFindings } from "./fixture.js";
import { missingTools, run } from "./tools.js";

/**
 * Attestation an assessor can sign: the config's signatories on the attestation page and in
 * findings.json, blank lines where nothing is given, and the PDF certificate's SHA-256 fingerprint
 * on the cover and in VERIFY.txt, checked against what openssl prints for the same certificate.
 */

const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-attestation-"));
const missing = missingTools(["openssl", "pdftotext", "pdfsig"]);
const findings = fixtureFindings();
const catalog = fixtureCatalog();

const ATTESTATION = {
  management: {
    name: "Alex Morgan",
    role: "Chief Information Security Officer",
    organisation: "Example Payments Ltd",
    date: "2026-10-05",
  },
  assessor: {
    name: "Sam Patel",
    role: "Qualified Security Assessor",
    organisation: "Example Assessors LLP",
    statement:
      "I assessed {organisation} against {framework} for {period} and record my findings in the working papers.",
  },
};

let signer: Ed25519Signer;
/** A CA-issued certificate, as a customer would bring one: leaf.pem, its key, the CA, a PKCS#12. */
const ca = path.join(work, "ca");
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: ca, encoding: "utf8" });
const fingerprintOf = (pemFile: string) =>
  openssl("x509", "-in", pemFile, "-noout", "-fingerprint", "-sha256")
    .trim()
    .replace(/^sha256 Fingerprint=/i, "");

beforeAll(async () => {
  const keys = await generateEd25519KeyFiles(path.join(work, "keys", "signing-key.pem"));
  signer = await Ed25519Signer.fromKeyFile(keys.keyFile);
  if (missing.includes("openssl")) return;
  mkdirSync(ca);
  openssl(
    ...[
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "30",
    ],
    ...["-subj", "/O=Example Trust Services/CN=Example Issuing CA"],
    ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
  );
  openssl(
    ...["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr"],
    ...["-subj", "/O=Example Payments Ltd/CN=Example Payments Ltd compliance reports"],
  );
  writeFileSync(
    path.join(ca, "leaf.ext"),
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
  );
  openssl(
    ...["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"],
    ...["-out", "leaf.pem", "-days", "10", "-extfile", "leaf.ext"],
  );
  openssl(
    ...["pkcs12", "-export", "-inkey", "leaf.key", "-in", "leaf.pem", "-certfile", "ca.pem"],
    ...["-passout", "pass:s3cret", "-out", "leaf.p12"],
  );
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function pdfPages(file: string): string[] {
  return run("pdftotext", ["-layout", file, "-"]).stdout.split("\f");
}

describe("config attestation", () => {
  it("parses the signatories, a YAML date included", () => {
    const config = parseConfig({ attestation: ATTESTATION }, "t.yaml");
    expect(config.attestation?.management).toEqual(ATTESTATION.management);
    const dated = parseConfig(
      { attestation: { assessor: { ...ATTESTATION.management, date: new Date("2026-10-06T00:00:00Z") } } },
      "t.yaml",
    );
    expect(dated.attestation?.assessor?.date).toBe("2026-10-06");
  });

  it.each([
    [{ assessor: { name: "Sam Patel", organisation: "X LLP" } }, /attestation\.assessor\.role: required/],
    [
      { management: { ...ATTESTATION.management, name: "  " } },
      /attestation\.management\.name: required.*empty/,
    ],
    [
      { management: { ...ATTESTATION.management, date: "2026-02-30" } },
      /attestation\.management\.date: not a calendar date/,
    ],
    [
      { management: { ...ATTESTATION.management, date: "05/10/2026" } },
      /attestation\.management\.date: a date as YYYY-MM-DD/,
    ],
    [
      { management: { ...ATTESTATION.management, signature: "x" } },
      /attestation\.management: unknown key "signature"/,
    ],
    [{ auditor: ATTESTATION.assessor }, /attestation: unknown key "auditor"/],
    [
      { assessor: { ...ATTESTATION.management, statement: "short" } },
      /attestation\.assessor\.statement: a statement of at least 40/,
    ],
  ])("refuses %j naming the field", (attestation, message) => {
    expect(() => parseConfig({ attestation }, "t.yaml")).toThrow(message);
  });

  it("refuses a date before the period's last day, naming the field", () => {
    const template = loadReportTemplate("pci-dss-4.0.1");
    const resolve = (date: string) =>
      resolveAttestation({
        config: { management: { ...ATTESTATION.management, date } },
        text: template.text,
        placeholders: {},
        lastDay: "2026-09-30",
      });
    expect(() => resolve("2026-09-29")).toThrow(UsageError);
    expect(() => resolve("2026-09-29")).toThrow(
      /attestation\.management\.date 2026-09-29 is before the period's last day 2026-09-30/,
    );
    expect(resolve("2026-09-30").management.date).toBe("2026-09-30");
  });
});

describe.skipIf(missing.length > 0)(
  "a package signed with a CA-issued certificate and a completed attestation",
  () => {
    let pkg: BuiltReport;
    let leafFingerprint: string;

    beforeAll(async () => {
      leafFingerprint = fingerprintOf("leaf.pem");
      pkg = await buildReport({
        findings,
        catalog,
        out: path.join(work, "ca-signed"),
        formats: ["pdf", "summary", "json"],
        sign: { signer, p12: { data: readFileSync(path.join(ca, "leaf.p12")), passphrase: "s3cret" } },
        organisation: "Example Payments Ltd",
        attestation: parseConfig({ attestation: ATTESTATION }, "t.yaml").attestation!,
      });
    }, 120_000);

    it("findings.json carries the signatories and the certificate with openssl's fingerprint", () => {
      const json = JSON.parse(readFileSync(path.join(pkg.dir, "findings.json"), "utf8"));
      expect(FindingsSchema.safeParse(json).success).toBe(true);
      expect(json.attestation.management).toMatchObject(ATTESTATION.management);
      expect(json.attestation.management.statement).toContain(
        "The management of Example Payments Ltd asserts",
      );
      expect(json.attestation.assessor).toMatchObject({
        name: "Sam Patel",
        role: "Qualified Security Assessor",
      });
      expect(json.attestation.assessor.date).toBeUndefined();
      // The party's own statement, placeholders filled.
      expect(json.attestation.assessor.statement).toBe(
        "I assessed Example Payments Ltd against PCI DSS v4.0 for 2026-Q3 and record my findings in the working papers.",
      );
      expect(json.attestation.signingCertificate).toMatchObject({
        sha256Fingerprint: leafFingerprint,
        subject: "O=Example Payments Ltd, CN=Example Payments Ltd compliance reports",
        issuer: "O=Example Trust Services, CN=Example Issuing CA",
        selfSigned: false,
      });
    });

    it("VERIFY.txt states the fingerprint, and its command reads the same one out of report.pdf", () => {
      const verify = readFileSync(path.join(pkg.dir, "VERIFY.txt"), "utf8");
      expect(verify).toContain(leafFingerprint);
      expect(verify).toContain("issuer:   O=Example Trust Services, CN=Example Issuing CA");
      const command = certificateFingerprintCommand("report.pdf");
      expect(verify).toContain(command);
      const r = run("sh", ["-c", command], { cwd: pkg.dir });
      expect(r.stdout.trim()).toBe(`sha256 Fingerprint=${leafFingerprint}`);
      // The command leaves nothing in the package.
      expect(existsSync(path.join(pkg.dir, "report.pdf.sig0"))).toBe(false);
    });

    it("the PDF signature is valid, by that certificate", () => {
      for (const name of ["report.pdf", "summary.pdf"]) {
        const out = run("pdfsig", [path.join(pkg.dir, name)]).stdout;
        expect(out).toContain("Signature is Valid.");
        expect(out).toContain("Example Payments Ltd compliance reports");
        expect(checkPdfSignature(readFileSync(path.join(pkg.dir, name)))).toMatchObject({ ok: true });
      }
    });

    it("the cover shows the fingerprint and the signatories; the attestation page their fields", () => {
      const pages = pdfPages(path.join(pkg.dir, "report.pdf"));
      const cover = pages[0]!.replace(/\s+/g, " ");
      // Printed as two lines of 16 pairs (the watermark's letters may fall between them).
      const halves = [leafFingerprint.slice(0, 48), leafFingerprint.slice(48)];
      expect(cover).toContain(`SHA-256 fingerprint ${halves[0]}`);
      expect(cover).toContain(halves[1]);
      expect(cover).toContain("issued by O=Example Trust Services, CN=Example Issuing CA");
      expect(cover).toContain(
        "Alex Morgan, Chief Information Security Officer, Example Payments Ltd; dated 2026-10-05",
      );
      expect(cover).toContain("Sam Patel, Qualified Security Assessor, Example Assessors LLP; not yet dated");
      const page = pages[1]!;
      expect(page).toMatch(/^\s*Attestation/m);
      expect(page).toMatch(/Name\s+Alex Morgan/);
      expect(page).toMatch(/Role\s+Chief Information Security Officer/);
      expect(page).toMatch(/Date\s+2026-10-05/);
      expect(page).toMatch(/Name\s+Sam Patel/);
      expect(page.match(/^\s*Signature\s*$/gm)).toHaveLength(2);
      expect(page).toContain("Serial number");
      for (const half of halves) expect(page).toContain(half);
      const summaryCover = pdfPages(path.join(pkg.dir, "summary.pdf"))[0]!;
      for (const half of halves) expect(summaryCover).toContain(half);
    });
  },
);

describe.skipIf(missing.length > 0)(
  "a package with the default self-signed certificate and no attestation",
  () => {
    let pkg: BuiltReport;
    const p12 = createSelfSignedP12({ commonName: "Example Payments Ltd" }).p12;

    beforeAll(async () => {
      writeFileSync(path.join(work, "self.p12"), p12);
      pkg = await buildReport({
        findings,
        catalog,
        out: path.join(work, "self-signed"),
        formats: ["pdf", "json"],
        sign: { signer, p12: { data: p12 } },
        organisation: "Example Payments Ltd",
      });
    }, 120_000);

    it("states the fingerprint openssl prints for the PKCS#12's certificate, marked self-signed", () => {
      const pem = execFileSync(
        "openssl",
        ["pkcs12", "-in", path.join(work, "self.p12"), "-nokeys", "-clcerts", "-passin", "pass:"],
        { encoding: "utf8" },
      );
      const fp = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], {
        input: pem,
        encoding: "utf8",
      })
        .trim()
        .replace(/^sha256 Fingerprint=/i, "");
      const json = JSON.parse(readFileSync(path.join(pkg.dir, "findings.json"), "utf8"));
      expect(json.attestation.signingCertificate).toMatchObject({ sha256Fingerprint: fp, selfSigned: true });
      const verify = readFileSync(path.join(pkg.dir, "VERIFY.txt"), "utf8");
      expect(verify).toContain(fp);
      expect(verify).toContain("(self-signed: no certificate authority vouches for it)");
      expect(
        run("sh", ["-c", certificateFingerprintCommand("report.pdf")], { cwd: pkg.dir }).stdout,
      ).toContain(fp);
      expect(pdfPages(path.join(pkg.dir, "report.pdf"))[0]!.replace(/\s+/g, " ")).toContain("self-signed");
    });

    it("leaves blank lines to sign, and findings.json says who has not attested", () => {
      const page = pdfPages(path.join(pkg.dir, "report.pdf"))[1]!;
      for (const label of ["Name", "Role", "Organisation", "Date", "Signature"]) {
        expect(page.match(new RegExp(`^\\s*${label}\\s*$`, "gm")), label).toHaveLength(2);
      }
      expect(pdfPages(path.join(pkg.dir, "report.pdf"))[0]).toContain("not yet completed (attestation page)");
      const json = JSON.parse(readFileSync(path.join(pkg.dir, "findings.json"), "utf8"));
      expect(Object.keys(json.attestation.management)).toEqual(["statement"]);
      expect(json.attestation.assessor.statement).toContain("I have reviewed report");
    });

    it("an unsigned package says so and carries no certificate", async () => {
      const unsigned = await buildReport({
        findings,
        out: path.join(work, "unsigned"),
        formats: ["pdf", "json"],
        sign: false,
      });
      const json = JSON.parse(readFileSync(path.join(unsigned.dir, "findings.json"), "utf8"));
      expect(json.attestation.signingCertificate).toBeUndefined();
      expect(pdfPages(path.join(unsigned.dir, "report.pdf"))[0]).toContain("none: this PDF is not signed");
      expect(readFileSync(path.join(unsigned.dir, "VERIFY.txt"), "utf8")).not.toContain("Fingerprint");
    }, 120_000);
  },
);

describe.skipIf(missing.includes("openssl"))("a PKCS#12 that cannot sign", () => {
  const build = (name: string, data: Buffer, passphrase?: string) =>
    buildReport({
      findings,
      out: path.join(work, name),
      formats: ["pdf"],
      sign: { signer, p12: { data, ...(passphrase !== undefined ? { passphrase } : {}) } },
    });

  it.each([
    ["wrong-passphrase", () => readFileSync(path.join(ca, "leaf.p12")), "wrong", /configured passphrase/],
    [
      "ec-key",
      () => {
        openssl(
          ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
          ...["-keyout", "ec.key", "-out", "ec.pem", "-days", "5", "-subj", "/CN=EC signer"],
        );
        openssl(
          "pkcs12",
          "-export",
          "-inkey",
          "ec.key",
          "-in",
          "ec.pem",
          "-passout",
          "pass:x",
          "-out",
          "ec.p12",
        );
        return readFileSync(path.join(ca, "ec.p12"));
      },
      "x",
      /not RSA/,
    ],
    [
      "expired",
      () =>
        createSelfSignedP12({ commonName: "Old", now: new Date("2020-01-01T00:00:00Z"), validityYears: 1 })
          .p12,
      undefined,
      /valid from 2020-01-01T00:00:00.000Z to 2021-01-01T00:00:00.000Z, not at the signing time/,
    ],
    ["not-a-p12", () => readFileSync(path.join(ca, "leaf.pem")), undefined, /not a PKCS#12/],
  ])("%s: a UsageError naming the config fields, and no package", async (name, data, passphrase, message) => {
    const error = await build(name, data(), passphrase).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect(`${(error as Error).message} ${(error as UsageError).hint ?? ""}`).toMatch(/signing\.p12File/);
    expect(existsSync(path.join(work, name))).toBe(false);
  });
});

describe("auditpack report with an attestation in the config", () => {
  let dir: string;
  let stderr: string[];
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = 0;
  });
  const setup = (attestation: string) => {
    dir = mkdtempSync(path.join(work, "cli-"));
    writeFileSync(
      path.join(dir, "auditpack.config.yaml"),
      `organization: { name: CLI Test Org }\nstore: { type: fs, path: ./store }\nsigning: { type: ed25519, keyFile: ./keys/signing-key.pem }\n${attestation}`,
    );
    mkdirSync(path.join(dir, "store"));
    ({ err: stderr } = captureOutput());
  };
  const report = (...args: string[]) =>
    runCli([
      ...["-c", path.join(dir, "auditpack.config.yaml"), "report", "--framework", "pci-dss-4.0.1"],
      ...["--period", "2026-Q3", "--requirements", "8.3.6", "--out", path.join(dir, "out"), ...args],
    ]);

  it("writes the signatories into findings.json", async () => {
    setup(
      "attestation:\n  management:\n    name: Alex Morgan\n    role: CISO\n    organisation: CLI Test Org\n    date: 2026-10-05\n",
    );
    expect(await report("--format", "json", "--no-sign")).toBe(0);
    const json = JSON.parse(readFileSync(path.join(dir, "out", "findings.json"), "utf8"));
    expect(json.attestation.management).toMatchObject({
      name: "Alex Morgan",
      role: "CISO",
      date: "2026-10-05",
    });
  }, 60_000);

  it.each([
    [
      "attestation:\n  assessor:\n    name: Sam Patel\n    role: QSA\n",
      "attestation.assessor.organisation: required",
    ],
    [
      "attestation:\n  management:\n    name: A\n    role: B\n    organisation: C\n    date: 2026-09-15\n",
      "attestation.management.date 2026-09-15 is before the period's last day 2026-09-30",
    ],
    [
      "attestation:\n  management:\n    name: A\n    role: B\n    organisation: C\n    date: tomorrow\n",
      "attestation.management.date",
    ],
  ])("exits 2 naming the field, writing nothing: %j", async (attestation, message) => {
    setup(attestation);
    expect(await report()).toBe(2);
    expect(stderr.join("")).toContain(message);
    expect(existsSync(path.join(dir, "out"))).toBe(false);
    expect(existsSync(path.join(dir, "keys"))).toBe(false);
  });
});

describe("attachments name who attached them and when, wherever they are listed", () => {
  const model = buildReportModel({ findings, catalog, template: loadReportTemplate("pci-dss-4.0.1") });

  it("report.xlsx sheet Attachments and report.html", async () => {
    const sheet = sheetSpecs(model).find((s) => s.name === "Attachments")!;
    expect(sheet.columns.map((c) => c.header).slice(0, 5)).toEqual([
      "Requirement",
      "File",
      "Note",
      "Attached by",
      "Attached at (UTC)",
    ]);
    const rows = [...sheet.rows];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(0, 5)).toEqual([
      "11.3.1",
      "internal-scan-q3.pdf",
      expect.any(String),
      "secops@example.com",
      new Date("2026-09-13T10:00:00Z"),
    ]);
    const file = path.join(work, "attachments.html");
    await writeHtml(findings, model, file, { evidenceLinks: false });
    const html = readFileSync(file, "utf8");
    const table = html.slice(
      html.indexOf('id="attachment-table"'),
      html.indexOf("</table>", html.indexOf('id="attachment-table"')),
    );
    expect(table).toContain("<td>secops@example.com</td>");
    expect(table).toContain("2026-09-13T10:00:00Z");
    expect(table).toContain("internal-scan-q3.pdf");
  });

  it("the Summary sheet names the certificate and the signatories", () => {
    const rows = [...sheetSpecs(model).find((s) => s.name === "Summary")!.rows];
    const row = (field: string) => rows.find((r) => r[0] === field)?.[1];
    expect(row("PDF signing certificate (SHA-256)")).toBe("none (PDFs not signed)");
    expect(row("Management assertion")).toMatch(/not completed/);
  });
});
