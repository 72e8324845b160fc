import { UsageError } from "../errors.js";

/** "a, b,,a" -> ["a", "b"]: comma-separated option values, trimmed, empties and repeats dropped. */
export function commaList(value: string): string[];
export function commaList(value: string | undefined): string[] | undefined;
export function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(items)];
}

/**
 * A date option: YYYY-MM-DD (a real UTC day) or a full ISO 8601 time with a zone. As an upper bound
 * a bare day includes the whole day (its end is the next midnight).
 */
export function parseDate(option: string, value: string, upperBound = false): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (
    (!dateOnly && !isoTime) ||
    Number.isNaN(date.getTime()) ||
    // new Date() rolls 2026-02-30 over to March instead of refusing it.
    (dateOnly && date.toISOString().slice(0, 10) !== value)
  ) {
    throw new UsageError(`${option}: "${value}" is not a date`, {
      hint: "use YYYY-MM-DD (UTC) or an ISO 8601 date-time such as 2026-07-01T00:00:00Z",
    });
  }
  if (dateOnly && upperBound) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/** The help text of --accounts-per-batch (evaluate and report). */
export const ACCOUNTS_PER_BATCH_HELP =
  "accounts evaluated together: each batch's evidence is read and judged, its findings written to a temporary folder, before the next, so memory holds one batch, not the organisation (default 1; 'all' for the whole scope at once: the same findings, more memory)";

/** --accounts-per-batch: a whole number of accounts, 1 or more, or "all". */
export function parseAccountsPerBatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === "all") return Number.POSITIVE_INFINITY;
  if (!/^[1-9]\d*$/.test(value))
    throw new UsageError(
      `--accounts-per-batch: "${value}" is not a whole number of accounts (1 or more) or "all"`,
      {
        hint: "e.g. --accounts-per-batch 4",
      },
    );
  return Number(value);
}
