import type { FilterPattern } from "./ast.js";
import { matchesEvent } from "./match.js";
import { FilterPatternError, parseFilterPattern } from "./parse.js";

export type FilterReading = { ok: true; pattern: FilterPattern } | { ok: false; error: string };

const cache = new Map<string, FilterReading>();

/** Parse once per distinct pattern text (aggregates repeat the same filters at every sample time). */
export function readFilterPattern(text: string): FilterReading {
  let out = cache.get(text);
  if (!out) {
    try {
      out = { ok: true, pattern: parseFilterPattern(text) };
    } catch (e) {
      if (!(e instanceof FilterPatternError)) throw e;
      out = { ok: false, error: e.message };
    }
    cache.set(text, out);
  }
  return out;
}

export interface EventClass {
  examples: readonly Record<string, unknown>[];
  counterExamples: readonly Record<string, unknown>[];
}

/**
 * Whether a pattern watches an event class: it matches every example and none of the
 * counter-examples. On a miss, the first event that decided it.
 */
export function watchesClass(
  pattern: FilterPattern,
  cls: EventClass,
):
  | { watches: true }
  | { watches: false; missed?: Record<string, unknown>; alsoMatches?: Record<string, unknown> } {
  const missed = cls.examples.find((e) => !matchesEvent(pattern, JSON.stringify(e)));
  if (missed) return { watches: false, missed };
  const alsoMatches = cls.counterExamples.find((e) => matchesEvent(pattern, JSON.stringify(e)));
  if (alsoMatches) return { watches: false, alsoMatches };
  return { watches: true };
}

/** A short name for a CloudTrail event in reasons: "ConsoleLogin (MFAUsed Yes)", "ListBuckets (AccessDenied)". */
export function describeEvent(e: Record<string, unknown>): string {
  const extra = [
    (e.additionalEventData as { MFAUsed?: string } | undefined)?.MFAUsed !== undefined
      ? `MFAUsed ${(e.additionalEventData as { MFAUsed: string }).MFAUsed}`
      : "",
    typeof e.errorCode === "string" ? e.errorCode : "",
    (e.userIdentity as { type?: string } | undefined)?.type === "Root" ? "root" : "",
    e.eventName === "ConsoleLogin"
      ? `${(e.responseElements as { ConsoleLogin?: string } | null)?.ConsoleLogin ?? ""}`
      : "",
  ].filter(Boolean);
  return `${String(e.eventName)}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}
