import type { Content } from "pdfmake/interfaces.js";
import { issuerText, type Signatory } from "../attestation.js";
import type { ReportModel } from "../model.js";
import { type Kit, time } from "./kit.js";

/**
 * The attestation parts of the auditor PDF: the cover's certificate and signatory lines, and the
 * attestation page (management's assertion, the assessor's statement, each with its signature
 * block, and the certificate that signs the PDF). A field the config leaves out is a blank line
 * to complete by hand; the signature line is always blank (a typed name is not a signature).
 */

const LABEL_WIDTH = 90;
const LINE_WIDTH = 300;

/** The cover line naming the certificate that signs the PDF, by its SHA-256 fingerprint. */
export function certificateRow(model: ReportModel): [string, string] {
  const cert = model.attestation.signingCertificate;
  return [
    "PDF signing certificate",
    cert
      ? `SHA-256 fingerprint ${fingerprintLines(cert.sha256Fingerprint)}\n${cert.subject}, ${issuerText(cert)}`
      : "none: this PDF is not signed",
  ];
}

/** Rows for the auditor PDF cover's facts table. */
export function coverAttestationRows(model: ReportModel): Array<[string, string]> {
  return [
    certificateRow(model),
    ["Management assertion", signedBy(model.attestation.management)],
    ["Assessor", signedBy(model.attestation.assessor)],
  ];
}

/** 32 hex pairs do not fit a line beside a label: two lines of 16, broken after a colon. */
export function fingerprintLines(fingerprint: string): string {
  const pairs = fingerprint.split(":");
  return pairs.length > 16 ? `${pairs.slice(0, 16).join(":")}:\n${pairs.slice(16).join(":")}` : fingerprint;
}

function signedBy(s: Signatory): string {
  if (s.name === undefined) return "not yet completed (attestation page)";
  const who = `${s.name}, ${s.role}, ${s.organisation}`;
  return s.date ? `${who}; dated ${s.date}` : `${who}; not yet dated`;
}

export function attestationPage(kit: Kit): Content[] {
  const a = kit.model.attestation;
  return [
    kit.h1("Attestation", true),
    kit.note(
      "Completed from the report configuration (attestation) where given; blank lines are completed and signed by hand, or the signed copy is kept with the assessor's working papers.",
    ),
    ...signatoryBlock(kit, "Management assertion", a.management),
    ...signatoryBlock(kit, "Assessor's statement", a.assessor),
    ...certificateBlock(kit),
  ];
}

function signatoryBlock(kit: Kit, title: string, s: Signatory): Content[] {
  return [
    kit.keep(
      { text: title, style: "h2" },
      ...kit.paragraphs(s.statement),
      field(kit, "Name", s.name),
      field(kit, "Role", s.role),
      field(kit, "Organisation", s.organisation),
      field(kit, "Date", s.date),
      field(kit, "Signature", undefined, 22),
    ),
  ];
}

/** One form line: the label, then the value (or nothing) above a rule to write on. */
function field(kit: Kit, label: string, value: string | undefined, space = 8): Content {
  return {
    columns: [
      { text: label, width: LABEL_WIDTH, bold: true, color: kit.c.muted, margin: [0, space, 0, 0] },
      {
        width: LINE_WIDTH,
        stack: [
          { text: value ?? " ", margin: [0, space, 0, 1] },
          {
            canvas: [
              { type: "line", x1: 0, y1: 0, x2: LINE_WIDTH, y2: 0, lineWidth: 0.5, lineColor: kit.c.text },
            ],
          },
        ],
      },
    ],
    columnGap: 6,
  } as Content;
}

function certificateBlock(kit: Kit): Content[] {
  const model = kit.model;
  const cert = model.attestation.signingCertificate;
  if (!cert) {
    return [
      kit.keep(
        { text: "Signing certificate", style: "h2" },
        { text: "This PDF carries no embedded signature (the package was built unsigned).", bold: true },
      ),
    ];
  }
  const signedAt = model.attestation.signedAt;
  return [
    kit.keep(
      { text: "Signing certificate", style: "h2" },
      {
        text: "The embedded signature of this PDF (and of summary.pdf, when the package holds it) is made with this certificate:",
        margin: [0, 0, 0, 2],
      },
      kit.facts(
        [
          ["Subject", cert.subject],
          ["Issuer", cert.selfSigned ? `${cert.issuer} (self-signed)` : cert.issuer],
          ["Serial number", cert.serialNumber],
          ["Valid", `${time(cert.notBefore)} to ${time(cert.notAfter)} UTC`],
          ["SHA-256 fingerprint", fingerprintLines(cert.sha256Fingerprint)],
          ...(signedAt ? ([["Signed at", `${time(signedAt)} UTC`]] as Array<[string, string]>) : []),
          ["Evidence evaluated at", `${time(model.generatedAt)} UTC (the document's creation date)`],
        ],
        [0, 2, 0, 4],
      ),
      kit.note(
        "The fingerprint is the SHA-256 of the DER certificate, as `openssl x509 -noout -fingerprint -sha256` prints it; VERIFY.txt gives the command that reads it out of this PDF. The signing time is when the package was built and signed; the creation date is when the evidence was evaluated, so the two differ when a package is built, or rebuilt, after the evaluation.",
      ),
      kit.note(
        cert.selfSigned
          ? "Self-signed: the signature proves the PDF is unchanged since signing, not who signed it. Compare the fingerprint with one the publisher gave you through another channel, or ask for a package signed with a certificate from a certificate authority."
          : "Issued by a certificate authority: a PDF reader that trusts it shows the signer's identity; check the issuer above.",
      ),
    ),
  ];
}
