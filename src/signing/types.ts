/**
 * Signs ledger objects and report checksums. Ed25519 (key file) and AWS KMS ECDSA P-256 (SHA-256)
 * both produce signatures that `openssl pkeyutl -verify` / `openssl dgst -verify` check with the PEM
 * public key alone.
 */
export type SignatureAlgorithm = "ed25519" | "ecdsa-p256-sha256";

export interface Signature {
  algorithm: SignatureAlgorithm;
  /** SHA-256 fingerprint (hex) of the signer's DER SubjectPublicKeyInfo: identifies the key. */
  keyId: string;
  /** Base64 signature: raw 64 bytes for Ed25519, DER-encoded ECDSA for P-256. */
  value: string;
}

export interface Signer {
  readonly algorithm: SignatureAlgorithm;
  keyId(): Promise<string>;
  /** SPKI public key as PEM. */
  publicKeyPem(): Promise<string>;
  sign(data: Uint8Array): Promise<Signature>;
}

export interface Verifier {
  verify(data: Uint8Array, signature: Signature): Promise<boolean>;
}
