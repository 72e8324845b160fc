import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import forge from "node-forge";

export interface SelfSignedOptions {
  /** Subject and issuer common name (the organisation name). */
  commonName: string;
  /** PKCS#12 passphrase; empty by default, as @signpdf/signer-p12 expects. */
  passphrase?: string;
  now?: Date;
  validityYears?: number;
}

export interface SelfSignedP12 {
  p12: Buffer;
  certificatePem: string;
}

/**
 * A self-signed X.509 certificate and its RSA-2048 key, bundled as PKCS#12, for the embedded PDF
 * signature (@signpdf/signer-p12 uses node-forge, which has no Ed25519, hence RSA). The key pair
 * comes from Node's native crypto because forge's pure-JS RSA key generation takes seconds.
 */
export function createSelfSignedP12(options: SelfSignedOptions): SelfSignedP12 {
  const now = options.now ?? new Date();
  const { privateKey: privatePem } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const key = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive serial: clear the top bit so DER does not read it as negative.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString("hex");
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now);
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + (options.validityYears ?? 2));
  const subject = [{ name: "commonName", value: options.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], options.passphrase ?? "", {
    algorithm: "aes256",
    friendlyName: options.commonName,
  });
  return {
    p12: Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"),
    certificatePem: forge.pki.certificateToPem(cert),
  };
}

/** Write a new PKCS#12 file create-only with mode 0600 (it holds a private key). */
export async function writeSelfSignedP12File(
  file: string,
  options: SelfSignedOptions,
): Promise<SelfSignedP12> {
  const created = createSelfSignedP12(options);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, created.p12, { mode: 0o600, flag: "wx" });
  return created;
}

/** What a report says about the certificate that signs its PDFs. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  /** ISO 8601 UTC. */
  notBefore: string;
  notAfter: string;
  /**
   * SHA-256 of the DER certificate, upper-case hex pairs joined by colons: what
   * `openssl x509 -noout -fingerprint -sha256` prints after "sha256 Fingerprint=".
   */
  sha256Fingerprint: string;
  /** Issued by itself: it proves the PDF is unchanged, not who signed it. */
  selfSigned: boolean;
  /** Further certificates (the issuing chain) the PKCS#12 holds; they travel in the signature too. */
  chain: number;
}

/** Why a PKCS#12 cannot sign, as the error the caller names its source with. */
export class CertificateError extends Error {}

/**
 * The signer's certificate in a PKCS#12, as the PDF signature will carry it: @signpdf/signer-p12
 * reads the file with node-forge, takes the certificate whose RSA public key matches the private
 * key, and embeds forge's DER of each certificate, so the fingerprint is taken of that same DER.
 */
export function p12Certificate(p12: Buffer, passphrase = ""): CertificateInfo {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString("binary")), false, passphrase);
  } catch (cause) {
    const message = (cause as Error).message ?? String(cause);
    throw new CertificateError(
      /mac|password|invalid/i.test(message)
        ? `the PKCS#12 cannot be opened with the configured passphrase (${message})`
        : /RSAPrivateKey|private key/i.test(message)
          ? `the PKCS#12's private key is not RSA: the PDF signer supports RSA keys only (${message})`
          : `not a PKCS#12 file node-forge can read (${message})`,
      { cause },
    );
  }
  const keyBagType = forge.pki.oids.pkcs8ShroudedKeyBag as string;
  const certBagType = forge.pki.oids.certBag as string;
  const keyBags = parsed.getBags({ bagType: keyBagType })[keyBagType];
  const key = keyBags?.[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key?.n) {
    // forge leaves `key` empty for a key it cannot read (EC, Ed25519); an unencrypted key sits in a keyBag.
    throw new CertificateError(
      keyBags?.length
        ? "the PKCS#12's private key is not RSA: the PDF signer (node-forge) supports RSA keys only"
        : "the PKCS#12 holds no encrypted private key: the PDF signer reads only a passphrase-protected key (pkcs8ShroudedKeyBag), so export it with a passphrase",
    );
  }
  const certs = (parsed.getBags({ bagType: certBagType })[certBagType] ?? [])
    .map((bag) => bag.cert)
    .filter((c): c is forge.pki.Certificate => c !== undefined && c !== null);
  const leaf = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e?.compareTo(key.e) === 0;
  });
  if (!leaf) throw new CertificateError("the PKCS#12 holds no certificate for its private key");
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(leaf)).getBytes(), "binary");
  const x509 = new X509Certificate(der);
  return {
    subject: x509.subject.replace(/\n/g, ", "),
    issuer: x509.issuer.replace(/\n/g, ", "),
    serialNumber: x509.serialNumber,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    sha256Fingerprint: x509.fingerprint256,
    // Not checkIssued: it also wants keyCertSign, which a signing-only certificate lacks.
    selfSigned: x509.subject === x509.issuer && x509.verify(x509.publicKey),
    chain: certs.length - 1,
  };
}
