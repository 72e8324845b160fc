import { existsSync, readdirSync, statSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Catalog } from "../catalog/types.js";
import type { AttestationConfig } from "../config/attestation.js";
import { UsageError, VerificationError } from "../errors.js";
import type { FindingsView } from "../evaluate/types.js";
import { GarbageCollector } from "../heap.js";
import {
  CertificateError,
  type CertificateInfo,
  createSelfSignedP12,
  p12Certificate,
} from "../signing/certificate.js";
import type { SignatureAlgorithm, Signer } from "../signing/types.js";
import { verifySignature } from "../signing/verify.js";
import { attestationJson } from "./attestation.js";
import { formatChecksums, listFiles, sha256File } from "./checksums.js";
import { copyEvidence } from "./copy-evidence.js";
import { writeFindingsCsv, writeFindingsJson } from "./csv.js";
import { writeHtml } from "./html.js";
import { buildReportModel, type CheckInfo } from "./model.js";
import { writeOcsf } from "./ocsf.js";
import { writeAssessmentPlan, writeAssessmentResults } from "./oscal.js";
import { outputError } from "./output-error.js";
import { renderPdf, renderSummaryPdf } from "./pdf.js";
import { signPdf } from "./sign-pdf.js";
import { loadReportTemplate, type ReportTemplate } from "./templates.js";
import { PACKAGE_FILES, verifyText } from "./verify-text.js";
import { renderXlsx } from "./xlsx.js";
import { zipDirectory } from "./zip.js";

export const REPORT_FORMATS = ["pdf", "summary", "xlsx", "json", "csv", "html", "oscal", "ocsf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Who a package is for. customer: summary.pdf and the machine-readable OSCAL and OCSF files (what
 * `share` sends); auditor: report.pdf, the workbook, the HTML view, findings JSON/CSV, OSCAL, OCSF.
 */
export const AUDIENCES = ["customer", "auditor", "all"] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AUDIENCE_FORMATS: Record<Audience, readonly ReportFormat[]> = {
  customer: ["summary", "oscal", "ocsf"],
  auditor: ["pdf", "xlsx", "json", "csv", "html", "oscal", "ocsf"],
  all: REPORT_FORMATS,
};

/** The audience named by --audience. */
export function parseAudience(value: string): Audience {
  const v = value.trim().toLowerCase();
  if ((AUDIENCES as readonly string[]).includes(v)) return v as Audience;
  throw new UsageError(`--audience: unknown audience "${value}"`, {
    hint: `use one of ${AUDIENCES.join(", ")}`,
  });
}

/** The formats to build: the audience's set, narrowed to `formats` when given. */
export function formatsFor(audience: Audience, formats?: readonly string[]): ReportFormat[] {
  const wanted = AUDIENCE_FORMATS[audience];
  if (!formats) return [...wanted];
  const parsed = parseFormats(formats);
  const outside = parsed.filter((f) => !wanted.includes(f));
  if (outside.length > 0) {
    throw new UsageError(`--format ${outside.join(",")} is not part of the ${audience} set`, {
      hint: `the ${audience} set is ${wanted.join(",")}; use --audience all for any format`,
    });
  }
  return parsed;
}

function pdfNames(formats: readonly ReportFormat[]): string[] {
  return [
    ...(formats.includes("pdf") ? [PACKAGE_FILES.pdf] : []),
    ...(formats.includes("summary") ? [PACKAGE_FILES.summaryPdf] : []),
  ];
}

export interface PdfCertificate {
  /** PKCS#12 bytes: the key and X.509 certificate for the embedded PDF signature. */
  data: Buffer;
  passphrase?: string;
}

export interface BuildReportOptions {
  findings: FindingsView;
  catalog?: Catalog;
  /** A loaded template, or a directory overriding the bundled one. */
  template?: ReportTemplate | string;
  /** The package directory; must not exist or be empty unless `force`. */
  out: string;
  formats?: readonly ReportFormat[];
  /** Sign SHA256SUMS with `signer` and the PDF with `p12` (a self-signed one is made when absent). */
  sign: { signer: Signer; p12?: PdfCertificate } | false;
  /** Also write `<out>.zip`. */
  zip?: boolean;
  /** Replace an existing non-empty `out` (and `<out>.zip`). */
  force?: boolean;
  organisation?: string;
  checkInfo?: (checkId: string) => CheckInfo | undefined;
  /** Progress lines ("rendering report.pdf"). */
  log?: (line: string) => void;
  /** Copy every cited evidence record into the package's evidence/ folder (checked against its SHA-256). */
  withEvidence?: EvidenceSource;
  /** The config's `attestation`: who signs management's assertion and the assessor's statement. */
  attestation?: AttestationConfig;
  /** The PDF signature's signing time (default: now); the attestation page states it. */
  signingTime?: Date;
}

/** Where --with-evidence reads records from: the evidence store. */
export interface EvidenceSource {
  get(key: string): Promise<Buffer>;
}

export interface PackageFile {
  name: string;
  sha256: string;
  size: number;
}

export interface BuiltReport {
  dir: string;
  zip?: string;
  reportId: string;
  files: PackageFile[];
  signed: boolean;
  algorithm?: SignatureAlgorithm;
  keyId?: string;
  demonstration: boolean;
}

/**
 * Build a report package: render every format into a temporary directory beside `out`, embed the
 * PDF signature, checksum every file into SHA256SUMS, sign it, then rename the directory into place.
 * A failure at any step leaves no partial package behind.
 */
export async function buildReport(options: BuildReportOptions): Promise<BuiltReport> {
  const out = path.resolve(options.out);
  const formats = parseFormats(options.formats ?? REPORT_FORMATS);
  const zipFile = options.zip ? `${out}.zip` : undefined;
  checkTarget(out, zipFile, options.force ?? false);
  const template =
    typeof options.template === "object"
      ? options.template
      : loadReportTemplate(options.findings.framework.id, options.template);
  const log = options.log ?? (() => {});

  const sign = options.sign || undefined;
  const algorithm = sign?.signer.algorithm;
  const keyId = sign ? await sign.signer.keyId() : undefined;
  // The certificate is known before rendering: the PDFs print its fingerprint on their cover.
  const signsPdf = sign !== undefined && pdfNames(formats).length > 0;
  const signingTime = options.signingTime ?? new Date();
  const organisation = template.branding.organisation || options.organisation || "Unnamed organisation";
  const p12: PdfCertificate | undefined = signsPdf
    ? (sign.p12 ?? { data: createSelfSignedP12({ commonName: organisation }).p12 })
    : undefined;
  const certificate = p12 ? describeCertificate(p12, signingTime) : undefined;
  const model = buildReportModel({
    findings: options.findings,
    ...(options.catalog ? { catalog: options.catalog } : {}),
    template,
    ...(options.organisation ? { organisation: options.organisation } : {}),
    ...(options.checkInfo ? { checkInfo: options.checkInfo } : {}),
    verification: {
      ...(algorithm ? { algorithm } : {}),
      ...(keyId ? { keyId } : {}),
      pdfSigned: Boolean(sign),
    },
    hasPdf: pdfNames(formats),
    ...(options.attestation ? { attestation: options.attestation } : {}),
    ...(certificate ? { certificate } : {}),
    signingTime: signingTime.toISOString(),
  });

  const tmp = await mkdir(path.dirname(out), { recursive: true })
    .then(() => mkdtemp(path.join(path.dirname(out), `.${path.basename(out)}.partial-`)))
    .catch((error: unknown) => {
      throw outputError(error, `the report package ${out}`);
    });
  try {
    await chmod(tmp, 0o755);
    const file = (name: string) => path.join(tmp, name);
    // An output's garbage is collected before the next starts: after the PDF (pdfmake holds about
    // 200 MB while it lays out), V8 would otherwise let the next outputs' garbage grow to a multiple
    // of that (report.html at 128 accounts: 660 MB of heap over 72 MB live).
    const heap = new GarbageCollector();
    const next = (line: string) => {
      heap.between();
      log(line);
    };
    if (formats.includes("json")) {
      next(`writing ${PACKAGE_FILES.json}`);
      await writeFindingsJson(
        { ...options.findings, attestation: attestationJson(model.attestation) },
        file(PACKAGE_FILES.json),
      );
    }
    if (formats.includes("csv")) {
      next(`writing ${PACKAGE_FILES.csv}`);
      await writeFindingsCsv(model, file(PACKAGE_FILES.csv));
    }
    if (formats.includes("xlsx")) {
      next(`rendering ${PACKAGE_FILES.xlsx}`);
      await renderXlsx(model, file(PACKAGE_FILES.xlsx));
    }
    const pdfs: Array<[ReportFormat, string, () => Promise<Buffer>]> = [
      ["pdf", PACKAGE_FILES.pdf, () => renderPdf(model)],
      ["summary", PACKAGE_FILES.summaryPdf, () => renderSummaryPdf(model, options.findings)],
    ];
    for (const [format, name, render] of pdfs) {
      if (!formats.includes(format)) continue;
      next(`rendering ${name}`);
      let pdf = await render();
      if (p12) {
        log(`signing ${name} (embedded CAdES signature)`);
        pdf = await signPdf(pdf, {
          p12: p12.data,
          ...(p12.passphrase !== undefined ? { passphrase: p12.passphrase } : {}),
          name: model.organisation,
          reason: `auditpack report ${model.reportId}: ${model.title}, ${model.period.label}`,
          contactInfo: "",
          signingTime,
        });
      }
      await writeFile(file(name), pdf, { flag: "wx" });
    }
    if (formats.includes("oscal")) {
      next(`writing ${PACKAGE_FILES.oscalPlan} and ${PACKAGE_FILES.oscalResults}`);
      await writeAssessmentPlan(model, file(PACKAGE_FILES.oscalPlan));
      await writeAssessmentResults(options.findings, model, file(PACKAGE_FILES.oscalResults));
    }
    if (formats.includes("ocsf")) {
      next(`writing ${PACKAGE_FILES.ocsf}`);
      await writeOcsf(options.findings, model, file(PACKAGE_FILES.ocsf));
    }
    if (formats.includes("html")) {
      next(`writing ${PACKAGE_FILES.html}`);
      await writeHtml(options.findings, model, file(PACKAGE_FILES.html), {
        evidenceLinks: options.withEvidence !== undefined,
      });
    }
    if (options.withEvidence) {
      next(`copying ${model.evidenceIndex.length} evidence record(s) into evidence/`);
      await copyEvidence(options.withEvidence, model.evidenceIndex, tmp);
    }
    const publicKeyPem = sign ? await sign.signer.publicKeyPem() : undefined;
    if (publicKeyPem) await writeFile(file(PACKAGE_FILES.publicKey), publicKeyPem, { flag: "wx" });
    await writeFile(
      file(PACKAGE_FILES.verify),
      verifyText({
        reportId: model.reportId,
        ...(algorithm ? { algorithm } : {}),
        ...(keyId ? { keyId } : {}),
        hasPdf: pdfNames(formats),
        demonstration: model.demonstration !== undefined,
        ...(certificate ? { certificate } : {}),
      }),
      { flag: "wx" },
    );

    const files: PackageFile[] = [];
    for (const name of await listFiles(tmp)) {
      files.push({ name, sha256: await sha256File(file(name)), size: (await stat(file(name))).size });
    }
    const sums = Buffer.from(formatChecksums(files), "utf8");
    await writeFile(file(PACKAGE_FILES.sums), sums, { flag: "wx" });
    if (sign && publicKeyPem) {
      log("signing SHA256SUMS");
      const signature = await sign.signer.sign(sums);
      // Catch a misconfigured signer (wrong KMS key type, mismatched key file) before publishing.
      if (!verifySignature(sums, signature, publicKeyPem)) {
        throw new VerificationError(
          "the signer's signature over SHA256SUMS does not verify with its own public key",
          {
            hint: "check the signing configuration (key file or KMS key)",
          },
        );
      }
      await writeFile(file(PACKAGE_FILES.sig), Buffer.from(signature.value, "base64"), { flag: "wx" });
    }

    await moveIntoPlace(tmp, out);
    if (zipFile) {
      next(`writing ${zipFile}`);
      if (existsSync(zipFile)) await rm(zipFile);
      await zipDirectory(out, zipFile, path.basename(out), new Date(options.findings.generatedAt));
    }
    return {
      dir: out,
      ...(zipFile ? { zip: zipFile } : {}),
      reportId: model.reportId,
      files,
      signed: Boolean(sign),
      ...(algorithm ? { algorithm } : {}),
      ...(keyId ? { keyId } : {}),
      demonstration: model.demonstration !== undefined,
    };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw outputError(error, zipFile && existsSync(out) ? `the zip ${zipFile}` : `the report package ${out}`);
  }
}

/** Validate a format list ("pdf", "xlsx", "json", "csv"); duplicates collapse. */
export function parseFormats(formats: readonly string[]): ReportFormat[] {
  const cleaned = formats.map((f) => f.trim().toLowerCase()).filter(Boolean);
  const unknown = cleaned.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    throw new UsageError(`--format: unknown report format ${unknown.map((f) => `"${f}"`).join(", ")}`, {
      hint: `use a comma-separated list of ${REPORT_FORMATS.join(", ")}`,
    });
  }
  if (cleaned.length === 0) {
    throw new UsageError("--format names no format", { hint: `e.g. --format ${REPORT_FORMATS.join(",")}` });
  }
  return [...new Set(cleaned as ReportFormat[])];
}

/** --out (and its .zip) may be written: checked again by buildReport, and by the CLI before it writes anything. */
export function checkTarget(out: string, zipFile: string | undefined, force: boolean): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) {
      throw new UsageError(`--out ${out} exists and is not a directory`, { hint: "choose another --out" });
    }
    if (readdirSync(out).length > 0 && !force) {
      throw new UsageError(`--out ${out} already holds files`, {
        hint: "choose another --out, or pass --force to replace that package",
      });
    }
  }
  if (zipFile && existsSync(zipFile) && !force) {
    throw new UsageError(`${zipFile} already exists`, {
      hint: "pass --force to replace it, or choose another --out",
    });
  }
}

/** Rename the finished package into place; an existing one (under --force) is removed only after. */
async function moveIntoPlace(tmp: string, out: string): Promise<void> {
  let previous: string | undefined;
  if (existsSync(out)) {
    previous = `${tmp}.previous`;
    await rename(out, previous);
  }
  try {
    await rename(tmp, out);
  } catch (error) {
    if (previous) await rename(previous, out);
    throw error;
  }
  if (previous) await rm(previous, { recursive: true, force: true });
}

/**
 * The PDF signing certificate, refused when it cannot sign: unreadable, not RSA, or outside its
 * validity at the signing time (a PDF reader would report the signature invalid).
 */
export function describeCertificate(p12: PdfCertificate, signingTime: Date): CertificateInfo {
  let info: CertificateInfo;
  try {
    info = p12Certificate(p12.data, p12.passphrase ?? "");
  } catch (cause) {
    if (!(cause instanceof CertificateError)) throw cause;
    throw new UsageError(`cannot sign the PDF with the configured PKCS#12: ${cause.message}`, {
      hint: "check signing.p12File and signing.p12Passphrase in the config (README: Signing with a certificate from a CA)",
      cause,
    });
  }
  const at = signingTime.toISOString();
  if (at < info.notBefore || at > info.notAfter) {
    throw new UsageError(
      `the PDF signing certificate (${info.subject}) is valid from ${info.notBefore} to ${info.notAfter}, not at the signing time ${at}`,
      {
        hint: "renew it and point signing.p12File at the new PKCS#12, or delete the self-signed pdf-signing.p12 beside the key to have a new one made",
      },
    );
  }
  return info;
}

/** Read a PKCS#12 file for PDF signing. */
export async function readP12(file: string, passphrase?: string): Promise<PdfCertificate> {
  try {
    return { data: await readFile(file), ...(passphrase !== undefined ? { passphrase } : {}) };
  } catch (cause) {
    throw new UsageError(`cannot read the PDF signing certificate ${file}: ${(cause as Error).message}`, {
      hint: "check signing.p12File, or create one with `auditpack keys generate`",
      cause,
    });
  }
}
