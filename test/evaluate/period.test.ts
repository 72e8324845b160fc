import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { parsePeriod, periodFromOptions, pointInTime, rangePeriod } from "../../src/evaluate/period.js";

const iso = (d: Date) => d.toISOString();

describe("period parsing (UTC)", () => {
  it("reads quarters as [first day, first day of the next quarter)", () => {
    const q3 = parsePeriod("2026-Q3");
    expect([iso(q3.start), iso(q3.end), q3.label]).toEqual([
      "2026-07-01T00:00:00.000Z",
      "2026-10-01T00:00:00.000Z",
      "2026-Q3",
    ]);
    expect(iso(parsePeriod("2026-q4").end)).toBe("2027-01-01T00:00:00.000Z");
  });
  it("reads months, including leap February", () => {
    const feb = parsePeriod("2028-02");
    expect([iso(feb.start), iso(feb.end)]).toEqual(["2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z"]);
  });
  it("reads an inclusive day range as ending at the next midnight", () => {
    const r = parsePeriod("2026-07-01..2026-09-30");
    expect([iso(r.start), iso(r.end)]).toEqual(["2026-07-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z"]);
    expect(iso(rangePeriod("2026-07-01", "2026-07-01").end)).toBe("2026-07-02T00:00:00.000Z");
  });
  it("reads --at as the last second of a day, or an exact instant", () => {
    expect(iso(pointInTime("2026-09-30").start)).toBe("2026-09-30T23:59:59.000Z");
    expect(iso(pointInTime("2026-09-30T12:00:00Z").start)).toBe("2026-09-30T12:00:00.000Z");
    expect(pointInTime("2026-09-30").pointInTime).toBe(true);
  });
  it.each([
    "2026-Q5",
    "2026-13",
    "2026-02-30..2026-03-01",
    "2026-09-30..2026-07-01",
    "last quarter",
    "2026-07-01T00:00:00",
  ])("rejects %s naming the option and the accepted forms", (value) => {
    const error = (() => {
      try {
        parsePeriod(value);
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error!.message).toContain(`--period "${value}"`);
    expect(error!.hint).toContain("2026-Q3");
    expect(error!.exitCode).toBe(2);
  });
  it("needs exactly one of --period and --at", () => {
    expect(() => periodFromOptions({})).toThrow(/missing --period or --at/);
    expect(() => periodFromOptions({ period: "2026-Q3", at: "2026-09-30" })).toThrow(/not both/);
    expect(() => pointInTime("2026-02-30")).toThrow(/--at "2026-02-30": not a real date/);
  });
});
