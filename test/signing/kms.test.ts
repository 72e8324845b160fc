import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { Readable } from "node:stream";
import { KMSClient } from "@aws-sdk/client-kms";
import { type HttpRequest, HttpResponse } from "@smithy/protocol-http";
import { describe, expect, it } from "vitest";
import { AuditpackError, UsageError } from "../../src/errors.js";
import { KmsSigner } from "../../src/signing/kms.js";
import { keyIdOf, verifySignature } from "../../src/signing/verify.js";

interface SignRequest {
  KeyId: string;
  Message: string;
  MessageType: "RAW" | "DIGEST";
  SigningAlgorithm: string;
}

/**
 * Answers KMS JSON requests the way AWS KMS does, with a local P-256 key: DIGEST signs the given
 * digest (unlike moto, which signs the digest bytes as a message).
 */
class FakeKms {
  readonly signRequests: SignRequest[] = [];
  readonly keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  failWith?: { status: number; type: string; message: string };
  corruptSignatures = false;

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const target = String(request.headers["x-amz-target"]);
    const input = JSON.parse(Buffer.from(request.body as string | Uint8Array).toString()) as SignRequest;
    if (this.failWith) {
      const { status, type, message } = this.failWith;
      return this.reply(status, { __type: type, message });
    }
    if (target.endsWith(".GetPublicKey")) {
      const der = this.keys.publicKey.export({ type: "spki", format: "der" });
      return this.reply(200, {
        KeyId: input.KeyId,
        PublicKey: der.toString("base64"),
        KeySpec: "ECC_NIST_P256",
        KeyUsage: "SIGN_VERIFY",
        SigningAlgorithms: ["ECDSA_SHA_256"],
      });
    }
    this.signRequests.push(input);
    const message = Buffer.from(input.Message, "base64");
    if (input.MessageType === "RAW" && message.length > 4096) {
      return this.reply(400, { __type: "ValidationException", message: "Message too long for RAW" });
    }
    const digest = input.MessageType === "DIGEST" ? message : createHash("sha256").update(message).digest();
    let signature = signPrehashed(digest, this.keys.privateKey);
    if (this.corruptSignatures) signature = Buffer.from(signature.map((b, i) => (i === 10 ? b ^ 1 : b)));
    return this.reply(200, { KeyId: input.KeyId, Signature: signature.toString("base64") });
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  private reply(status: number, body: unknown): { response: HttpResponse } {
    return {
      response: new HttpResponse({
        statusCode: status,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: Readable.from([Buffer.from(JSON.stringify(body))]),
      }),
    };
  }
}

/**
 * node:crypto cannot ECDSA-sign a bare digest, but sign("sha256", m) is ECDSA over sha256(m). So the
 * test registers each message it signs, and the fake signs the message whose digest it was sent.
 * An unknown digest (e.g. a digest of a digest) is an error, as it would not verify on real KMS.
 */
const messagesByDigest = new Map<string, Buffer>();
function signPrehashed(digest: Buffer, privateKey: Parameters<typeof sign>[2]): Buffer {
  const message = messagesByDigest.get(digest.toString("hex"));
  if (!message) throw new Error("test setup: register the message before signing its digest");
  return sign("sha256", message, privateKey);
}
function remember(message: Buffer): Buffer {
  messagesByDigest.set(createHash("sha256").update(message).digest("hex"), message);
  return message;
}

function signerWith(fake: FakeKms, keyId = "alias/auditpack"): KmsSigner {
  const client = new KMSClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 1,
    requestHandler: fake,
  });
  return new KmsSigner({ keyId, client });
}

describe("KmsSigner", () => {
  it("signs short messages RAW and reports the SPKI fingerprint as keyId", async () => {
    const fake = new FakeKms();
    const data = remember(Buffer.from("SHA256SUMS contents"));
    const signature = await signerWith(fake).sign(data);

    expect(fake.signRequests).toHaveLength(1);
    expect(fake.signRequests[0]).toMatchObject({
      KeyId: "alias/auditpack",
      MessageType: "RAW",
      SigningAlgorithm: "ECDSA_SHA_256",
    });
    expect(signature.keyId).toBe(keyIdOf(fake.keys.publicKey));
    expect(verifySignature(data, signature, fake.keys.publicKey)).toBe(true);
  });

  it("signs messages over 4096 bytes as a SHA-256 DIGEST, as real KMS requires", async () => {
    const fake = new FakeKms();
    const data = remember(Buffer.alloc(5000, "m"));
    const signature = await signerWith(fake).sign(data);

    expect(fake.signRequests).toHaveLength(1);
    expect(fake.signRequests[0]!.MessageType).toBe("DIGEST");
    expect(Buffer.from(fake.signRequests[0]!.Message, "base64")).toEqual(
      createHash("sha256").update(data).digest(),
    );
    expect(verifySignature(data, signature, fake.keys.publicKey)).toBe(true);
  });

  it("fetches the public key once and serves PEM from the cache", async () => {
    const fake = new FakeKms();
    const kmsSigner = signerWith(fake);
    const pem = await kmsSigner.publicKeyPem();
    expect(pem).toBe(fake.keys.publicKey.export({ type: "spki", format: "pem" }).toString());
    fake.failWith = { status: 500, type: "KMSInternalException", message: "boom" };
    expect(await kmsSigner.keyId()).toBe(keyIdOf(pem));
  });

  it("never returns a signature that does not verify", async () => {
    const fake = new FakeKms();
    fake.corruptSignatures = true;
    const error = await signerWith(fake)
      .sign(remember(Buffer.from("x")))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditpackError);
    expect((error as Error).message).toMatch(/alias\/auditpack.*does not verify/);
  });

  it("maps a disabled key to a UsageError that says how to fix it", async () => {
    const fake = new FakeKms();
    fake.failWith = { status: 400, type: "DisabledException", message: "key is disabled" };
    const error = (await signerWith(fake)
      .keyId()
      .catch((e: unknown) => e)) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain("alias/auditpack");
    expect(error.hint).toMatch(/enable/);
  });

  it("explains AccessDenied with the KMS permissions needed", async () => {
    const fake = new FakeKms();
    fake.failWith = { status: 400, type: "AccessDeniedException", message: "not allowed" };
    const error = (await signerWith(fake)
      .keyId()
      .catch((e: unknown) => e)) as AuditpackError;
    expect(error.message).toMatch(/GetPublicKey.*alias\/auditpack.*denied/);
    expect(error.hint).toMatch(/kms:Sign.*kms:GetPublicKey/);
  });

  it("takes the region from a key ARN when none is configured", async () => {
    const kmsSigner = new KmsSigner({
      keyId: "arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    const client = (kmsSigner as unknown as { client: KMSClient }).client;
    expect(await client.config.region()).toBe("ap-southeast-2");
  });

  it("rejects an empty key id, naming the config field", () => {
    expect(() => new KmsSigner({ keyId: " " })).toThrow(/signing\.keyId/);
  });
});
