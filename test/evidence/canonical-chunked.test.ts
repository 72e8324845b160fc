import { describe, expect, it } from "vitest";
import { canonicalBytes } from "../../src/evidence/canonical.js";
import { canonicalBytesChunked } from "../../src/evidence/canonical-chunked.js";

/** Mulberry32: a seeded generator, so a failing case can be reproduced. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1,
  1e21,
  1e-7,
  5e-324,
  Number.MAX_VALUE,
  2 ** 53,
  333333333.3333332,
  1.5e300,
];
/** Escapes, control characters, non-ASCII, astral pairs and the line separators JSON leaves raw. */
const CHARS = [
  '"',
  "\\",
  "\n",
  "\t",
  "\u0000",
  "\u001f",
  "\u007f",
  "é",
  "ÿ",
  "€",
  "\u2028",
  "😀",
  "a",
  "Z",
  "0",
  " ",
];

function randomString(next: () => number, max: number): string {
  let s = "";
  const length = Math.floor(next() * max);
  for (let i = 0; i < length; i++) s += CHARS[Math.floor(next() * CHARS.length)];
  return s;
}

function randomValue(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 3 ? 5 : 9));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return next() < 0.5
        ? NUMBERS[Math.floor(next() * NUMBERS.length)]
        : (next() - 0.5) * 10 ** (next() * 40);
    case 3:
    case 4:
      return randomString(next, 12);
    case 5:
      return new Date(Math.floor(next() * 4e12));
    case 6:
    case 7: {
      const out: Record<string, unknown> = {};
      const n = Math.floor(next() * 6);
      for (let i = 0; i < n; i++)
        out[randomString(next, 6)] = next() < 0.1 ? undefined : randomValue(next, depth + 1);
      return out;
    }
    default:
      return Array.from({ length: Math.floor(next() * 6) }, () =>
        next() < 0.1 ? undefined : randomValue(next, depth + 1),
      );
  }
}

describe("canonicalBytesChunked", () => {
  it("gives the same bytes as canonicalBytes for varied random values", () => {
    const next = generator(8785);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(next, 0);
      expect(canonicalBytesChunked(value).equals(canonicalBytes(value)), JSON.stringify(value)).toBe(true);
    }
  });

  it("gives the same bytes for a record spanning many chunks, with multi-byte text at the seams", () => {
    const events = Array.from({ length: 3000 }, (_, i) => ({
      EventId: `id-${i}`,
      EventTime: new Date(Date.UTC(2026, 8, 1) + i * 1000),
      CloudTrailEvent: JSON.stringify({ i, who: "Zoë 😀", note: "x".repeat(i % 97) }),
      Resources: [{ ResourceName: "€".repeat(i % 5), skipped: undefined }],
    }));
    const record = { schema: "auditpack.evidence/v1", calls: [], payload: { events } };
    const bytes = canonicalBytesChunked(record);
    expect(bytes.byteLength).toBeGreaterThan(500_000);
    expect(bytes.equals(canonicalBytes(record))).toBe(true);
  });

  it("orders members by UTF-16 code units, as RFC 8785 requires", () => {
    const value = { "\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\u0080": 5, "\ud83d\ude00": 6, "\u00f6": 7 };
    expect(canonicalBytesChunked(value).toString("utf8")).toBe(canonicalBytes(value).toString("utf8"));
    expect(Object.keys(JSON.parse(canonicalBytesChunked(value).toString("utf8")))[0]).toBe("1");
    const next = generator(42);
    for (const size of [2, 31, 32, 33, 200]) {
      const wide = Object.fromEntries(Array.from({ length: size }, (_, i) => [randomString(next, 4) + i, i]));
      expect(canonicalBytesChunked(wide).equals(canonicalBytes(wide)), `${size} members`).toBe(true);
    }
  });

  it("refuses what canonicalize refuses, with the same messages", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const cases: unknown[] = [
      { n: Number.NaN },
      [Number.POSITIVE_INFINITY],
      { s: "\ud800" },
      { "\udc00": 1 },
      circular,
    ];
    for (const value of cases) {
      let expected: unknown;
      try {
        canonicalBytes(value);
      } catch (error) {
        expected = (error as Error).message;
      }
      expect(expected).toBeDefined();
      expect(() => canonicalBytesChunked(value)).toThrow(expected as string);
    }
  });

  it("refuses values that have no JSON form instead of writing invalid JSON", () => {
    expect(() => canonicalBytesChunked(undefined)).toThrow(TypeError);
    expect(() => canonicalBytesChunked({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalBytesChunked([10n])).toThrow(TypeError);
  });

  it("allows the same object twice when it is not its own ancestor", () => {
    const shared = { k: "v" };
    const value = { a: shared, b: [shared, shared] };
    expect(canonicalBytesChunked(value).equals(canonicalBytes(value))).toBe(true);
  });
});
