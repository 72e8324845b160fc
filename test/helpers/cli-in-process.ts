import { vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import type { CliResult } from "./cli.js";

/**
 * Swallow what the process writes to stdout and stderr, keeping each chunk, until `restore()`
 * (or `vi.restoreAllMocks()`).
 */
export function captureOutput(): { out: string[]; err: string[]; restore: () => void } {
  const out: string[] = [];
  const err: string[] = [];
  const outSpy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  return {
    out,
    err,
    restore: () => {
      outSpy.mockRestore();
      errSpy.mockRestore();
    },
  };
}

/**
 * Run the CLI in this process (the module graph is already loaded, so this is fast on a busy
 * machine), capturing what it writes. Use `runAuditpack` from ./cli.js for the real exit code and
 * streams of a child process.
 */
export async function runCliInProcess(args: string[]): Promise<CliResult> {
  const output = captureOutput();
  try {
    const code = await runCli(args);
    return { code, stdout: output.out.join(""), stderr: output.err.join("") };
  } finally {
    output.restore();
  }
}
