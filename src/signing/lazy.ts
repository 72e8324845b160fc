import type { SigningConfig } from "../config/schema.js";
import type { Signature, SignatureAlgorithm, Signer } from "./types.js";

/**
 * A signer opened on its first use, so a command that fails validation (no region, no credentials,
 * a bad option) never creates ./auditpack-keys/ or contacts KMS: nothing is written before the
 * command's inputs are known good.
 */
export class LazySigner implements Signer {
  readonly algorithm: SignatureAlgorithm;
  private opened?: Promise<Signer>;

  constructor(
    config: SigningConfig,
    private readonly open: () => Promise<Signer>,
  ) {
    this.algorithm = config.type === "kms" ? "ecdsa-p256-sha256" : "ed25519";
  }

  private signer(): Promise<Signer> {
    this.opened ??= this.open();
    return this.opened;
  }

  async keyId(): Promise<string> {
    return (await this.signer()).keyId();
  }
  async publicKeyPem(): Promise<string> {
    return (await this.signer()).publicKeyPem();
  }
  async sign(data: Uint8Array): Promise<Signature> {
    return (await this.signer()).sign(data);
  }
}
