import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { Ed25519Signer, generateEd25519KeyFiles, publicKeyFileOf } from "../../src/signing/ed25519.js";
import { openSigner } from "../../src/signing/open.js";
import { keyIdOf, verifySignature } from "../../src/signing/verify.js";

const tempDir = () => mkdtempSync(path.join(tmpdir(), "auditpack-sign-"));

function openssl(args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync("openssl", args, { encoding: "utf8", stdio: "pipe" }) };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

describe("Ed25519 key files and signatures", () => {
  it("writes the private key with mode 0600 and the public key beside it", async () => {
    const dir = tempDir();
    const keyFile = path.join(dir, "keys", "signing-key.pem");
    const created = await generateEd25519KeyFiles(keyFile);
    expect(created.publicKeyFile).toBe(path.join(dir, "keys", "signing-key.pub.pem"));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(created.publicKeyFile, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(created.keyId).toBe(keyIdOf(readFileSync(created.publicKeyFile, "utf8")));
    expect(publicKeyFileOf("/k/x.key")).toBe("/k/x.key.pub.pem");
  });

  it("never overwrites an existing key file", async () => {
    const keyFile = path.join(tempDir(), "k.pem");
    writeFileSync(keyFile, "precious");
    await expect(generateEd25519KeyFiles(keyFile)).rejects.toMatchObject({ code: "EEXIST" });
    expect(readFileSync(keyFile, "utf8")).toBe("precious");
  });

  it("makes signatures that openssl verifies with the public key alone", async () => {
    const dir = tempDir();
    const { keyFile, publicKeyFile } = await generateEd25519KeyFiles(path.join(dir, "k.pem"));
    const signer = await Ed25519Signer.fromKeyFile(keyFile);
    const data = Buffer.from("the canonical JSON of a manifest");
    const signature = await signer.sign(data);
    expect(signature.algorithm).toBe("ed25519");
    expect(signature.keyId).toBe(await signer.keyId());
    expect(Buffer.from(signature.value, "base64")).toHaveLength(64);
    writeFileSync(path.join(dir, "data"), data);
    writeFileSync(path.join(dir, "sig.bin"), Buffer.from(signature.value, "base64"));
    const verifyWith = (file: string) =>
      openssl([
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        publicKeyFile,
        "-rawin",
        "-in",
        file,
        "-sigfile",
        path.join(dir, "sig.bin"),
      ]);
    const good = verifyWith(path.join(dir, "data"));
    expect(good.ok).toBe(true);
    expect(good.output).toContain("Signature Verified Successfully");
    writeFileSync(path.join(dir, "other"), "the canonical JSON of a manifesT");
    expect(verifyWith(path.join(dir, "other")).ok).toBe(false);
    // keyId is the SHA-256 of the DER public key, as openssl computes it.
    const der = execFileSync("openssl", ["pkey", "-pubin", "-in", publicKeyFile, "-outform", "DER"]);
    const fingerprint = execFileSync("sha256sum", { input: der, encoding: "utf8" }).slice(0, 64);
    expect(signature.keyId).toBe(fingerprint);
  });

  it("verifySignature accepts Ed25519 and P-256 signatures and rejects wrong data, keys and types", async () => {
    const signer = new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);
    const data = Buffer.from("x");
    const sig = await signer.sign(data);
    const pem = await signer.publicKeyPem();
    expect(verifySignature(data, sig, pem)).toBe(true);
    expect(verifySignature(Buffer.from("y"), sig, pem)).toBe(false);
    expect(verifySignature(data, { ...sig, value: "not base64 !!" }, pem)).toBe(false);

    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const { sign } = await import("node:crypto");
    const ecSig = {
      algorithm: "ecdsa-p256-sha256" as const,
      keyId: keyIdOf(ec.publicKey),
      value: sign("sha256", data, ec.privateKey).toString("base64"),
    };
    const ecPem = ec.publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(verifySignature(data, ecSig, ecPem)).toBe(true);
    expect(verifySignature(Buffer.from("y"), ecSig, ecPem)).toBe(false);
    // An algorithm label that does not match the key is rejected.
    expect(verifySignature(data, { ...ecSig, algorithm: "ed25519" }, ecPem)).toBe(false);
    expect(verifySignature(data, sig, ecPem)).toBe(false);
  });
});

describe("openSigner", () => {
  it("names the missing key file and suggests `auditpack keys generate`", async () => {
    const dir = tempDir();
    const promise = openSigner({ type: "ed25519", keyFile: "keys/missing.pem" }, dir, {
      createIfMissing: false,
    });
    await expect(promise).rejects.toBeInstanceOf(UsageError);
    await expect(promise).rejects.toThrow(path.join(dir, "keys/missing.pem"));
    await promise.catch((e: UsageError) => expect(e.hint).toContain("auditpack keys generate"));
    expect(existsSync(path.join(dir, "keys"))).toBe(false);
  });

  it("creates the key on first use when allowed, says where, then reuses it", async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const config = { type: "ed25519" as const, keyFile: "keys/k.pem" };
    const first = await openSigner(config, dir, { createIfMissing: true, log: (l) => lines.push(l) });
    expect(lines.join("\n")).toContain(path.join(dir, "keys/k.pem"));
    expect(lines.join("\n")).toMatch(/keep the private key safe/);
    const again = await openSigner(config, dir, { createIfMissing: true, log: (l) => lines.push(l) });
    expect(await again.keyId()).toBe(await first.keyId());
    expect(lines).toHaveLength(1);
  });

  it("rejects a key file that is not an Ed25519 PEM key with a UsageError", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "bad.pem"), "not a key");
    await expect(
      openSigner({ type: "ed25519", keyFile: "bad.pem" }, dir, { createIfMissing: false }),
    ).rejects.toBeInstanceOf(UsageError);
  });
});
