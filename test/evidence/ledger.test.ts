import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalBytes, sha256Hex } from "../../src/evidence/canonical.js";
import { Ledger } from "../../src/evidence/ledger.js";
import { MANIFESTS_PREFIX, type RunManifest, sealKey } from "../../src/evidence/ledger-format.js";
import { encodeRecord } from "../../src/evidence/record.js";
import type { FsStore } from "../../src/store/fs.js";
import { newSigner, record, steppingClock, tempStore, verify, writeRun } from "./ledger-helpers.js";

/** Three sealed runs and one unsealed run: seal n covers run n. */
async function sealedLedger() {
  const store = tempStore();
  const signer = newSigner();
  const ledger = new Ledger(store, signer, { now: steppingClock(), partSize: 2 });
  const records: string[] = [];
  for (const numbers of [[1, 2, 3], [4, 5], [6]]) {
    records.push(...(await writeRun(ledger, numbers)));
    await ledger.seal();
  }
  records.push(...(await writeRun(ledger, [7])));
  const manifests: string[] = [];
  for await (const info of store.list(MANIFESTS_PREFIX)) manifests.push(info.key);
  return { store, signer, ledger, records, manifests };
}

const file = (store: FsStore, key: string) => store.pathOf(key);

function rewriteJson<T>(store: FsStore, key: string, change: (doc: T) => void): void {
  const doc = JSON.parse(readFileSync(file(store, key), "utf8")) as T;
  change(doc);
  writeFileSync(file(store, key), canonicalBytes(doc));
}

describe("verifyLedger", () => {
  it("passes an untouched ledger and warns only about the manifest not sealed yet", async () => {
    const { store, manifests } = await sealedLedger();
    const { summary, errors, warnings } = await verify(store);
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ ok: true, seals: 3, manifests: 5, records: 7, unsealedManifests: 1 });
    expect(warnings.map((w) => [w.kind, w.key])).toEqual([["unsealed", manifests[4]]]);
  });

  it("names a record with one flipped byte as altered", async () => {
    const { store, records } = await sealedLedger();
    const target = file(store, records[3]!);
    const bytes = readFileSync(target);
    bytes[10] = bytes[10]! ^ 0x01;
    writeFileSync(target, bytes);
    const { summary, errors } = await verify(store);
    expect(summary.ok).toBe(false);
    expect(errors.map((e) => [e.kind, e.key])).toEqual([["altered", records[3]]]);
    expect(errors[0]!.message).toContain(records[3]);
  });

  it("names a deleted record as missing", async () => {
    const { store, records } = await sealedLedger();
    unlinkSync(file(store, records[0]!));
    const { errors } = await verify(store);
    expect(errors.map((e) => [e.kind, e.key])).toEqual([["missing", records[0]]]);
  });

  it("names a deleted sealed manifest as missing (and its records as unsigned)", async () => {
    const { store, manifests, records } = await sealedLedger();
    unlinkSync(file(store, manifests[2]!)); // run 2, records 4 and 5
    const { errors } = await verify(store);
    expect(errors.filter((e) => e.kind === "missing").map((e) => e.key)).toEqual([manifests[2]]);
    expect(
      errors
        .filter((e) => e.kind === "unsigned")
        .map((e) => e.key)
        .sort(),
    ).toEqual([records[3], records[4]].sort());
  });

  it("names two swapped seals as reordered", async () => {
    const { store } = await sealedLedger();
    const [a, b] = [file(store, sealKey(1)), file(store, sealKey(2))];
    renameSync(a, `${a}.x`);
    renameSync(b, a);
    renameSync(`${a}.x`, b);
    const { errors } = await verify(store);
    expect(errors.filter((e) => e.kind === "reordered").map((e) => e.key)).toEqual([sealKey(1), sealKey(2)]);
  });

  it("names a deleted middle seal as missing", async () => {
    const { store } = await sealedLedger();
    unlinkSync(file(store, sealKey(2)));
    const { errors } = await verify(store);
    expect(errors[0]).toMatchObject({ kind: "missing", key: sealKey(2) });
    // Its manifest is now older than the last seal without being in any: also a failure.
    expect(errors.slice(1).every((e) => e.kind === "unsealed")).toBe(true);
  });

  it("names a deleted last seal as missing when a later manifest was written after it", async () => {
    const { store } = await sealedLedger();
    unlinkSync(file(store, sealKey(3)));
    const { errors } = await verify(store);
    expect(errors.map((e) => [e.kind, e.key])).toEqual([["missing", sealKey(3)]]);
  });

  it("names a manifest whose signature was replaced as bad-signature", async () => {
    const { store, manifests } = await sealedLedger();
    const other = JSON.parse(readFileSync(file(store, manifests[1]!), "utf8")) as RunManifest;
    rewriteJson<RunManifest>(store, manifests[0]!, (m) => {
      m.signature = other.signature;
    });
    const { errors } = await verify(store);
    const kinds = errors.filter((e) => e.key === manifests[0]).map((e) => e.kind);
    expect(kinds).toContain("bad-signature");
    expect(kinds).toContain("altered"); // no longer the bytes seal 1 sealed
    expect(errors.every((e) => e.key === manifests[0])).toBe(true);
  });

  it("names a seal re-signed with another key as unknown-key", async () => {
    const { store } = await sealedLedger();
    const intruder = newSigner();
    const seal = JSON.parse(readFileSync(file(store, sealKey(3)), "utf8"));
    const { signature: _s, ...body } = seal;
    seal.signature = await intruder.sign(canonicalBytes(body));
    writeFileSync(file(store, sealKey(3)), canonicalBytes(seal));
    const { errors } = await verify(store);
    expect(errors.map((e) => [e.kind, e.key])).toContainEqual(["unknown-key", sealKey(3)]);
  });

  it("names a record moved to another key as moved", async () => {
    const { store, records } = await sealedLedger();
    const moved = records[1]!.replace("111122223333", "444455556666");
    mkdirSync(path.dirname(file(store, moved)), { recursive: true });
    renameSync(file(store, records[1]!), file(store, moved));
    const { errors } = await verify(store);
    expect(errors.map((e) => [e.kind, e.key])).toEqual([["moved", records[1]]]);
    expect(errors[0]!.message).toContain(moved);
  });

  it("names an added record that no manifest lists as unsigned", async () => {
    const { store } = await sealedLedger();
    const extra = encodeRecord(record(99));
    await store.put(extra.key, extra.bytes);
    const { errors } = await verify(store);
    expect(errors.map((e) => [e.kind, e.key])).toEqual([["unsigned", extra.key]]);
  });

  it("reports records of a run that crashed before its last manifest part as unsigned", async () => {
    const store = tempStore();
    const ledger = new Ledger(store, newSigner(), { now: steppingClock(), partSize: 2 });
    const run = ledger.beginRun({ scope: {} });
    const written = [];
    for (const n of [1, 2, 3]) written.push((await run.writeRecord(record(n))).key);
    // No finish(): part 1 (records 1-2) is flushed, record 3 has no manifest.
    const { errors, summary } = await verify(store);
    expect(summary.manifests).toBe(1);
    expect(errors.map((e) => [e.kind, e.key])).toEqual([["unsigned", written[2]]]);
  });

  it("fails a manifest older than the last seal that no seal covers", async () => {
    const store = tempStore();
    const signer = newSigner();
    const late = new Ledger(store, signer, { now: () => new Date("2026-07-02T00:00:00.000Z") });
    const early = new Ledger(store, signer, { now: steppingClock("2026-07-01T00:00:00.000Z") });
    await writeRun(late, [1]);
    await late.seal();
    await writeRun(early, [2]); // finished before the seal's time, yet not in it
    const { errors } = await verify(store);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.kind).toBe("unsealed");
    expect(errors[0]!.key).toMatch(/^ledger\/manifests\/2026\/07\/01\//);
  });

  it("trusts only the given keys when trustedKeys is set", async () => {
    const { store, signer } = await sealedLedger();
    const mine = await verify(store, { trustedKeys: [await signer.publicKeyPem()] });
    expect(mine.errors).toEqual([]);
    const other = await verify(store, { trustedKeys: [await newSigner().publicKeyPem()] });
    expect(other.errors.length).toBe(3 + 5);
    expect(new Set(other.errors.map((e) => e.kind))).toEqual(new Set(["unknown-key"]));
  });

  it("restricts record checks to --since/--until but still walks the whole seal chain", async () => {
    const store = tempStore();
    const ledger = new Ledger(store, newSigner(), { now: steppingClock() });
    const run = ledger.beginRun({ scope: {} });
    const july = await run.writeRecord(record(1, "2026-07-15T10:00:00.000Z"));
    const august = await run.writeRecord(record(2, "2026-08-15T10:00:00.000Z"));
    await run.finish();
    await ledger.seal();
    unlinkSync(file(store, august.key));
    const inJuly = await verify(store, { since: new Date("2026-07-01"), until: new Date("2026-08-01") });
    expect(inJuly.summary).toMatchObject({ ok: true, records: 1, seals: 1 });
    const all = await verify(store);
    expect(all.errors.map((e) => [e.kind, e.key])).toEqual([["missing", august.key]]);
    expect(july.key).toContain("2026/07/15");
  });

  it("keeps concurrent run writers apart", async () => {
    const store = tempStore();
    const signer = newSigner();
    const ledger = new Ledger(store, signer, { partSize: 3 });
    const a = ledger.beginRun({ scope: { run: "a" } });
    const b = new Ledger(store, signer, { partSize: 3 }).beginRun({ scope: { run: "b" } });
    await Promise.all([
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => a.writeRecord(record(n))),
      ...[11, 12, 13, 14].map((n) => b.writeRecord(record(n))),
    ]);
    const [ra, rb] = await Promise.all([a.finish(), b.finish()]);
    expect(ra.manifests).toHaveLength(3);
    expect(rb.manifests).toHaveLength(2);
    await ledger.seal();
    const { summary, problems } = await verify(store);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ records: 11, manifests: 5, seals: 1 });
  });

  it("lets concurrent sealers chain without sealing a manifest twice", async () => {
    const store = tempStore();
    const signer = newSigner();
    const ledgers = [1, 2, 3].map(() => new Ledger(store, signer));
    await writeRun(ledgers[0]!, [1, 2]);
    await writeRun(ledgers[1]!, [3]);
    const results = await Promise.all(ledgers.map((l) => l.seal()));
    const sealed = results.filter((r) => r !== undefined);
    expect(sealed.length).toBeGreaterThanOrEqual(1);
    expect(sealed.reduce((n, r) => n + r!.manifests, 0)).toBe(2);
    const { problems, summary } = await verify(store);
    expect(problems).toEqual([]);
    expect(summary.seals).toBe(sealed.length);
    expect(await ledgers[0]!.seal()).toBeUndefined();
  });

  it("publishes the signer's public key once under ledger/keys/", async () => {
    const { store, signer } = await sealedLedger();
    const keys = [];
    for await (const info of store.list("ledger/keys/")) keys.push(info.key);
    expect(keys).toEqual([`ledger/keys/${await signer.keyId()}.pem`]);
    expect((await store.get(keys[0]!)).toString()).toBe(await signer.publicKeyPem());
    expect(sha256Hex(await store.get(keys[0]!))).toMatch(/^[0-9a-f]{64}$/);
  });
});
