import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { Signature, Signer } from "./types.js";
import { keyIdOf } from "./verify.js";

/** Where the public key of a key file lives: signing-key.pem -> signing-key.pub.pem. */
export function publicKeyFileOf(keyFile: string): string {
  return `${keyFile.endsWith(".pem") ? keyFile.slice(0, -".pem".length) : keyFile}.pub.pem`;
}

/**
 * Signs with an Ed25519 private key held in a PEM PKCS#8 file. The signature value is the raw
 * 64-byte signature in base64, which `openssl pkeyutl -verify -rawin` checks with the public key.
 */
export class Ed25519Signer implements Signer {
  readonly algorithm = "ed25519" as const;
  private readonly publicKey: KeyObject;
  private readonly id: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== "ed25519") {
      throw new UsageError(
        `expected an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? privateKey.type}`,
        {
          hint: "signing.keyFile must be an Ed25519 private key in PEM; create one with `auditpack keys generate`",
        },
      );
    }
    this.publicKey = createPublicKey(privateKey);
    this.id = keyIdOf(this.publicKey);
  }

  static async fromKeyFile(keyFile: string): Promise<Ed25519Signer> {
    let pem: string;
    try {
      pem = await readFile(keyFile, "utf8");
    } catch (cause) {
      throw new UsageError(`cannot read signing key file ${keyFile}: ${(cause as Error).message}`, {
        hint: "check the path in signing.keyFile, or create a key with `auditpack keys generate`",
        cause,
      });
    }
    try {
      return new Ed25519Signer(createPrivateKey(pem));
    } catch (cause) {
      throw new UsageError(`${keyFile} is not an Ed25519 private key in PEM (PKCS#8) form`, {
        hint: "create one with `auditpack keys generate --key-file <path>`",
        cause,
      });
    }
  }

  async keyId(): Promise<string> {
    return this.id;
  }

  async publicKeyPem(): Promise<string> {
    return this.publicKey.export({ type: "spki", format: "pem" }).toString();
  }

  async sign(data: Uint8Array): Promise<Signature> {
    return {
      algorithm: this.algorithm,
      keyId: this.id,
      value: sign(null, data, this.privateKey).toString("base64"),
    };
  }
}

export interface GeneratedKeyFiles {
  keyFile: string;
  publicKeyFile: string;
  keyId: string;
}

/**
 * Create a new Ed25519 key pair: the private key (PKCS#8 PEM, mode 0600) at keyFile and the public
 * key (SPKI PEM) beside it. Create-only: an existing file is never overwritten (EEXIST).
 */
export async function generateEd25519KeyFiles(keyFile: string): Promise<GeneratedKeyFiles> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const publicKeyFile = publicKeyFileOf(keyFile);
  await mkdir(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  await writeFile(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  await writeFile(publicKeyFile, publicKey.export({ type: "spki", format: "pem" }), {
    mode: 0o644,
    flag: "wx",
  });
  return { keyFile, publicKeyFile, keyId: keyIdOf(publicKey) };
}
