import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { MAX_EXPIRY_SECONDS, parseExpiry } from "../../src/report/share.js";

describe("share --expires", () => {
  it("takes seconds, minutes, hours and days up to 7 days", () => {
    expect(parseExpiry("7d")).toBe(MAX_EXPIRY_SECONDS);
    expect(parseExpiry("24h")).toBe(86_400);
    expect(parseExpiry("30m")).toBe(1_800);
    expect(parseExpiry("3600")).toBe(3_600);
    expect(parseExpiry("168h")).toBe(MAX_EXPIRY_SECONDS);
  });

  it("refuses more than 7 days and anything that is not a duration", () => {
    expect(() => parseExpiry("8d")).toThrow(UsageError);
    expect(() => parseExpiry("8d")).toThrow(/longer than S3 allows/);
    expect(() => parseExpiry("604801s")).toThrow(UsageError);
    expect(() => parseExpiry("a week")).toThrow(/--expires "a week" is not a duration/);
    expect(() => parseExpiry("0s")).toThrow(/at least 1 second/);
  });
});
