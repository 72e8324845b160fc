import { UsageError } from "../errors.js";

/** Why a write failed, for the errors a user can fix (space, permissions, a path that is a file). */
const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
  EROFS: "the filesystem is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is a file, not a directory",
  EISDIR: "the path is a directory",
  EMFILE: "too many open files",
};

/**
 * A write error the user can act on (a full disk, a read-only or forbidden path) as a UsageError
 * naming the target, so it exits 2 with the reason instead of 70 ("a bug"). Anything else is returned as is.
 */
export function outputError(error: unknown, target: string, what = "write"): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ? REASONS[code] : undefined;
  if (!reason) return error;
  return new UsageError(`cannot ${what} ${target}: ${reason} (${code})`, {
    cause: error,
    hint:
      code === "ENOSPC" || code === "EDQUOT"
        ? "free some space or choose another location; nothing partial was left behind"
        : "choose a location you can write to",
  });
}
