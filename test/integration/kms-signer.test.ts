import { execFile } from "node:child_process";
import { createHash, createPublicKey, verify } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { KmsSigner } from "../../src/signing/kms.js";
import { verifySignature } from "../../src/signing/verify.js";
import { credentials, endpoint, motoClientConfig, region } from "./moto.js";

const kms = new KMSClient(motoClientConfig());
const run = promisify(execFile);

function signer(keyId: string): KmsSigner {
  return new KmsSigner({ keyId, region, endpoint, maxAttempts: 1, credentials });
}

async function createSigningKey(): Promise<string> {
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({
      KeySpec: "ECC_NIST_P256",
      KeyUsage: "SIGN_VERIFY",
      Description: "auditpack test",
    }),
  );
  return KeyMetadata!.KeyId!;
}

/** `openssl dgst -sha256 -verify`, the command the package's VERIFY text gives customers. */
async function opensslVerifies(
  dir: string,
  pem: string,
  signature: Buffer,
  data: Uint8Array,
): Promise<boolean> {
  await writeFile(path.join(dir, "pub.pem"), pem);
  await writeFile(path.join(dir, "sig.bin"), signature);
  await writeFile(path.join(dir, "data"), data);
  try {
    const { stdout } = await run(
      "openssl",
      ["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.bin", "data"],
      {
        cwd: dir,
        timeout: 30_000,
      },
    );
    return stdout.includes("Verified OK");
  } catch {
    return false;
  }
}

describe("KmsSigner against moto_server", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "auditpack-kms-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("signs so that node:crypto and openssl verify with the exported public key", async () => {
    const keyId = await createSigningKey();
    const kmsSigner = signer(keyId);
    const data = Buffer.from("3f6c...  report.pdf\n9a1b...  findings.json\n");
    const signature = await kmsSigner.sign(data);
    const pem = await kmsSigner.publicKeyPem();

    expect(signature.algorithm).toBe("ecdsa-p256-sha256");
    expect(signature.keyId).toBe(await kmsSigner.keyId());
    const value = Buffer.from(signature.value, "base64");
    expect(verify("sha256", data, createPublicKey(pem), value)).toBe(true);
    expect(verifySignature(data, signature, pem)).toBe(true);
    expect(await opensslVerifies(dir, pem, value, data)).toBe(true);

    const tampered = Buffer.from(data);
    tampered[0] = tampered[0]! ^ 1;
    expect(verifySignature(tampered, signature, pem)).toBe(false);
    expect(await opensslVerifies(dir, pem, value, tampered)).toBe(false);
  });

  it("identifies the key by the SHA-256 of the DER public key KMS returns", async () => {
    const keyId = await createSigningKey();
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    const expected = createHash("sha256").update(PublicKey!).digest("hex");
    const kmsSigner = signer(keyId);
    expect(await kmsSigner.keyId()).toBe(expected);
    expect(await kmsSigner.publicKeyPem()).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });

  it("signs messages over the 4096-byte RAW limit so that openssl verifies them", async () => {
    const kmsSigner = signer(await createSigningKey());
    const data = Buffer.alloc(10_000, "evidence/123456789012/eu-west-1/x.json\n");
    const signature = await kmsSigner.sign(data);
    const pem = await kmsSigner.publicKeyPem();
    expect(await opensslVerifies(dir, pem, Buffer.from(signature.value, "base64"), data)).toBe(true);
  });

  it("a wrong key id is a UsageError naming the key and what to check", async () => {
    const missing = "1234abcd-12ab-34cd-56ef-1234567890ab";
    const error = (await signer(missing)
      .sign(Buffer.from("x"))
      .catch((e: unknown) => e)) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain(missing);
    expect(error.message).toContain("not found");
    expect(error.hint).toMatch(/signing\.keyId/);
  });

  it("a symmetric key is refused with a message saying which key type is needed", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "encrypt only" }));
    const error = (await signer(KeyMetadata!.KeyId!)
      .publicKeyPem()
      .catch((e: unknown) => e)) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain(KeyMetadata!.KeyId!);
    expect(`${error.message} ${error.hint}`).toContain("ECC_NIST_P256");
  });
});
