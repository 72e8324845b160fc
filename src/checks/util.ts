import type { StateBase, UserPoolState } from "../state/types.js";

export const poolLabel = (s: UserPoolState): string => `user pool ${s.name} (${s.id})`;

export const trailLabel = (s: StateBase): string => `trail ${s.name}`;

/** Glob over names and ARNs: `*` any run of characters, `?` one character. Case-sensitive. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

export const matchesAny = (value: string, globs: readonly string[]): boolean =>
  globs.some((g) => globToRegExp(g).test(value));

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
