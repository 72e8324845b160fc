import { createHash, verify, X509Certificate } from "node:crypto";
import forge from "node-forge";

/**
 * Checks the embedded signature of a PDF without a PDF library: the /ByteRange must cover every
 * byte of the file except the /Contents hex string, the CMS messageDigest must equal the hash of
 * those bytes, and the signed attributes must verify with the signer's certificate. This is what
 * `pdfsig` reports as "Signature is Valid." and "Total document signed".
 */

export interface PdfSignatureCheck {
  /** The document carries at least one signature. */
  signed: boolean;
  ok: boolean;
  problems: string[];
  signer?: string;
  subFilter?: string;
}

const OID = {
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  sha1: "1.3.14.3.2.26",
};
const DIGESTS: Record<string, string> = {
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
  [OID.sha1]: "sha1",
};

export function checkPdfSignature(pdf: Buffer): PdfSignatureCheck {
  const text = pdf.toString("latin1");
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) =>
    m.slice(1, 5).map(Number),
  );
  if (ranges.length === 0)
    return { signed: false, ok: false, problems: ["the PDF has no embedded signature"] };
  const problems: string[] = [];
  let signer: string | undefined;
  let subFilter: string | undefined;
  let total = false;
  for (const [a, b, c, d] of ranges as [number, number, number, number][]) {
    if (a !== 0 || b <= 0 || c <= b || d < 0 || c + d > pdf.length) {
      problems.push(`signature byte range [${a} ${b} ${c} ${d}] does not fit the file (${pdf.length} bytes)`);
      continue;
    }
    if (c + d === pdf.length) total = true;
    const contents = text.slice(b, c);
    if (!/^<[0-9A-Fa-f]*>$/.test(contents)) {
      problems.push(
        "the signature's byte range does not leave out exactly its /Contents (the file was altered)",
      );
      continue;
    }
    const result = checkCms(
      Buffer.from(contents.slice(1, -1), "hex"),
      Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]),
    );
    problems.push(...result.problems);
    signer ??= result.signer;
    const dictStart = text.lastIndexOf("<<", b);
    subFilter ??= /\/SubFilter\s*\/([\w.]+)/.exec(text.slice(dictStart, b))?.[1];
  }
  if (!total) problems.push("no signature covers the whole document: bytes were added after signing");
  return {
    signed: true,
    ok: problems.length === 0,
    problems,
    ...(signer ? { signer } : {}),
    ...(subFilter ? { subFilter } : {}),
  };
}

type Node = forge.asn1.Asn1;

function checkCms(der: Buffer, signedBytes: Buffer): { problems: string[]; signer?: string } {
  let root: Node;
  try {
    // /Contents is zero-padded after the DER: parse the first value only (forge's types lack the options form).
    const fromDer = forge.asn1.fromDer as unknown as (
      bytes: forge.util.ByteStringBuffer,
      options: object,
    ) => Node;
    root = fromDer(forge.util.createBuffer(der.toString("binary")), { strict: false, parseAllBytes: false });
  } catch (error) {
    return { problems: [`the signature is not valid CMS: ${(error as Error).message}`] };
  }
  try {
    // ContentInfo { contentType, [0] SignedData }
    const signedData = children(children(root)[1]!)[0]!;
    const parts = children(signedData);
    const certificates = parts
      .filter((p) => p.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && p.type === 0)
      .flatMap((p) => children(p))
      .map((node) => new X509Certificate(Buffer.from(forge.asn1.toDer(node).getBytes(), "binary")));
    const signerInfos = parts[parts.length - 1]!;
    const problems: string[] = [];
    let signer: string | undefined;
    for (const info of children(signerInfos)) {
      const fields = children(info);
      const sid = fields[1]!;
      const digestOid = oidOf(children(fields[2]!)[0]!);
      const digest = DIGESTS[digestOid];
      if (!digest) {
        problems.push(`unsupported digest algorithm ${digestOid}`);
        continue;
      }
      const signedAttrs = fields.find(
        (f) => f.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && f.type === 0,
      );
      const signature = fields.find(
        (f) => f.tagClass === forge.asn1.Class.UNIVERSAL && f.type === forge.asn1.Type.OCTETSTRING,
      );
      if (!signedAttrs || !signature) {
        problems.push("the signature has no signed attributes");
        continue;
      }
      const messageDigest = children(signedAttrs)
        .map((attr) => children(attr))
        .find(([type]) => type && oidOf(type) === OID.messageDigest)?.[1];
      const expected = createHash(digest).update(signedBytes).digest();
      const stated = messageDigest
        ? Buffer.from(String(children(messageDigest)[0]?.value ?? ""), "binary")
        : undefined;
      if (!stated?.equals(expected)) {
        problems.push(
          "the document's hash does not match the signed hash: the PDF was changed after signing",
        );
        continue;
      }
      // The signature is over the DER of the signed attributes as a SET OF (RFC 5652 5.4).
      const attrsAsSet = forge.asn1.create(
        forge.asn1.Class.UNIVERSAL,
        forge.asn1.Type.SET,
        true,
        children(signedAttrs),
      );
      const attrsDer = Buffer.from(forge.asn1.toDer(attrsAsSet).getBytes(), "binary");
      const sigBytes = Buffer.from(String(signature.value), "binary");
      const certificate = pickCertificate(certificates, sid, (cert) =>
        safeVerify(digest, attrsDer, cert, sigBytes),
      );
      if (!certificate) {
        problems.push("the signature does not verify with any certificate it carries");
        continue;
      }
      signer ??= certificate.subject.replace(/\n/g, ", ");
    }
    return { problems, ...(signer ? { signer } : {}) };
  } catch (error) {
    return { problems: [`the signature's CMS structure is malformed: ${(error as Error).message}`] };
  }
}

function pickCertificate(
  certificates: X509Certificate[],
  sid: Node,
  verifies: (cert: X509Certificate) => boolean,
): X509Certificate | undefined {
  // IssuerAndSerialNumber names the certificate; try it first, then any that verifies.
  const serial = sid.tagClass === forge.asn1.Class.UNIVERSAL ? children(sid)[1] : undefined;
  const serialHex = serial
    ? forge.util
        .bytesToHex(String(serial.value))
        .replace(/^(00)+/, "")
        .toUpperCase()
    : "";
  const ordered = [
    ...certificates.filter((c) => c.serialNumber.replace(/^(00)+/, "").toUpperCase() === serialHex),
    ...certificates,
  ];
  return ordered.find(verifies);
}

function safeVerify(digest: string, data: Buffer, cert: X509Certificate, signature: Buffer): boolean {
  try {
    return verify(digest, data, cert.publicKey, signature);
  } catch {
    return false;
  }
}

function children(node: Node): Node[] {
  if (!Array.isArray(node.value)) throw new Error(`expected a constructed ASN.1 value (tag ${node.type})`);
  return node.value as Node[];
}

function oidOf(node: Node): string {
  return forge.asn1.derToOid(forge.util.createBuffer(String(node.value)));
}
