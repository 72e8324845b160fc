import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { UsageError } from "../errors.js";
import { type AuditpackConfig, ConfigSchema } from "./schema.js";
import { yamlToJs } from "./yaml-js.js";

export const DEFAULT_CONFIG_FILE = "auditpack.config.yaml";

export interface LoadedConfig {
  config: AuditpackConfig;
  /** The file it came from; undefined when defaults were used. */
  file?: string;
  /** Directory that relative paths in the config are resolved against. */
  baseDir: string;
}

/** "scope.accounts[0].id" from a zod issue path. */
export function formatPath(issuePath: readonly PropertyKey[]): string {
  let out = "";
  for (const part of issuePath) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      const prefix = issue.path.length ? `${where}: ` : "";
      return `${prefix}unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    }
    return `${where}: ${issue.message}`;
  });
}

/** Validate an already-parsed config object. `source` names it in errors. */
export function parseConfig(raw: unknown, source: string): AuditpackConfig {
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const lines = describeIssues(result.error).map((l) => `  - ${l}`);
    throw new UsageError(`invalid config ${source}:\n${lines.join("\n")}`, {
      hint: "run `auditpack init` to see a commented example of every field",
    });
  }
  return result.data;
}

/**
 * Load the config file. An explicitly named file must exist; the default file is optional, and
 * without it every setting takes its default (a disk store in ./auditpack-store).
 */
export function loadConfig(file?: string, cwd = process.cwd()): LoadedConfig {
  const explicit = file !== undefined;
  const target = path.resolve(cwd, file ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(target)) {
    if (explicit)
      throw new UsageError(`config file ${file} not found`, { hint: "run `auditpack init` to create one" });
    return { config: parseConfig({}, "(defaults)"), baseDir: cwd };
  }
  let text: string;
  try {
    text = readFileSync(target, "utf8");
  } catch (cause) {
    throw new UsageError(`cannot read config file ${target}: ${(cause as Error).message}`, { cause });
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new UsageError(`config file ${target} is not valid YAML: ${first.message.split("\n")[0]}`, {
      cause: first,
    });
  }
  return {
    config: parseConfig(yamlToJs(doc, `config file ${target}`), target),
    file: target,
    baseDir: path.dirname(target),
  };
}
