import { describeIssues } from "../config/load.js";
import { UsageError } from "../errors.js";
import { didYouMean } from "../suggest.js";
import { type AnyCollector, collectors as allCollectors, collectorIds, getCollector } from "./registry.js";
import type { RunSource } from "./run-source.js";
import type { CollectOptions, Plan, PlannedCollector } from "./run-types.js";
import type { CollectWindow } from "./types.js";

/** Environment variable holding the key for pseudonymising user names (never in the config file). */
export const PSEUDONYMIZE_KEY_ENV = "AUDITPACK_PSEUDONYMIZE_KEY";
/** Runner-level option accepted in `collectors.<id>` beside the collector's own options. */
const PSEUDONYMIZE_OPTION = "pseudonymizeUsers";
/** LookupEvents reaches back 90 days; live runs default to that window. */
const DEFAULT_LOOKBACK_MS = 90 * 24 * 3600 * 1000;

/**
 * Validate every input before any AWS call: collectors and their options, then the scope and
 * window the source gives.
 */
export function planRun(options: CollectOptions, source: RunSource): Plan {
  const collectors = planCollectors(options);
  const pseudonymizeKey = options.pseudonymizeKey ?? process.env[PSEUDONYMIZE_KEY_ENV];
  if (collectors.some((p) => p.pseudonymize) && !pseudonymizeKey) {
    throw new UsageError(`pseudonymizing user names needs a key in $${PSEUDONYMIZE_KEY_ENV}`, {
      hint: `set ${PSEUDONYMIZE_KEY_ENV} to a long random secret (keep it: the same key gives the same pseudonyms)`,
    });
  }
  return { collectors, ...source.scope(options), source, pseudonymizeKey };
}

function planCollectors(options: CollectOptions): PlannedCollector[] {
  const { config } = options;
  for (const id of Object.keys(config.collectors)) {
    if (
      !collectorIds.includes(id) &&
      !(options.collectors ?? []).some((c) => typeof c !== "string" && c.id === id)
    ) {
      const hint = didYouMean(id, collectorIds);
      throw new UsageError(`config collectors.${id}: unknown collector${hint ? ` (${hint})` : ""}`, {
        hint: `collectors: ${collectorIds.join(", ")}`,
      });
    }
  }
  const chosen = (options.collectors ?? allCollectors).map((c) =>
    typeof c === "string" ? getCollector(c) : c,
  );
  return chosen.map((collector) => {
    const raw = { ...(config.collectors[collector.id] ?? {}) };
    const pseudonymize = options.pseudonymizeUsers === true || raw[PSEUDONYMIZE_OPTION] === true;
    if (PSEUDONYMIZE_OPTION in raw && typeof raw[PSEUDONYMIZE_OPTION] !== "boolean") {
      throw new UsageError(
        `config collectors.${collector.id}.${PSEUDONYMIZE_OPTION}: expected true or false`,
      );
    }
    delete raw[PSEUDONYMIZE_OPTION];
    return { collector, options: validateOptions(collector, raw), pseudonymize };
  });
}

function validateOptions(collector: AnyCollector, raw: Record<string, unknown>): unknown {
  if (!collector.optionsSchema) {
    const keys = Object.keys(raw);
    if (keys.length > 0) {
      throw new UsageError(
        `config collectors.${collector.id}: unknown option${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`,
        {
          hint: `${collector.id} takes no options besides ${PSEUDONYMIZE_OPTION}`,
        },
      );
    }
    return {};
  }
  const result = collector.optionsSchema.safeParse(raw);
  if (!result.success) {
    const lines = describeIssues(result.error).map((l) => `  - collectors.${collector.id}.${l}`);
    throw new UsageError(`invalid options for collector ${collector.id}:\n${lines.join("\n")}`);
  }
  return result.data;
}

/**
 * Where a run's history starts by default: the earlier of the current quarter's start and 90 days
 * back, so a first run mid-quarter reads what AWS kept for the whole quarter (Config timelines
 * reach further back than LookupEvents' 90 days).
 */
export function defaultSince(end: Date): Date {
  const quarterStart = Date.UTC(end.getUTCFullYear(), Math.floor(end.getUTCMonth() / 3) * 3, 1);
  return new Date(Math.min(quarterStart, end.getTime() - DEFAULT_LOOKBACK_MS));
}

/** `wanted` (from --accounts or --regions) if every one is available, else all available. */
export function subset(
  option: string,
  wanted: readonly string[] | undefined,
  available: string[],
  where: string,
): string[] {
  if (!wanted) return [...available];
  for (const w of wanted) {
    if (!available.includes(w)) {
      throw new UsageError(`${option}: ${w} is not in ${where}`, { hint: `it has ${available.join(", ")}` });
    }
  }
  return [...wanted];
}

export function checkWindow(window: CollectWindow): void {
  if (window.start >= window.end) {
    throw new UsageError(
      `--since ${window.start.toISOString()} is not before the end of the window (${window.end.toISOString()})`,
    );
  }
}
