import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DigestSet } from "../../src/evidence/digest-set.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

describe("DigestSet", () => {
  it("adds once, finds what it holds and nothing else, across many growths", () => {
    const set = new DigestSet(16, 4);
    for (let i = 0; i < 20_000; i++) expect(set.add(digest(`key-${i}`))).toBe(true);
    expect(set.size).toBe(20_000);
    expect(set.add(digest("key-123"))).toBe(false);
    expect(set.size).toBe(20_000);
    for (let i = 0; i < 20_000; i++) expect(set.has(digest(`key-${i}`))).toBe(true);
    for (let i = 20_000; i < 40_000; i++) expect(set.has(digest(`key-${i}`))).toBe(false);
  });

  it("compares whole digests, not just the bytes that pick the slot", () => {
    const set = new DigestSet(16, 8);
    const base = randomBytes(16);
    const variants = Array.from({ length: 12 }, (_, i) => {
      const d = Buffer.from(base);
      d[15] = i; // same first 4 bytes: all probe from one slot
      return d;
    });
    for (const d of variants.slice(0, 6)) set.add(d);
    for (const d of variants.slice(0, 6)) expect(set.has(d)).toBe(true);
    for (const d of variants.slice(6)) expect(set.has(d)).toBe(false);
  });

  it("uses the first `width` bytes of a longer digest and refuses a shorter one", () => {
    const set = new DigestSet(16);
    const full = digest("x");
    set.add(full);
    expect(set.has(full.subarray(0, 16))).toBe(true);
    const differentTail = Buffer.concat([full.subarray(0, 16), Buffer.alloc(16)]);
    expect(set.has(differentTail)).toBe(true);
    expect(() => set.has(full.subarray(0, 8))).toThrow(TypeError);
    expect(() => new DigestSet(2)).toThrow(TypeError);
  });
});
