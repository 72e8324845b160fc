import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import type { Signature } from "./types.js";

/** Hex SHA-256 of the key's DER SubjectPublicKeyInfo: the keyId every Signature carries. */
export function keyIdOf(publicKey: string | KeyObject): string {
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/**
 * Check a signature made by either signer with the PEM public key alone. Returns false (never
 * throws) for a wrong key type, a malformed signature or a mismatch. It does not compare keyIds:
 * callers pick the key by `signature.keyId` and decide whether they trust it.
 */
export function verifySignature(
  data: Uint8Array,
  signature: Signature,
  publicKeyPem: string | KeyObject,
): boolean {
  try {
    const key = typeof publicKeyPem === "string" ? createPublicKey(publicKeyPem) : publicKeyPem;
    const value = Buffer.from(signature.value, "base64");
    if (signature.algorithm === "ed25519") {
      return key.asymmetricKeyType === "ed25519" && verify(null, data, key, value);
    }
    if (signature.algorithm === "ecdsa-p256-sha256") {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      return key.asymmetricKeyType === "ec" && curve === "prime256v1" && verify("sha256", data, key, value);
    }
    return false;
  } catch {
    return false;
  }
}
