/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
export function levenshtein(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[t.length]!;
}

/**
 * The candidates closest to `input` (at most `max`, nearest first, ties in candidate order), or
 * those that start with it. Far-off candidates are not suggested: a wrong guess misleads more than none.
 */
export function closestMatches(input: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(input.length / 3));
  const scored = candidates.map((candidate, index) => ({
    candidate,
    index,
    distance: levenshtein(input, candidate),
  }));
  // Only the nearest few: one edit away beats five edits away, so the latter are not offered.
  const best = Math.min(...scored.map((c) => c.distance));
  const near = scored
    .filter((c) => c.distance <= Math.min(limit, best + 1))
    .sort((x, y) => x.distance - y.distance || x.index - y.index)
    .map((c) => c.candidate);
  if (near.length > 0) return near.slice(0, max);
  const lower = input.toLowerCase();
  return candidates.filter((c) => lower.length > 0 && c.toLowerCase().startsWith(lower)).slice(0, max);
}

/** "did you mean a, b or c?" or undefined when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const matches = closestMatches(input, candidates);
  if (matches.length === 0) return undefined;
  const list =
    matches.length === 1
      ? matches[0]
      : `${matches.slice(0, -1).join(", ")} or ${matches[matches.length - 1]}`;
  return `did you mean ${list}?`;
}
