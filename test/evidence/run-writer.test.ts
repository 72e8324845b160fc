import { describe, expect, it } from "vitest";
import { Ledger } from "../../src/evidence/ledger.js";
import { encodeRecord } from "../../src/evidence/record.js";
import type { PutOptions, PutResult } from "../../src/store/types.js";
import { newSigner, record, tempStore, verify } from "./ledger-helpers.js";

/** A disk store whose evidence writes are held until released, counting how many run at once. */
function gatedStore() {
  const store = tempStore();
  const put = store.put.bind(store);
  const held: (() => void)[] = [];
  const state = { active: 0, most: 0, held };
  store.put = async (key: string, body: Uint8Array, options?: PutOptions): Promise<PutResult> => {
    if (!key.startsWith("evidence/")) return put(key, body, options);
    state.active++;
    state.most = Math.max(state.most, state.active);
    await new Promise<void>((resolve) => held.push(resolve));
    try {
      return await put(key, body, options);
    } finally {
      state.active--;
    }
  };
  return { store, state };
}

/** Let queued promise callbacks and the store's file operations run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe("RunWriter", () => {
  it("writes at most four records at once and queues the rest without losing any", async () => {
    const { store, state } = gatedStore();
    const ledger = new Ledger(store, newSigner());
    const run = ledger.beginRun({ scope: {} });
    const writes = Array.from({ length: 10 }, (_, n) => run.writeRecord(record(n)));
    // The signed run start is written (not gated) before the first record.
    for (let i = 0; i < 100 && state.active < 4; i++) await settle();
    await settle();
    expect(state.active).toBe(4);
    while (state.held.length > 0 || state.active > 0) {
      for (const release of state.held.splice(0)) release();
      await settle();
    }
    const entries = await Promise.all(writes);
    const summary = await run.finish();
    expect(state.most).toBe(4);
    expect(summary.records).toBe(10);
    expect(new Set(entries.map((e) => e.key)).size).toBe(10);
    await ledger.seal();
    const verified = await verify(store);
    expect(verified.problems).toEqual([]);
  });

  it("stores each record as encodeRecord encodes it: same key, bytes and size", async () => {
    const store = tempStore();
    const run = new Ledger(store, newSigner()).beginRun({ scope: {} });
    const big = record(7);
    big.payload = { events: Array.from({ length: 2000 }, (_, i) => ({ id: i, text: `événement ${i}` })) };
    for (const r of [record(1), big]) {
      const entry = await run.writeRecord(r);
      const expected = encodeRecord(r);
      expect(entry).toEqual({ key: expected.key, sha256: expected.sha256, size: expected.bytes.byteLength });
      expect((await store.get(entry.key)).equals(expected.bytes)).toBe(true);
    }
    await run.finish();
  });

  it("frees the write slot when a store write fails", async () => {
    const store = tempStore();
    const put = store.put.bind(store);
    let failures = 5;
    store.put = (key, body, options) =>
      key.startsWith("evidence/") && failures-- > 0
        ? Promise.reject(new Error("disk full"))
        : put(key, body, options);
    const run = new Ledger(store, newSigner()).beginRun({ scope: {} });
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, n) => run.writeRecord(record(n))));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    await expect(run.writeRecord(record(9))).resolves.toMatchObject({ size: expect.any(Number) });
    await run.finish();
  });
});
