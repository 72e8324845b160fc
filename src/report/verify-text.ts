import type { CertificateInfo } from "../signing/certificate.js";
import type { SignatureAlgorithm } from "../signing/types.js";

/** File names inside a report package. */
export const PACKAGE_FILES = {
  pdf: "report.pdf",
  xlsx: "report.xlsx",
  json: "findings.json",
  csv: "findings.csv",
  summaryPdf: "summary.pdf",
  html: "report.html",
  oscalResults: "oscal-assessment-results.json",
  oscalPlan: "oscal-assessment-plan.json",
  ocsf: "findings.ocsf.jsonl",
  sums: "SHA256SUMS",
  sig: "SHA256SUMS.sig",
  publicKey: "signing-key.pub.pem",
  verify: "VERIFY.txt",
} as const;

export interface VerifyCommand {
  /** What the command proves. */
  purpose: string;
  command: string;
}

/** PDFs a package may hold, each with an embedded signature when the package is signed. */
export const PACKAGE_PDFS: readonly string[] = [PACKAGE_FILES.pdf, PACKAGE_FILES.summaryPdf];

/**
 * The commands that check a package without auditpack, run from inside the package directory.
 * `pdfs`: the PDFs it holds (true: report.pdf).
 */
export function verifyCommands(
  algorithm: SignatureAlgorithm | undefined,
  pdfs: boolean | readonly string[],
): VerifyCommand[] {
  const { sums, sig, publicKey } = PACKAGE_FILES;
  const pdfFiles = pdfs === true ? [PACKAGE_FILES.pdf] : pdfs === false ? [] : pdfs;
  const commands: VerifyCommand[] = [
    { purpose: "every file matches its SHA-256 in SHA256SUMS", command: `sha256sum -c ${sums}` },
  ];
  if (algorithm === "ed25519") {
    commands.push({
      purpose: "SHA256SUMS carries a valid Ed25519 signature by the packaged key",
      command: `openssl pkeyutl -verify -pubin -inkey ${publicKey} -rawin -in ${sums} -sigfile ${sig}`,
    });
  } else if (algorithm === "ecdsa-p256-sha256") {
    commands.push({
      purpose: "SHA256SUMS carries a valid ECDSA P-256 signature by the packaged key",
      command: `openssl dgst -sha256 -verify ${publicKey} -signature ${sig} ${sums}`,
    });
  }
  if (algorithm) {
    commands.push({
      purpose: "the key's fingerprint (compare it with the one the publisher gave you out of band)",
      command: `openssl pkey -pubin -in ${publicKey} -outform DER | sha256sum`,
    });
    for (const pdf of pdfFiles) {
      commands.push({
        purpose: `${pdf}'s embedded signature covers the whole document and is intact`,
        command: `pdfsig ${pdf}`,
      });
    }
  }
  return commands;
}

export interface VerifyTextOptions {
  reportId: string;
  algorithm?: SignatureAlgorithm;
  keyId?: string;
  hasPdf: boolean | readonly string[];
  demonstration: boolean;
  /** The certificate of the PDFs' embedded signatures. */
  certificate?: CertificateInfo;
}

/**
 * Prints the SHA-256 fingerprint of the certificate embedded in `pdf`'s signature, leaving no file
 * in the package (pdfsig -dump writes <name>.sig0 into the current directory, so it runs in a
 * temporary one). The first certificate printed is the signer's when the PKCS#12 lists it first.
 */
export function certificateFingerprintCommand(pdf: string): string {
  return `p="$PWD/${pdf}"; d=$(mktemp -d); (cd "$d" && pdfsig -dump "$p" >/dev/null) && openssl pkcs7 -inform DER -in "$d/${pdf}.sig0" -print_certs | openssl x509 -noout -fingerprint -sha256`;
}

/** The certificate block of VERIFY.txt. */
export function certificateLines(cert: CertificateInfo, pdfs: readonly string[]): string[] {
  return [
    `PDF signing certificate (embedded in the signature of ${pdfs.join(" and ")}):`,
    `  subject:  ${cert.subject}`,
    `  issuer:   ${cert.selfSigned ? `${cert.issuer} (self-signed: no certificate authority vouches for it)` : cert.issuer}`,
    `  serial:   ${cert.serialNumber}`,
    `  valid:    ${cert.notBefore} to ${cert.notAfter}`,
    "  SHA-256 fingerprint of the DER certificate (as `openssl x509 -noout -fingerprint -sha256` prints it):",
    `  ${cert.sha256Fingerprint}`,
    "",
    `# prints the fingerprint of the certificate inside ${pdfs[0]}: it must equal the one above`,
    certificateFingerprintCommand(pdfs[0]!),
    "",
    cert.selfSigned
      ? "A self-signed certificate proves the PDF is unchanged since signing, not who signed it: compare its fingerprint with one the publisher gave you through another channel."
      : "Check that a certificate authority you trust issued it: PDF readers show the chain, and `pdfsig` reports whether it is trusted on this machine.",
    "",
  ];
}

/** VERIFY.txt: how to check the package with standard tools. */
export function verifyText(options: VerifyTextOptions): string {
  const lines = [`How to verify report package ${options.reportId}`, ""];
  if (options.demonstration) {
    lines.push("DEMONSTRATION DATA - built from recorded fixtures, not evidence of a real environment.", "");
  }
  lines.push("Run these commands in the directory that holds this file (every one must succeed):", "");
  for (const c of verifyCommands(options.algorithm, options.hasPdf)) {
    lines.push(`# ${c.purpose}`, c.command, "");
  }
  const pdfs = options.hasPdf === true ? [PACKAGE_FILES.pdf] : options.hasPdf === false ? [] : options.hasPdf;
  if (options.certificate && pdfs.length > 0) lines.push(...certificateLines(options.certificate, pdfs));
  if (options.algorithm) {
    lines.push(
      `Signing key fingerprint (SHA-256 of the DER public key): ${options.keyId ?? "(unknown)"}`,
      "",
      "The packaged public key proves that the files have not changed since they were signed; it does not",
      "prove who signed them. To check origin, compare the fingerprint above with the one the publisher",
      "gave you through another channel, or verify with their key: auditpack verify-report . --public-key <pem>",
    );
  } else {
    lines.push("This package is NOT signed: SHA256SUMS proves integrity only against accidental change.");
  }
  lines.push("", "With auditpack installed, one command checks everything: auditpack verify-report .", "");
  return lines.join("\n");
}
