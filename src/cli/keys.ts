import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { writeSelfSignedP12File } from "../signing/certificate.js";
import { generateEd25519KeyFiles, publicKeyFileOf } from "../signing/ed25519.js";
import type { CliApp } from "./app.js";
import { registerKeysRotate } from "./keys-rotate.js";
import { action, examples } from "./program.js";

interface GenerateOptions {
  keyFile?: string;
  p12?: string;
  force: boolean;
}

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("create, show and rotate signing keys");

  const generate = keys
    .command("generate")
    .description("create an Ed25519 signing key (and a PKCS#12 certificate for signing PDF reports)")
    .option("--key-file <path>", "private key file (default: signing.keyFile from the config)")
    .option("--p12 <path>", "PKCS#12 file for PDF signatures (default: pdf-signing.p12 beside the key)")
    .option(
      "--force",
      "replace existing files (signatures made with the old key then need its public key)",
      false,
    )
    .action(action<GenerateOptions>(async (app, options) => generateKeys(app, options)));
  examples(generate, [
    "auditpack keys generate",
    "auditpack keys generate --key-file keys/ledger.pem --p12 keys/pdf.p12",
  ]);

  const show = keys
    .command("show")
    .description("print the configured signer's public key (PEM) and key id")
    .action(
      action(async (app) => {
        const signer = await app.signer({ create: false });
        const [pem, keyId] = [await signer.publicKeyPem(), await signer.keyId()];
        app.out.info(pem.trimEnd());
        app.out.info(`keyId: ${keyId} (${signer.algorithm})`);
        app.out.result({ ok: true, algorithm: signer.algorithm, keyId, publicKeyPem: pem });
        return 0;
      }),
    );
  examples(show, ["auditpack keys show", "auditpack keys show --json"]);
  registerKeysRotate(keys);
}

async function generateKeys(app: CliApp, options: GenerateOptions): Promise<number> {
  const signing = app.config.config.signing;
  const configuredKey = signing.type === "ed25519" ? signing.keyFile : undefined;
  const keyFile = options.keyFile ?? configuredKey;
  const resolvedKey =
    keyFile === undefined ? undefined : path.resolve(options.keyFile ? app.cwd : app.config.baseDir, keyFile);
  const p12 = options.p12
    ? path.resolve(app.cwd, options.p12)
    : signing.p12File
      ? app.resolvePath(signing.p12File)
      : path.join(
          path.dirname(resolvedKey ?? app.resolvePath("./auditpack-keys/signing-key.pem")),
          "pdf-signing.p12",
        );

  const targets = [...(resolvedKey ? [resolvedKey, publicKeyFileOf(resolvedKey)] : []), p12];
  const existing = targets.filter((f) => existsSync(f));
  if (existing.length > 0 && !options.force) {
    throw new UsageError(`refusing to overwrite ${existing.join(", ")}`, {
      hint: "pass --force to replace them (keep the old public key to verify what it signed)",
    });
  }
  for (const f of existing) rmSync(f);

  const result: Record<string, string> = { p12 };
  if (resolvedKey) {
    const created = await generateEd25519KeyFiles(resolvedKey);
    Object.assign(result, created);
    app.out.info(`private key: ${created.keyFile} (mode 0600; keep it safe: it signs your evidence)`);
    app.out.info(`public key:  ${created.publicKeyFile}`);
    app.out.info(`keyId:       ${created.keyId} (SHA-256 of the public key)`);
  } else {
    app.out.info(
      `signing uses AWS KMS key ${signing.type === "kms" ? signing.keyId : ""}; no key file created`,
    );
  }
  await writeSelfSignedP12File(p12, {
    commonName: app.config.config.organization.name,
    passphrase: signing.p12Passphrase ?? "",
  });
  app.out.info(`PDF signing certificate: ${p12} (self-signed, RSA-2048, valid 2 years)`);
  app.out.result({ ok: true, ...result });
  return 0;
}
