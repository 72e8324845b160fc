import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalBytes, canonicalJson, sha256Hex } from "../../src/evidence/canonical.js";
import {
  EVIDENCE_SCHEMA,
  type EvidenceRecord,
  encodeRecord,
  evidenceKey,
  keyTimestamp,
  parseEvidenceKey,
  stampToDate,
  stampToIso,
} from "../../src/evidence/record.js";
import { FsStore } from "../../src/store/fs.js";

/** IEEE 754 bit patterns and their JSON forms, from RFC 8785 Appendix B. */
const RFC8785_NUMBERS: [string, string][] = [
  ["0000000000000000", "0"],
  ["8000000000000000", "0"],
  ["0000000000000001", "5e-324"],
  ["8000000000000001", "-5e-324"],
  ["7fefffffffffffff", "1.7976931348623157e+308"],
  ["ffefffffffffffff", "-1.7976931348623157e+308"],
  ["4340000000000000", "9007199254740992"],
  ["c340000000000000", "-9007199254740992"],
  ["4430000000000000", "295147905179352830000"],
  ["44b52d02c7e14af5", "9.999999999999997e+22"],
  ["44b52d02c7e14af6", "1e+23"],
  ["44b52d02c7e14af7", "1.0000000000000001e+23"],
  ["444b1ae4d6e2ef4e", "999999999999999700000"],
  ["444b1ae4d6e2ef4f", "999999999999999900000"],
  ["444b1ae4d6e2ef50", "1e+21"],
  ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
  ["3eb0c6f7a0b5ed8d", "0.000001"],
  ["41b3de4355555553", "333333333.3333332"],
  ["41b3de4355555554", "333333333.33333325"],
  ["41b3de4355555555", "333333333.3333333"],
  ["41b3de4355555556", "333333333.3333334"],
  ["41b3de4355555557", "333333333.33333343"],
  ["becbf647612f3696", "-0.0000033333333333333333"],
  ["43143ff3c1cb0959", "1424953923781206.2"],
];

const fromBits = (hex: string): number => Buffer.from(hex, "hex").readDoubleBE(0);

describe("canonicalJson (RFC 8785)", () => {
  it("serialises the RFC 8785 Appendix B numbers", () => {
    for (const [bits, expected] of RFC8785_NUMBERS)
      expect(canonicalJson(fromBits(bits)), bits).toBe(expected);
  });

  it("rejects NaN and Infinity (Appendix B)", () => {
    expect(() => canonicalJson(fromBits("7fffffffffffffff"))).toThrow();
    expect(() => canonicalJson(fromBits("7ff0000000000000"))).toThrow();
  });

  it("reproduces the RFC 8785 section 3.2.2 example", () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalJson(JSON.parse(input))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it("sorts keys by UTF-16 code units (RFC 8785 section 3.2.3)", () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`);
    const order = Object.values(JSON.parse(canonicalJson(input)) as Record<string, string>);
    // Object.values would reorder "1" (an integer key) first; read the order from the text instead.
    const text = canonicalJson(input);
    const positions = [
      "Carriage Return",
      "One",
      "Control",
      "Latin Small",
      "Euro Sign",
      "Emoji",
      "Hebrew",
    ].map((s) => text.indexOf(s));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(order).toHaveLength(7);
  });

  it("writes the number forms of the canonicalize examples", () => {
    expect(canonicalJson([1e30, 4.5, 0.002, 1e-7, -0, 10, 1.5e-10, 123e18])).toBe(
      "[1e+30,4.5,0.002,1e-7,0,10,1.5e-10,123000000000000000000]",
    );
  });

  it("keeps unicode as UTF-8 and escapes only what JSON requires", () => {
    expect(canonicalJson({ s: 'é€😀\u0001\t"\\/' })).toBe('{"s":"é€😀\\u0001\\t\\"\\\\/"}');
    expect(canonicalBytes("é").equals(Buffer.from([0x22, 0xc3, 0xa9, 0x22]))).toBe(true);
    expect(() => canonicalJson("\ud800")).toThrow();
  });

  it("orders nested keys and drops undefined members", () => {
    expect(canonicalJson({ b: { z: 1, a: [{ y: 2, x: undefined }] }, a: null })).toBe(
      '{"a":null,"b":{"a":[{"y":2}],"z":1}}',
    );
  });
});

const record: EvidenceRecord = {
  schema: EVIDENCE_SCHEMA,
  collector: "cognito.user_pools",
  source: "fixture",
  scenario: "baseline",
  account: "123456789012",
  region: "eu-west-1",
  collectedAt: "2026-07-01T12:34:56.789Z",
  calls: [{ service: "cognito-idp", operation: "DescribeUserPool", params: { UserPoolId: "eu-west-1_abc" } }],
  payload: { name: "pool", mfa: "ON", count: 4.5 },
};

describe("evidence record hashing and keys", () => {
  it("hashes the same record to the same bytes whatever its key order", () => {
    // The same members, inserted in reverse order.
    const reordered = Object.fromEntries(Object.entries(record).reverse()) as unknown as EvidenceRecord;
    expect(Object.keys(reordered)[0]).toBe("payload");
    const a = encodeRecord(record);
    const b = encodeRecord(reordered);
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(b.sha256).toBe(a.sha256);
    expect(a.sha256).toBe(sha256Hex(a.bytes));
  });

  it("lays out keys as evidence/<account>/<region>/<collector>/<yyyy>/<mm>/<dd>/<collectedAt>_<sha256>.json", () => {
    const { key, sha256 } = encodeRecord(record);
    expect(key).toBe(
      `evidence/123456789012/eu-west-1/cognito.user_pools/2026/07/01/2026-07-01T123456.789Z_${sha256}.json`,
    );
    expect(parseEvidenceKey(key)).toEqual({
      account: "123456789012",
      region: "eu-west-1",
      collector: "cognito.user_pools",
      stamp: "2026-07-01T123456.789Z",
      collectedAt: "2026-07-01T12:34:56.789Z",
      sha256,
    });
    expect(() => evidenceKey({ ...record, account: "../x" }, sha256)).toThrow(TypeError);
  });

  it("stores files whose sha256sum equals the record hash", async () => {
    const store = new FsStore(mkdtempSync(path.join(tmpdir(), "auditpack-canonical-")));
    const { key, bytes, sha256 } = encodeRecord(record);
    await store.put(key, bytes, { sha256 });
    const out = execFileSync("sha256sum", [store.pathOf(key)], { encoding: "utf8" });
    expect(out.split(" ")[0]).toBe(sha256);
  });
});

describe("key stamps (the one stamp parser)", () => {
  it("reads keyTimestamp's output, the dashed form and plain ISO back as ISO 8601", () => {
    expect(stampToIso(keyTimestamp("2026-07-01T12:34:56.789Z"))).toBe("2026-07-01T12:34:56.789Z");
    expect(stampToIso("2026-07-01T02-00-00Z")).toBe("2026-07-01T02:00:00Z");
    expect(stampToIso("2026-07-01T02:00:00.5Z")).toBe("2026-07-01T02:00:00.500Z");
    expect(stampToDate("2026-07-01T020000.000Z").toISOString()).toBe("2026-07-01T02:00:00.000Z");
  });

  it("gives undefined (an invalid Date) for what is not a time", () => {
    expect(stampToIso("yesterday")).toBeUndefined();
    expect(stampToIso("2026-13-45T990000Z")).toBeUndefined();
    expect(Number.isNaN(stampToDate("nope").getTime())).toBe(true);
  });
});
