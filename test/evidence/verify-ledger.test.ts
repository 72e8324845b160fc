import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalBytes } from "../../src/evidence/canonical.js";
import { Ledger } from "../../src/evidence/ledger.js";
import { MANIFESTS_PREFIX, type RunManifest } from "../../src/evidence/ledger-format.js";
import { encodeRecord } from "../../src/evidence/record.js";
import { signingBytes } from "../../src/evidence/signed.js";
import { type LedgerProblem, storedSigningBytes, verifyLedger } from "../../src/evidence/verify-ledger.js";
import type { FsStore } from "../../src/store/fs.js";
import type { EvidenceStore } from "../../src/store/types.js";
import { newSigner, record, steppingClock, tempStore, writeRun } from "./ledger-helpers.js";

/** Two sealed runs of three records each. */
async function sealedStore(): Promise<{ store: FsStore; records: string[] }> {
  const store = tempStore();
  const ledger = new Ledger(store, newSigner(), { now: steppingClock(), partSize: 2 });
  const records = [...(await writeRun(ledger, [1, 2, 3])), ...(await writeRun(ledger, [4, 5, 6]))];
  await ledger.seal();
  return { store, records };
}

/** The store as one without the optional fast paths (readSync, listKeys), like S3. */
function plain(store: EvidenceStore): EvidenceStore {
  return {
    location: store.location,
    put: (key, body, options) => store.put(key, body, options),
    get: (key) => store.get(key),
    getStream: (key) => store.getStream(key),
    head: (key) => store.head(key),
    list: (prefix) => store.list(prefix),
  };
}

async function problemsOf(store: EvidenceStore, options: Parameters<typeof verifyLedger>[1] = {}) {
  const problems: LedgerProblem[] = [];
  const summary = await verifyLedger(store, { ...options, onProblem: (p) => problems.push(p) });
  return { summary, found: problems.map((p) => [p.kind, p.key]).sort() };
}

describe("verifyLedger on a disk store's fast paths", () => {
  it("finds the same problems with and without readSync and listKeys", async () => {
    const { store, records } = await sealedStore();
    const flipped = store.pathOf(records[0]!);
    const bytes = readFileSync(flipped);
    bytes[20] = bytes[20]! ^ 0x01;
    writeFileSync(flipped, bytes);
    unlinkSync(store.pathOf(records[1]!));
    const moved = records[2]!.replace("111122223333", "444455556666");
    mkdirSync(path.dirname(store.pathOf(moved)), { recursive: true });
    renameSync(store.pathOf(records[2]!), store.pathOf(moved));
    const extra = encodeRecord(record(99));
    await store.put(extra.key, extra.bytes);

    const fast = await problemsOf(store);
    const slow = await problemsOf(plain(store));
    expect(fast.found).toEqual(
      [
        ["altered", records[0]],
        ["missing", records[1]],
        ["moved", records[2]],
        ["unsigned", extra.key],
      ].sort(),
    );
    expect(slow.found).toEqual(fast.found);
    expect(fast.summary).toEqual(slow.summary);
    expect(fast.summary.records).toBe(4); // six listed, one deleted, one moved
  });

  it("re-hashes at most `concurrency` records at once on a store without readSync", async () => {
    const { store } = await sealedStore();
    const slow = plain(store);
    let reading = 0;
    let peak = 0;
    const counted: EvidenceStore = {
      ...slow,
      get: async (key) => {
        if (!key.startsWith("evidence/")) return slow.get(key);
        peak = Math.max(peak, ++reading);
        await new Promise((r) => setTimeout(r, 5));
        reading--;
        return slow.get(key);
      },
    };
    const summary = await verifyLedger(counted, { concurrency: 2 });
    expect(summary.ok).toBe(true);
    expect(summary.records).toBe(6);
    expect(peak).toBe(2);
  });

  it("names a record grown past the read buffer as altered, with its true size", async () => {
    const { store, records } = await sealedStore();
    const target = store.pathOf(records[4]!);
    const original = readFileSync(target);
    // Same bytes, then padding: larger than the 1 MiB buffer records are read into.
    writeFileSync(target, Buffer.concat([original, Buffer.alloc(1024 * 1024 + 10, 0x20)]));
    const problems: LedgerProblem[] = [];
    const summary = await verifyLedger(store, { onProblem: (p) => problems.push(p) });
    expect(summary.ok).toBe(false);
    expect(problems.map((p) => [p.kind, p.key])).toEqual([["altered", records[4]]]);
    // Every other record was still read whole and matched.
    expect(summary.records).toBe(6);
  });

  it("reports records no manifest lists only within --since/--until", async () => {
    const { store } = await sealedStore();
    const august = encodeRecord(record(50, "2026-08-10T00:00:00.000Z"));
    await store.put(august.key, august.bytes);
    const inJuly = await problemsOf(store, { since: new Date("2026-07-01"), until: new Date("2026-08-01") });
    expect(inJuly.found).toEqual([]);
    expect(inJuly.summary.ok).toBe(true);
    const inAugust = await problemsOf(store, { since: new Date("2026-08-01") });
    expect(inAugust.found).toEqual([["unsigned", august.key]]);
    expect(inAugust.summary.records).toBe(0);
  });
});

describe("storedSigningBytes", () => {
  const signature = { algorithm: "ed25519", keyId: "k1", value: "c2ln" } as const;
  const stored = (doc: object) => canonicalBytes({ ...doc, signature });

  it("cuts the signature member from canonical JSON, giving exactly the bytes that were signed", () => {
    for (const body of [
      { a: 1, records: [{ key: "x", sha256: "y" }], zeta: { n: null } }, // member in the middle
      { b: 2 }, // member last
      { z: "after" }, // member first
      {}, // the only member
      { note: 'quotes " and \\ and {[ brackets ]}', tail: "é ü 日本" },
    ]) {
      expect(storedSigningBytes(stored(body), signature)?.toString()).toBe(signingBytes(body).toString());
    }
  });

  it("refuses a signature member that is not the top-level one, or not in canonical form", () => {
    const sig = JSON.stringify(signature);
    // Nested in another object, before the real (non-canonically written) top-level member.
    const nested = `{"a":{"signature":${sig}},"signature" : ${sig}}`;
    expect(storedSigningBytes(Buffer.from(nested), signature)).toBeUndefined();
    // Inside a string value.
    const inString = `{"a":"x\\",\\"signature\\":${sig.replaceAll('"', '\\"')}","b":1}`;
    expect(JSON.parse(inString).a).toContain("signature");
    expect(storedSigningBytes(Buffer.from(inString), signature)).toBeUndefined();
    // Inside a string that ends in an escaped backslash, then a nested object.
    const tricky = `{"a":"\\\\","b":[{"signature":${sig}}]}`;
    expect(storedSigningBytes(Buffer.from(tricky), signature)).toBeUndefined();
    // Whitespace, as a store that re-serialised the object might leave it.
    expect(
      storedSigningBytes(Buffer.from(JSON.stringify({ a: 1, signature }, null, 2)), signature),
    ).toBeUndefined();
    // A different signature than the one the parsed object carries.
    expect(storedSigningBytes(stored({ a: 1 }), { ...signature, value: "b3RoZXI=" })).toBeUndefined();
  });

  it("still fails a manifest whose listed records were changed, and passes one stored re-serialised", async () => {
    const store = tempStore();
    const ledger = new Ledger(store, newSigner(), { now: steppingClock() });
    await writeRun(ledger, [1, 2]);
    await ledger.seal();
    await writeRun(ledger, [3]);
    const manifests: string[] = [];
    for await (const info of store.list(MANIFESTS_PREFIX)) manifests.push(info.key);
    // The unsealed manifest, indented: not canonical, yet its signature is valid.
    const pretty = store.pathOf(manifests[1]!);
    writeFileSync(pretty, JSON.stringify(JSON.parse(readFileSync(pretty, "utf8")), null, 2));
    expect((await problemsOf(store)).found).toEqual([["unsealed", manifests[1]]]);
    // A record's size changed in the sealed manifest, its signature member left as it was.
    const changed = store.pathOf(manifests[0]!);
    const doc = JSON.parse(readFileSync(changed, "utf8")) as RunManifest;
    doc.records[0]!.size += 1;
    writeFileSync(changed, canonicalBytes(doc));
    const { found } = await problemsOf(store);
    expect(found).toContainEqual(["bad-signature", manifests[0]]);
    expect(found).toContainEqual(["altered", manifests[0]]);
  });
});
