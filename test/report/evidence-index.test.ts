import { describe, expect, it } from "vitest";
import { EvidenceIndex } from "../../src/report/evidence-index.js";
import type { EvidenceEntry } from "../../src/report/model.js";

const entry = (key: string, requirements: string[] = []): EvidenceEntry => ({
  key,
  sha256: "0".repeat(64),
  collector: "cognito_user_pools",
  account: "111122223333",
  region: "eu-west-1",
  requirements,
});

/** A list read again on every pass, counting the passes (the findings' table read from a spill). */
function reread(keys: string[]) {
  const list = {
    passes: 0,
    *[Symbol.iterator]() {
      list.passes += 1;
      for (const k of keys) yield entry(k);
    },
  };
  return list;
}

describe("the report's evidence index", () => {
  it("numbers cited and table records together in key order; only cited ones are looked up", () => {
    const rest = reread(["b", "d", "e"]);
    const index = new EvidenceIndex([entry("c", ["8.3.6"]), entry("a", ["10.2.1"])], rest);
    expect(index.length).toBe(5);
    expect([...index].map((e) => e.key)).toEqual(["a", "b", "c", "d", "e"]);
    expect(index.number("a")).toBe(1);
    expect(index.number("c")).toBe(3);
    expect(index.number("b")).toBeUndefined();
    // The table is read again on each pass instead of being held.
    const before = rest.passes;
    expect([...index].map((e) => e.key)).toEqual(["a", "b", "c", "d", "e"]);
    expect(rest.passes).toBe(before + 1);
  });

  it("a table out of key order is sorted (findings written by something else)", () => {
    const index = new EvidenceIndex([entry("b")], reread(["c", "a"]));
    expect([...index].map((e) => e.key)).toEqual(["a", "b", "c"]);
    expect(index.number("b")).toBe(2);
  });

  it("empty, and cited records only (findings v1 have no table)", () => {
    expect(new EvidenceIndex([], []).length).toBe(0);
    const v1 = new EvidenceIndex([entry("z"), entry("y")], []);
    expect([...v1].map((e) => e.key)).toEqual(["y", "z"]);
    expect(v1.number("z")).toBe(2);
  });
});
