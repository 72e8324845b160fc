/**
 * `auditpack evaluate --json | head` closes the pipe early: the next write to stdout fails with
 * EPIPE. Like a program killed by SIGPIPE (Node ignores the signal), the CLI then stops at once,
 * quietly, with the shell's status for it: 128 + SIGPIPE (13) = 141. A closed stderr is ignored.
 */
export const EPIPE_EXIT_CODE = 141;

export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EPIPE_EXIT_CODE);
    throw error;
  });
  process.stderr.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}
