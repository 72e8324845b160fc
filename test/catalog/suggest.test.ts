import { describe, expect, it } from "vitest";
import { closestMatches, didYouMean, levenshtein } from "../../src/suggest.js";

describe("suggestions", () => {
  it("measures edit distance case-insensitively", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(levenshtein("CC6.1", "cc6.1")).toBe(0);
    expect(levenshtein("", "abc")).toBe(3);
  });

  it("offers only the nearest candidates, in candidate order on ties", () => {
    expect(closestMatches("8.4.9", ["8.3.9", "8.4.1", "8.4.2", "8.4.3", "10.4.1"])).toEqual([
      "8.3.9",
      "8.4.1",
      "8.4.2",
    ]);
    expect(closestMatches("pci-dss-4", ["pci-dss-4.0.1", "soc2-2017"])).toEqual(["pci-dss-4.0.1"]);
  });

  it("falls back to prefix matches and offers nothing far away", () => {
    expect(closestMatches("nist", ["pci-dss-4.0.1", "nist-800-53-r5"])).toEqual(["nist-800-53-r5"]);
    expect(closestMatches("zzzzzz", ["pci-dss-4.0.1", "soc2-2017"])).toEqual([]);
    expect(didYouMean("zzzzzz", ["pci-dss-4.0.1"])).toBeUndefined();
  });

  it("phrases one or several suggestions", () => {
    expect(didYouMean("soc2", ["soc2-2017"])).toBe("did you mean soc2-2017?");
    expect(didYouMean("8.4.9", ["8.4.1", "8.4.2"])).toBe("did you mean 8.4.1 or 8.4.2?");
  });
});
