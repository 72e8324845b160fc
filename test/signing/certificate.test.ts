import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { createSelfSignedP12, writeSelfSignedP12File } from "../../src/signing/certificate.js";

describe("self-signed PDF signing certificate", () => {
  it("bundles an RSA-2048 key and a 2-year certificate for the organisation as PKCS#12", () => {
    const now = new Date("2026-07-01T00:00:00.000Z");
    const { p12, certificatePem } = createSelfSignedP12({ commonName: "Example Payments Ltd", now });
    const asn1 = forge.asn1.fromDer(p12.toString("binary"));
    const parsed = forge.pkcs12.pkcs12FromAsn1(asn1, "");
    const certBag = parsed.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]![0]!;
    const cert = certBag.cert!;
    expect(cert.subject.getField("CN").value).toBe("Example Payments Ltd");
    expect(cert.issuer.getField("CN").value).toBe("Example Payments Ltd");
    expect(cert.validity.notAfter.toISOString()).toBe("2028-07-01T00:00:00.000Z");
    expect((cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);
    const keyUsage = cert.getExtension("keyUsage") as {
      digitalSignature?: boolean;
      nonRepudiation?: boolean;
    };
    expect(keyUsage.digitalSignature).toBe(true);
    expect(keyUsage.nonRepudiation).toBe(true);
    expect(certificatePem).toContain("BEGIN CERTIFICATE");
  });

  it("writes a file openssl can read, with mode 0600, never overwriting", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditpack-p12-"));
    const file = path.join(dir, "pdf-signing.p12");
    await writeSelfSignedP12File(file, { commonName: "Org", passphrase: "s3cret" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const out = execFileSync("openssl", ["pkcs12", "-in", file, "-nokeys", "-passin", "pass:s3cret"], {
      encoding: "utf8",
    });
    writeFileSync(path.join(dir, "cert.pem"), out);
    const text = execFileSync(
      "openssl",
      ["x509", "-in", path.join(dir, "cert.pem"), "-noout", "-subject", "-ext", "keyUsage"],
      {
        encoding: "utf8",
      },
    );
    expect(text).toContain("CN = Org");
    expect(text).toContain("Digital Signature, Non Repudiation");
    await expect(writeSelfSignedP12File(file, { commonName: "Org" })).rejects.toMatchObject({
      code: "EEXIST",
    });
  });
});
