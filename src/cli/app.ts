import { statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { type LoadedConfig, loadConfig } from "../config/load.js";
import { AuditpackError, ExitCode, UsageError } from "../errors.js";
import { LazySigner } from "../signing/lazy.js";
import { openSigner } from "../signing/open.js";
import type { Signer } from "../signing/types.js";
import { openStore } from "../store/open.js";
import type { EvidenceStore } from "../store/types.js";
import { Output } from "./output.js";

/** Global options every command sees (defined on the root program). */
export interface GlobalOptions {
  config?: string;
  store?: string;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
}

/**
 * What a command needs from the environment, created lazily from the global options so that
 * `--help` or `init` never touch the config, the store or the keys.
 */
export class CliApp {
  private loaded?: LoadedConfig;
  private storeInstance?: EvidenceStore;
  constructor(
    readonly options: GlobalOptions,
    readonly out: Output,
    readonly cwd: string = process.cwd(),
  ) {}

  static fromCommand(command: Command): CliApp {
    const opts = command.optsWithGlobals() as GlobalOptions;
    const global: GlobalOptions = {
      config: opts.config,
      store: opts.store,
      json: Boolean(opts.json),
      verbose: Boolean(opts.verbose),
      quiet: Boolean(opts.quiet),
    };
    return new CliApp(global, new Output(global));
  }

  get config(): LoadedConfig {
    if (!this.loaded) {
      const loaded = loadConfig(this.options.config, this.cwd);
      // --store <dir> overrides whatever store the config names.
      if (this.options.store) {
        loaded.config.store = { type: "fs", path: path.resolve(this.cwd, this.options.store) };
      }
      this.loaded = loaded;
    }
    return this.loaded;
  }

  /** Resolve a path from the config relative to the config file's directory. */
  resolvePath(p: string): string {
    return path.resolve(this.config.baseDir, p);
  }

  /**
   * The evidence store. A disk store must already exist unless the command creates it (`create`:
   * collect, schedule), so a mistyped --store is an error, not an empty store that "verifies".
   */
  store(options: { create?: boolean } = {}): EvidenceStore {
    const config = this.config.config.store;
    if (!options.create && config.type === "fs")
      requireStoreDir(path.resolve(this.config.baseDir, config.path));
    this.storeInstance ??= openStore(config, this.config.baseDir, this.config.config.aws);
    return this.storeInstance;
  }

  /**
   * The configured signer; an Ed25519 key is created when the first signature is made, so a command
   * that fails before it signs anything leaves no key behind. `create: false` opens it now and fails
   * when the key file is missing.
   */
  async signer(options: { create?: boolean } = {}): Promise<Signer> {
    const { signing, aws } = this.config.config;
    const open = (createIfMissing: boolean) =>
      openSigner(signing, this.config.baseDir, { createIfMissing, aws, log: (line) => this.out.info(line) });
    if (options.create === false) return open(false);
    return new LazySigner(signing, () => open(true));
  }
}

function requireStoreDir(root: string): void {
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`evidence store ${root} does not exist`, {
      hint: "check --store or store.path; `auditpack collect` creates a store",
    });
  }
  if (!isDir)
    throw new UsageError(`evidence store ${root} is not a directory`, {
      hint: "check --store or store.path",
    });
}

/** Map any thrown value to a printed message and an exit code. */
export function reportError(error: unknown, out: Output): number {
  if (error instanceof AuditpackError) {
    out.error(error.message);
    if (error.hint) out.errStream.write(`hint: ${error.hint}\n`);
    if (out.options.verbose && error.cause) out.errStream.write(`cause: ${String(error.cause)}\n`);
    if (out.json)
      out.result({ ok: false, error: { name: error.name, message: error.message, hint: error.hint } });
    return error.exitCode;
  }
  const e = error as Error;
  out.error(`unexpected failure: ${e?.message ?? String(error)}`);
  if (out.options.verbose && e?.stack) out.errStream.write(`${e.stack}\n`);
  out.errStream.write("hint: this is a bug in auditpack; rerun with --verbose and report the output\n");
  return ExitCode.internal;
}
