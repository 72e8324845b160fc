import crypto, { createHash } from "node:crypto";
import { ObjectNotFoundError } from "../../errors.js";
import type { EvidenceStore } from "../../store/types.js";
import { sha256Hex } from "../canonical.js";
import { EVIDENCE_PREFIX, type ManifestEntry } from "../ledger-format.js";
import { parseEvidenceKey } from "../record.js";
import { type VerifyState, WHOLE_READ_LIMIT } from "./state.js";

/** Re-hash one record a manifest lists; a missing one is kept to report at the end (or as moved). */
export async function checkRecord(state: VerifyState, entry: ManifestEntry, manifest: string): Promise<void> {
  let actual: { sha256: string; size: number };
  try {
    actual = await hashObject(state.store, entry.key, entry.size);
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error;
    state.missingRecords.set(entry.sha256, { key: entry.key, manifest });
    return;
  }
  compareRecord(state, entry, manifest, actual);
}

/** checkRecord for a store with readSync: one reused buffer, nothing allocated but the hex digest. */
export function checkRecordSync(state: VerifyState, entry: ManifestEntry, manifest: string): void {
  let bytes: Buffer;
  try {
    // Only called when the store has readSync.
    bytes = state.store.readSync!(entry.key, state.scratch);
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error;
    state.missingRecords.set(entry.sha256, { key: entry.key, manifest });
    return;
  }
  compareRecord(state, entry, manifest, { sha256: quickSha256Hex(bytes), size: bytes.length });
}

function compareRecord(
  state: VerifyState,
  entry: ManifestEntry,
  manifest: string,
  actual: { sha256: string; size: number },
): void {
  state.summary.records++;
  if (state.options.excerpt?.records.has(entry.key)) state.presentRecords.add(entry.key);
  if (actual.sha256 !== entry.sha256) {
    state.problem(
      "altered",
      entry.key,
      `record ${entry.key} was altered: its sha256 is ${actual.sha256}, ${manifest} lists ${entry.sha256}`,
    );
  } else if (actual.size !== entry.size) {
    state.problem(
      "altered",
      entry.key,
      `record ${entry.key} is ${actual.size} bytes, ${manifest} lists ${entry.size}`,
    );
  }
  if (state.summary.records % 1000 === 0) state.progress();
}

/** Evidence no manifest lists: unsigned, or a missing record that was moved there. */
export async function checkUnreferencedRecords(state: VerifyState): Promise<void> {
  const ranged = state.options.since !== undefined || state.options.until !== undefined;
  for await (const page of listKeys(state.store, EVIDENCE_PREFIX)) {
    for (const key of page) {
      if (ranged) {
        const stamp = parseEvidenceKey(key)?.stamp;
        if (stamp !== undefined && !state.inRange(stamp)) continue;
      }
      if (!state.referenced.has(keyDigest(key))) await reportUnreferenced(state, key);
    }
  }
}

async function reportUnreferenced(state: VerifyState, key: string): Promise<void> {
  if (state.missingRecords.size > 0) {
    const { sha256 } = await hashObject(state.store, key);
    const original = state.missingRecords.get(sha256);
    if (original) {
      state.missingRecords.delete(sha256);
      state.problem(
        "moved",
        original.key,
        `record ${original.key} listed in ${original.manifest} was moved to ${key}`,
      );
      return;
    }
  }
  state.problem("unsigned", key, `record ${key} is not listed in any manifest`);
}

async function hashObject(
  store: EvidenceStore,
  key: string,
  expectedSize?: number,
): Promise<{ sha256: string; size: number }> {
  if (expectedSize !== undefined && expectedSize <= WHOLE_READ_LIMIT) {
    const bytes = await store.get(key);
    return { sha256: sha256Hex(bytes), size: bytes.length };
  }
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of await store.getStream(key)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

/**
 * The store's keys under prefix in pages, without sizes or dates when the store can list them so
 * (a page per directory of a disk store: no promise per key).
 */
async function* listKeys(store: EvidenceStore, prefix: string): AsyncIterable<readonly string[]> {
  if (store.listKeys) {
    yield* store.listKeys(prefix);
    return;
  }
  let page: string[] = [];
  for await (const info of store.list(prefix)) {
    page.push(info.key);
    if (page.length === 1000) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

// One-shot crypto.hash (Node >= 20.12) skips creating a Hash object: ~1 µs less per call, which
// counts at two key digests and one record hash per record.
const oneShot = typeof crypto.hash === "function" ? crypto.hash : undefined;

function quickSha256Hex(data: Uint8Array): string {
  return oneShot ? oneShot("sha256", data, "hex") : sha256Hex(data);
}

const keyDigestScratch = Buffer.alloc(32);

/**
 * SHA-256 of a key, in a buffer reused by the next call (the DigestSet copies what it keeps). A
 * binary (latin1) string written into it costs the garbage collector less than a new Buffer per key.
 */
export function keyDigest(key: string): Buffer {
  if (!oneShot) return createHash("sha256").update(key).digest();
  keyDigestScratch.write(oneShot("sha256", key, "binary"), "binary");
  return keyDigestScratch;
}
