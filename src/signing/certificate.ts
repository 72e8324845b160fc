import { generateKeyPairSync, randomBytes } from "node:crypto";
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
