import { spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../../src/paths.js";
import type { CliResult } from "./cli.js";

const TSX_LOADER = pathToFileURL(path.join(PACKAGE_ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/** The CLI's command line (through tsx, from source), for spawning or for a shell pipeline. */
export function auditpackArgv(args: string[]): string[] {
  return [process.execPath, "--import", TSX_LOADER, path.join(PACKAGE_ROOT, "src/cli/main.ts"), ...args];
}

/**
 * Run a command without blocking the test's event loop (servers in the test process keep serving),
 * killing it after timeoutMs. Resolves with its exit code, output and wall time.
 */
export function spawnAsync(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; inheritEnv?: boolean } = {},
): Promise<CliResult & { ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd ?? PACKAGE_ROOT,
      env: { ...(options.inheritEnv === false ? {} : process.env), NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr, ms: performance.now() - started });
    });
  });
}
