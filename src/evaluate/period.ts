import { UTCDate } from "@date-fns/utc";
import { addDays, addMonths, addSeconds, endOfDay, isValid, parse, parseISO } from "date-fns";
import { UsageError } from "../errors.js";

/** An evaluation period in UTC: [start, end). A point in time evaluates the single second at `start`. */
export interface Period {
  start: Date;
  end: Date;
  label: string;
  pointInTime: boolean;
}

export const PERIOD_FORMS = "a quarter (2026-Q3), a month (2026-08) or a day range (2026-07-01..2026-09-30)";
export const DATE_FORMS = "a date (2026-09-30) or a UTC timestamp (2026-09-30T12:00:00Z)";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function utcDay(value: string): Date | undefined {
  if (!DAY.test(value)) return undefined;
  const d = parse(value, "yyyy-MM-dd", new UTCDate());
  return isValid(d) && d.toISOString().slice(0, 10) === value ? new Date(d.getTime()) : undefined;
}

/** Parse --period: quarter, month or inclusive day range, all UTC. */
export function parsePeriod(value: string, option = "--period"): Period {
  const v = value.trim();
  const bad = (why?: string) =>
    new UsageError(`invalid ${option} "${value}"${why ? `: ${why}` : ""}`, { hint: `use ${PERIOD_FORMS}` });
  let m = /^(\d{4})-Q([1-4])$/i.exec(v);
  if (m) {
    const start = new UTCDate(Number(m[1]), (Number(m[2]) - 1) * 3, 1);
    return {
      start: new Date(start.getTime()),
      end: new Date(addMonths(start, 3).getTime()),
      label: `${m[1]}-Q${m[2]}`,
      pointInTime: false,
    };
  }
  m = /^(\d{4})-(\d{2})$/.exec(v);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw bad("the month must be 01 to 12");
    const start = new UTCDate(Number(m[1]), month - 1, 1);
    return {
      start: new Date(start.getTime()),
      end: new Date(addMonths(start, 1).getTime()),
      label: v,
      pointInTime: false,
    };
  }
  m = /^(.+?)\.\.(.+)$/.exec(v);
  if (m) {
    const from = utcDay(m[1]!);
    const to = utcDay(m[2]!);
    if (!from || !to) throw bad("both ends must be real dates as yyyy-mm-dd");
    if (to < from) throw bad("the range ends before it starts");
    return {
      start: from,
      end: new Date(addDays(new UTCDate(to.getTime()), 1).getTime()),
      label: v,
      pointInTime: false,
    };
  }
  throw bad();
}

/**
 * Parse a date option. A bare day means its start, or with `endOfDayForDates` its last second
 * (so `--at 2026-09-30` evaluates the state as the day ended). Timestamps need a zone (Z or ±hh:mm).
 */
export function parseDateOption(
  value: string,
  option: string,
  options: { endOfDayForDates?: boolean } = {},
): Date {
  const v = value.trim();
  const day = utcDay(v);
  if (day) {
    return options.endOfDayForDates ? new Date(endOfDay(new UTCDate(day.getTime())).getTime() - 999) : day;
  }
  if (DAY.test(v))
    throw new UsageError(`invalid ${option} "${value}": not a real date`, { hint: `use ${DATE_FORMS}` });
  if (/^\d{4}-\d{2}-\d{2}T/.test(v) && /(Z|[+-]\d{2}:?\d{2})$/i.test(v)) {
    const d = parseISO(v);
    if (isValid(d)) return d;
  }
  throw new UsageError(`invalid ${option} "${value}"`, { hint: `use ${DATE_FORMS}` });
}

/** --at: the state at one instant, evaluated as the second starting there. */
export function pointInTime(value: string, option = "--at"): Period {
  const at = parseDateOption(value, option, { endOfDayForDates: true });
  const second = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return { start: second, end: addSeconds(second, 1), label: `at ${isoSeconds(second)}`, pointInTime: true };
}

/** --from/--to as an inclusive range of days (or exact instants). */
export function rangePeriod(from: string, to: string): Period {
  const start = parseDateOption(from, "--from");
  const endDay = parseDateOption(to, "--to");
  const end = DAY.test(to.trim()) ? addDays(endDay, 1) : endDay;
  if (end <= start)
    throw new UsageError(`--to ${to} is not after --from ${from}`, { hint: "give --to on or after --from" });
  return { start, end, label: `${from}..${to}`, pointInTime: false };
}

/** Exactly one of --period and --at. */
export function periodFromOptions(options: { period?: string; at?: string }): Period {
  if (options.period && options.at) throw new UsageError("give either --period or --at, not both");
  if (options.at) return pointInTime(options.at);
  if (options.period) return parsePeriod(options.period);
  throw new UsageError("missing --period or --at", {
    hint: `--period takes ${PERIOD_FORMS}; --at takes ${DATE_FORMS}`,
  });
}

/** ISO 8601 UTC to the second: 2026-08-10T09:00:00Z. */
export function isoSeconds(d: Date | number): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, "Z");
}
