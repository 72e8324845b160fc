import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../../src/paths.js";

/** tsx's ESM loader by absolute URL, so the CLI runs from any working directory. */
const TSX_LOADER = pathToFileURL(path.join(PACKAGE_ROOT, "node_modules/tsx/dist/loader.mjs")).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the real CLI in a child process (through tsx, from source) so exit codes, stdout and stderr are
 * exactly what a user sees.
 */
export function runAuditpack(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): CliResult {
  const result = spawnSync(
    process.execPath,
    ["--import", TSX_LOADER, path.join(PACKAGE_ROOT, "src/cli/main.ts"), ...args],
    {
      cwd: options.cwd ?? PACKAGE_ROOT,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      input: options.input,
      encoding: "utf8",
      timeout: options.timeoutMs ?? 120_000,
    },
  );
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
