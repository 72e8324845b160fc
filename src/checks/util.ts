import type { StateBase, TrailState, UserPoolState } from "../state/types.js";

export const poolLabel = (s: UserPoolState): string => `user pool ${s.name} (${s.id})`;

/** "trail x", or for a trail homed elsewhere "trail x (homed in us-east-1, judged there)". */
export const trailLabel = (s: StateBase & Pick<TrailState, "coverage">): string => {
  const c = s.coverage;
  if (!c) return `trail ${s.name}`;
  const home = c.homeAccount === c.viewAccount ? c.homeRegion : `${c.homeAccount}/${c.homeRegion}`;
  const how =
    c.judgedFrom === "home"
      ? ", judged there"
      : c.judgedFrom === "shadow"
        ? ", judged from its copy here"
        : "";
  return `trail ${s.name} (homed in ${home}${how})`;
};

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
