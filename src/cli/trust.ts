import { readFileSync } from "node:fs";
import path from "node:path";
import { AuditpackError, UsageError } from "../errors.js";
import type { TrustAnchor } from "../evidence/trust.js";
import type { CliApp } from "./app.js";

/**
 * The keys the CLI trusts evidence with: the configured signer's public key (when its key exists),
 * every file in the config's `trust:` list and every --public-key file. Keys the store publishes
 * are never among them: they are candidates, named by verify.
 */
export async function trustAnchors(app: CliApp, publicKeys: readonly string[] = []): Promise<TrustAnchor[]> {
  const anchors: TrustAnchor[] = [];
  try {
    const signer = await app.signer({ create: false });
    anchors.push({ pem: await signer.publicKeyPem(), source: "the configured signer" });
  } catch (error) {
    // No local key (an auditor's machine): pinned keys still apply.
    if (!(error instanceof AuditpackError)) throw error;
    if (!(error instanceof UsageError))
      app.out.warn(`cannot read the configured signer's key: ${error.message}`);
  }
  for (const [i, file] of app.config.config.trust.entries()) {
    anchors.push({
      pem: readKeyFile(app.resolvePath(file), `config trust[${i}]`),
      source: `config trust[${i}] ${file}`,
    });
  }
  for (const file of publicKeys) {
    const resolved = path.resolve(app.cwd, file);
    anchors.push({ pem: readKeyFile(resolved, "--public-key"), source: `--public-key ${file}` });
  }
  return anchors;
}

/**
 * Anchors for a command that reads evidence (evaluate, report, pull). With none (no signing key
 * yet, no trust: list), no manifest is trusted, so every record is ignored, and the warning says so.
 */
export async function requireTrustAnchors(app: CliApp): Promise<TrustAnchor[]> {
  const anchors = await trustAnchors(app);
  if (anchors.length === 0) {
    app.out.warn(
      "no trusted key (no signing key yet, no trust: list in the config): no evidence is vouched for; create one with `auditpack keys generate` or list public keys under trust:",
    );
  }
  return anchors;
}

function readKeyFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new UsageError(`cannot read ${what} ${file}: ${(cause as Error).message}`, { cause });
  }
}
