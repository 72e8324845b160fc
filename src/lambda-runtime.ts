import { existsSync } from "node:fs";
import { parseDocument } from "yaml";
import { type LoadedConfig, loadConfig, parseConfig } from "./config/load.js";
import { yamlToJs } from "./config/yaml-js.js";
import { UsageError } from "./errors.js";
import { openSigner } from "./signing/open.js";
import type { Signer } from "./signing/types.js";
import { openStore } from "./store/open.js";
import type { EvidenceStore } from "./store/types.js";

/** The config of every Lambda handler: a file path, or the config itself as YAML or JSON. */
export const CONFIG_ENV = "AUDITPACK_CONFIG";

export interface LambdaRuntime {
  loaded: LoadedConfig;
  store: EvidenceStore;
  signer: Signer;
}

/** Reused across invocations of one Lambda instance (and across concurrent calls in one process). */
let cached: { source: string; runtime: Promise<LambdaRuntime> } | undefined;

/** AUDITPACK_CONFIG: an existing file is loaded as a config file; anything else must be inline YAML or JSON. */
export function loadLambdaConfig(value: string | undefined, cwd = process.cwd()): LoadedConfig {
  if (!value || value.trim() === "") {
    throw new UsageError(`${CONFIG_ENV} is not set`, {
      hint: `set ${CONFIG_ENV} to the path of a config file, or to the config itself as YAML or JSON`,
    });
  }
  if (!value.includes("\n") && existsSync(value)) return loadConfig(value, cwd);
  const doc = parseDocument(value, { uniqueKeys: true });
  const raw = doc.errors.length === 0 ? yamlToJs(doc, CONFIG_ENV) : undefined;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    const reason =
      doc.errors[0]?.message.split("\n")[0] ?? "it is neither an existing file nor a YAML/JSON mapping";
    throw new UsageError(`${CONFIG_ENV} is not usable: ${reason}`, {
      hint: `set ${CONFIG_ENV} to the path of a config file (none exists at "${value.slice(0, 80)}"), or to the config as YAML or JSON`,
    });
  }
  const config = parseConfig(raw, CONFIG_ENV);
  return { config, baseDir: cwd };
}

export async function runtime(env: NodeJS.ProcessEnv = process.env): Promise<LambdaRuntime> {
  const source = env[CONFIG_ENV] ?? "";
  if (cached?.source !== source) {
    const created = (async (): Promise<LambdaRuntime> => {
      const loaded = loadLambdaConfig(source);
      if (loaded.config.store.type !== "s3") {
        throw new UsageError(
          `${CONFIG_ENV}: store.type must be s3 in Lambda (its disk is temporary), not ${loaded.config.store.type}`,
        );
      }
      const store = openStore(loaded.config.store, loaded.baseDir, loaded.config.aws);
      const signer = await openSigner(loaded.config.signing, loaded.baseDir, {
        createIfMissing: false,
        aws: loaded.config.aws,
      });
      return { loaded, store, signer };
    })();
    cached = { source, runtime: created };
    created.catch(() => {
      if (cached?.runtime === created) cached = undefined;
    });
  }
  return cached.runtime;
}
