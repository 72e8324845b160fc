import { describe, expect, it } from "vitest";
import { summarize } from "../../src/evaluate/intervals.js";
import type { StatusInterval } from "../../src/evaluate/types.js";

const at = (
  start: string,
  end: string,
  status: StatusInterval["status"],
  reason: string,
): StatusInterval => ({
  start,
  end,
  status,
  reason,
  evidence: [],
});

// The staging pool's minimum length was 8, then 10 from 2026-08-11: the finding reads as it is at period end.
const staging = [
  at(
    "2026-07-01T00:00:00Z",
    "2026-08-11T00:00:00Z",
    "FAIL",
    "password policy requires 8 characters, under 12",
  ),
  at(
    "2026-08-11T00:00:00Z",
    "2026-10-01T00:00:00Z",
    "FAIL",
    "password policy requires 10 characters, under 12",
  ),
];

describe("summarize: the reason in force at the end of the period", () => {
  it("names the latest failing reason, not the first", () => {
    const text = summarize(staging, "FAIL", false);
    expect(text).toMatch(/^password policy requires 10 characters/);
    expect(text).not.toContain("requires 8");
    expect(text).toContain("in 2 intervals");
  });

  it("a point-in-time check reads its latest reason too", () => {
    expect(summarize(staging, "FAIL", true)).toBe("password policy requires 10 characters, under 12");
  });

  it("a PASS that held throughout says so with its latest reason", () => {
    const pass = [at("2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z", "PASS", "requires 14 characters")];
    expect(summarize(pass, "PASS", false)).toBe("requires 14 characters throughout");
  });

  it("is empty when no interval has the status", () => {
    expect(summarize(staging, "PASS", false)).toBe("");
  });
});
