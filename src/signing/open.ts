import { existsSync } from "node:fs";
import path from "node:path";
import type { AuditpackConfig, SigningConfig } from "../config/schema.js";
import { UsageError } from "../errors.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "./ed25519.js";
import type { Signer } from "./types.js";

export interface OpenSignerOptions {
  /** Create the Ed25519 key file when it does not exist yet (first use). */
  createIfMissing: boolean;
  aws?: AuditpackConfig["aws"];
  log?: (line: string) => void;
}

/** The signer a config names; a relative key file resolves against baseDir. */
export async function openSigner(
  config: SigningConfig,
  baseDir: string,
  options: OpenSignerOptions,
): Promise<Signer> {
  if (config.type === "kms") {
    // Loaded on demand: the AWS SDK is heavy and most commands sign with a key file.
    const { KmsSigner } = await import("./kms.js");
    return new KmsSigner({
      keyId: config.keyId,
      region: config.region,
      endpoint: config.endpoint ?? options.aws?.endpoint,
      maxAttempts: options.aws?.maxAttempts,
    });
  }
  const keyFile = path.resolve(baseDir, config.keyFile);
  if (!existsSync(keyFile)) {
    if (!options.createIfMissing) {
      throw new UsageError(`signing key file ${keyFile} does not exist`, {
        hint: "create it with `auditpack keys generate`, or point signing.keyFile in the config at your key",
      });
    }
    try {
      const created = await generateEd25519KeyFiles(keyFile);
      options.log?.(
        `created Ed25519 signing key ${created.keyFile} (public key ${created.publicKeyFile}, keyId ${created.keyId}); ` +
          "keep the private key safe: whoever holds it can sign evidence",
      );
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return Ed25519Signer.fromKeyFile(keyFile);
}
