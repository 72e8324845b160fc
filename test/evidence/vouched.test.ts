import { describe, expect, it } from "vitest";
import { TrustSet } from "../../src/evidence/trust.js";
import { VouchedRecords } from "../../src/evidence/vouched.js";

const sha = (c: string) => c.repeat(64);
const key = (hash: string, account = "111122223333") =>
  `evidence/${account}/us-east-1/cloudtrail_trails/2026/08/01/2026-08-01T060000.000Z_${hash}.json`;
const vouched = () => new VouchedRecords(new TrustSet("pinned", new Map(), [], [], []));

describe("the records the ledger vouches for", () => {
  it("a key listed with the hash its name carries is vouched for with that hash only", () => {
    const v = vouched();
    v.add(key(sha("a")), sha("a"));
    expect(v.has(key(sha("a")), sha("a"))).toBe(true);
    expect(v.reasonFor(key(sha("a")), sha("a"))).toBeUndefined();
    expect(v.has(key(sha("a")), sha("b"))).toBe(false);
    expect(v.reasonFor(key(sha("a")), sha("b"))).toBe(`a trusted manifest lists it with sha256 ${sha("a")}`);
    // The same bytes under another account's key are not vouched for.
    expect(v.has(key(sha("a"), "444455556666"), sha("a"))).toBe(false);
    expect(v.reasonFor(key(sha("a"), "444455556666"), sha("a"))).toBe("listed in no manifest");
    expect(v.size).toBe(1);
  });

  it("a key listed with another hash than its name's is vouched for with the listed one; the later listing wins", () => {
    const v = vouched();
    v.add(key(sha("a")), sha("c"));
    expect(v.has(key(sha("a")), sha("c"))).toBe(true);
    expect(v.has(key(sha("a")), sha("a"))).toBe(false);
    v.add(key(sha("a")), sha("a"));
    expect(v.has(key(sha("a")), sha("a"))).toBe(true);
    expect(v.has(key(sha("a")), sha("c"))).toBe(false);
    v.add(key(sha("a")), sha("d"));
    expect(v.reasonFor(key(sha("a")), sha("a"))).toBe(`a trusted manifest lists it with sha256 ${sha("d")}`);
    v.add(key(sha("b")), sha("b"));
    expect(v.size).toBe(2);
  });

  it("a key only an untrusted manifest lists says why, until a trusted one lists it", () => {
    const v = vouched();
    v.addUntrusted(key(sha("e")), "listed only in manifests/x.json, which is not signed by a trusted key");
    expect(v.reasonFor(key(sha("e")), sha("e"))).toContain("listed only in manifests/x.json");
    v.add(key(sha("e")), sha("e"));
    expect(v.reasonFor(key(sha("e")), sha("e"))).toBeUndefined();
    v.addUntrusted(key(sha("e")), "ignored: a trusted listing stands");
    expect(v.has(key(sha("e")), sha("e"))).toBe(true);
  });
});
