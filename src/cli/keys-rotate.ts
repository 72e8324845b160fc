import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { rotateKey } from "../evidence/rotate.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../signing/ed25519.js";
import { action, examples } from "./program.js";

interface RotateOptions {
  newKeyFile: string;
  reason?: string;
}

/** `auditpack keys rotate`: hand the ledger over to a new Ed25519 key with a signed key transition. */
export function registerKeysRotate(keys: Command): void {
  const rotate = keys
    .command("rotate")
    .description(
      "rotate the ledger signing key: the configured (old) key signs a key transition to a new key, which countersigns it",
    )
    .requiredOption("--new-key-file <path>", "the new private key (created when it does not exist)")
    .option("--reason <text>", "why (kept in the transition)")
    .action(
      action<RotateOptions>(async (app, options) => {
        const oldSigner = await app.signer({ create: false });
        const file = path.resolve(app.cwd, options.newKeyFile);
        if (!existsSync(file)) {
          await generateEd25519KeyFiles(file);
          app.out.info(`created ${file} (mode 0600)`);
        }
        const newSigner = await Ed25519Signer.fromKeyFile(file);
        if ((await newSigner.keyId()) === (await oldSigner.keyId()))
          throw new UsageError(`--new-key-file ${file} is the key already configured`);
        const done = await rotateKey(app.store(), oldSigner, newSigner, { reason: options.reason });
        app.out.info(`key transition ${done.key}: ${done.from} -> ${done.to} from ${done.at}`);
        app.out.info(
          `now set signing.keyFile to ${file} in the config; keep the old public key: verifiers pinned to it follow the transition`,
        );
        app.out.result({ ok: true, ...done, newKeyFile: file });
        return 0;
      }),
    );
  examples(rotate, [
    "auditpack keys rotate --new-key-file auditpack-keys/signing-key-2027.pem --reason yearly",
  ]);
}
