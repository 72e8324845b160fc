import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { P12Signer } from "@signpdf/signer-p12";
import { SignPdf } from "@signpdf/signpdf";
import { SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { UsageError } from "../errors.js";

export interface PdfSigningOptions {
  /** PKCS#12 holding the private key and its X.509 certificate. */
  p12: Buffer;
  passphrase?: string;
  /** Signer name shown by PDF readers (the organisation). */
  name: string;
  reason: string;
  location?: string;
  contactInfo?: string;
  signingTime?: Date;
}

/** Room for the CMS signature (hex-encoded into /Contents): RSA-4096 with a chain fits comfortably. */
const SIGNATURE_LENGTH = 16_384;

/**
 * Embed an invisible CAdES-detached signature over the whole PDF (@signpdf: a plain placeholder,
 * then a PKCS#7 signature by the P12's key). The signature covers every byte except its own
 * /Contents, so any later change to the file breaks it.
 */
export async function signPdf(pdf: Buffer, options: PdfSigningOptions): Promise<Buffer> {
  const signingTime = options.signingTime ?? new Date();
  const withPlaceholder = fixStartXref(
    plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: options.reason,
      contactInfo: options.contactInfo ?? "",
      name: options.name,
      location: options.location ?? "",
      signingTime,
      signatureLength: SIGNATURE_LENGTH,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      widgetRect: [0, 0, 0, 0],
      appName: "auditpack",
    }),
  );
  const signer = new P12Signer(options.p12, { passphrase: options.passphrase ?? "" });
  try {
    return await new SignPdf().sign(withPlaceholder, signer, signingTime);
  } catch (cause) {
    const message = (cause as Error).message ?? String(cause);
    if (/PKCS#12|MAC|password|Invalid|asn1|der/i.test(message)) {
      throw new UsageError(`cannot sign the PDF with the configured PKCS#12: ${message}`, {
        hint: "check signing.p12File and signing.p12Passphrase in the config, or remove p12File to use a self-signed certificate",
        cause,
      });
    }
    throw cause;
  }
}

/**
 * placeholder-plain's incremental update points `startxref` at the newline before its `xref`
 * keyword, which strict readers (qpdf --check) report. Point it at the keyword itself; this runs
 * before signing, so the signature covers the corrected file.
 */
export function fixStartXref(pdf: Buffer): Buffer {
  const at = pdf.lastIndexOf("startxref");
  if (at < 0) return pdf;
  const match = /^startxref\s+(\d+)/.exec(pdf.subarray(at, at + 40).toString("latin1"));
  if (!match) return pdf;
  let offset = Number(match[1]);
  while (offset < at && /\s/.test(String.fromCharCode(pdf[offset]!))) offset += 1;
  if (offset === Number(match[1]) || pdf.subarray(offset, offset + 4).toString("latin1") !== "xref")
    return pdf;
  const numberStart = at + match[0].length - match[1]!.length;
  return Buffer.concat([
    pdf.subarray(0, numberStart),
    Buffer.from(String(offset), "latin1"),
    pdf.subarray(numberStart + match[1]!.length),
  ]);
}
