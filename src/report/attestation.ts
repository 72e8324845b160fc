import {
  ATTESTATION_PARTIES,
  type AttestationConfig,
  type AttestationPartyName,
} from "../config/attestation.js";
import { UsageError } from "../errors.js";
import type { AttestationSignatory, PackageAttestation } from "../evaluate/types.js";
import type { CertificateInfo } from "../signing/certificate.js";
import { fillText, paragraphs, type TextBlocks } from "./templates.js";

/**
 * The package's attestation: management's assertion and the assessor's statement (wording from the
 * template, names from the config `attestation`), and the certificate that signs the PDFs. The
 * auditor PDF prints it on its attestation page (pdf/attestation.ts), findings.json carries it as
 * `attestation`, VERIFY.txt repeats the certificate's fingerprint. Pure.
 */

export interface Signatory extends Omit<AttestationSignatory, "statement"> {
  party: AttestationPartyName;
  /** The statement's paragraphs. */
  statement: string[];
}

export interface ReportAttestation {
  management: Signatory;
  assessor: Signatory;
  signingCertificate?: CertificateInfo;
  /** The PDF signature's signing time (ISO 8601 UTC), when the PDFs are signed. */
  signedAt?: string;
}

export interface AttestationInput {
  config?: AttestationConfig;
  text: Pick<TextBlocks, "managementAssertion" | "assessorStatement">;
  /** The template placeholders ({organisation}, {period}, ...). */
  placeholders: Record<string, string>;
  /** The period's last day (YYYY-MM-DD): no one attests a period before it is over. */
  lastDay: string;
  certificate?: CertificateInfo;
  signedAt?: string;
}

const TEMPLATE_KEY = { management: "managementAssertion", assessor: "assessorStatement" } as const;

/**
 * No one attests a period before it is over: a date before the period's last day (YYYY-MM-DD) is
 * an error naming the field. `report` checks this before it evaluates anything.
 */
export function checkAttestationDates(config: AttestationConfig | undefined, lastDay: string): void {
  for (const party of ATTESTATION_PARTIES) {
    const date = config?.[party]?.date;
    if (date !== undefined && date < lastDay) {
      throw new UsageError(
        `attestation.${party}.date ${date} is before the period's last day ${lastDay}: an attestation covers the whole period`,
        { hint: `date it ${lastDay} or later, or leave attestation.${party}.date out to date it by hand` },
      );
    }
  }
}

export function resolveAttestation(input: AttestationInput): ReportAttestation {
  checkAttestationDates(input.config, input.lastDay);
  const [management, assessor] = ATTESTATION_PARTIES.map((party): Signatory => {
    const given = input.config?.[party];
    const wording = given?.statement ?? input.text[TEMPLATE_KEY[party]];
    return {
      party,
      statement: paragraphs(fillText(wording, input.placeholders)),
      ...(given ? { name: given.name, role: given.role, organisation: given.organisation } : {}),
      ...(given?.date !== undefined ? { date: given.date } : {}),
    };
  }) as [Signatory, Signatory];
  return {
    management,
    assessor,
    ...(input.certificate ? { signingCertificate: input.certificate } : {}),
    ...(input.certificate && input.signedAt ? { signedAt: input.signedAt } : {}),
  };
}

/** findings.json `attestation`. */
export function attestationJson(attestation: ReportAttestation): PackageAttestation {
  const party = ({ party: _, statement, ...rest }: Signatory): AttestationSignatory => ({
    statement: statement.join("\n\n"),
    ...rest,
  });
  const cert = attestation.signingCertificate;
  return {
    management: party(attestation.management),
    assessor: party(attestation.assessor),
    ...(cert
      ? {
          signingCertificate: {
            subject: cert.subject,
            issuer: cert.issuer,
            serialNumber: cert.serialNumber,
            notBefore: cert.notBefore,
            notAfter: cert.notAfter,
            sha256Fingerprint: cert.sha256Fingerprint,
            selfSigned: cert.selfSigned,
          },
        }
      : {}),
  };
}

/** "issued by CN=X" or "self-signed", for one line on the cover. */
export function issuerText(cert: CertificateInfo): string {
  return cert.selfSigned
    ? "self-signed (no certificate authority vouches for it)"
    : `issued by ${cert.issuer}`;
}
