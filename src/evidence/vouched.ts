import { createHash } from "node:crypto";
import type { EvidenceStore } from "../store/types.js";
import { DigestSet } from "./digest-set.js";
import { MANIFEST_SCHEMA, MANIFESTS_PREFIX, parseManifestKey, type RunManifest } from "./ledger-format.js";
import { signatureVerifies } from "./signed.js";
import type { TrustSet } from "./trust.js";

/** A record evaluation left out, and why. */
export interface IgnoredRecord {
  key: string;
  reason: string;
}

/**
 * The records the ledger vouches for: listed (key and SHA-256) in a manifest whose signature
 * verifies with a trusted key. Built from one listing of the manifests; a lookup is a map access.
 */
export class VouchedRecords {
  /**
   * Keys a trusted manifest lists with the SHA-256 the key itself ends in (every record the ledger
   * writes), as the SHA-256 of the key: 32 bytes a record in one buffer, not a string and a map
   * entry (an organisation's store lists hundreds of thousands).
   */
  private readonly listedAsNamed = new DigestSet(32, 4096);
  /** record key -> sha256 listed by a trusted manifest, when the key does not end in that hash (the later listing wins). */
  private readonly listedOther = new Map<string, string>();
  /** record key -> why the only manifests listing it do not count. */
  private readonly untrustedListing = new Map<string, string>();
  /** Manifests whose signature did not verify with a trusted key, and why. */
  readonly untrustedManifests: IgnoredRecord[] = [];
  manifests = 0;
  recovered = 0;

  constructor(readonly trust: TrustSet) {}

  /** @internal */
  add(key: string, sha256: string): void {
    if (namedHash(key) === sha256) {
      this.listedAsNamed.add(keyDigest(key));
      this.listedOther.delete(key);
    } else this.listedOther.set(key, sha256);
    this.untrustedListing.delete(key);
  }

  /** @internal */
  addUntrusted(key: string, reason: string): void {
    if (this.listedHash(key) === undefined) this.untrustedListing.set(key, reason);
  }

  /** Whether a trusted manifest lists this key with this hash. */
  has(key: string, sha256: string): boolean {
    return this.listedHash(key) === sha256;
  }

  private listedHash(key: string): string | undefined {
    return this.listedOther.get(key) ?? (this.listedAsNamed.has(keyDigest(key)) ? namedHash(key) : undefined);
  }

  get size(): number {
    let other = 0;
    for (const key of this.listedOther.keys()) if (!this.listedAsNamed.has(keyDigest(key))) other++;
    return this.listedAsNamed.size + other;
  }

  /** Why a record is not vouched for (undefined when it is). */
  reasonFor(key: string, sha256: string): string | undefined {
    const listed = this.listedHash(key);
    if (listed === sha256) return undefined;
    if (listed !== undefined) return `a trusted manifest lists it with sha256 ${listed}`;
    return this.untrustedListing.get(key) ?? "listed in no manifest";
  }
}

const keyDigest = (key: string): Buffer => createHash("sha256").update(key).digest();

/** The SHA-256 an evidence key ends in (`..._<sha256>.json`), if it ends in one. */
function namedHash(key: string): string | undefined {
  return /_([0-9a-f]{64})\.json$/.exec(key)?.[1];
}

/** Read every manifest once and keep the records of those a trusted key signed. */
export async function loadVouched(store: EvidenceStore, trust: TrustSet): Promise<VouchedRecords> {
  const vouched = new VouchedRecords(trust);
  for await (const info of store.list(MANIFESTS_PREFIX)) {
    if (!parseManifestKey(info.key)) continue;
    const bytes = store.readSync ? store.readSync(info.key) : await store.get(info.key);
    vouched.manifests++;
    let manifest: RunManifest | undefined;
    try {
      manifest = JSON.parse(bytes.toString("utf8")) as RunManifest;
    } catch {
      manifest = undefined;
    }
    if (manifest?.schema !== MANIFEST_SCHEMA || !Array.isArray(manifest.records)) {
      vouched.untrustedManifests.push({ key: info.key, reason: "it is damaged" });
      continue;
    }
    const reason = manifestDistrust(manifest, bytes, trust);
    if (reason) {
      vouched.untrustedManifests.push({ key: info.key, reason });
      for (const r of manifest.records)
        if (typeof r?.key === "string")
          vouched.addUntrusted(r.key, `listed only in ${info.key}, which ${reason}`);
      continue;
    }
    for (const r of manifest.records) {
      if (typeof r?.key === "string" && typeof r.sha256 === "string") vouched.add(r.key, r.sha256);
    }
    if (manifest.recovery) vouched.recovered += manifest.records.length;
  }
  return vouched;
}

/** Why a manifest's signature does not count, or undefined when a trusted key made it. */
export function manifestDistrust(manifest: RunManifest, bytes: Buffer, trust: TrustSet): string | undefined {
  const signature = manifest.signature;
  if (!signature || typeof signature.keyId !== "string") return "carries no signature";
  const found = trust.lookup(signature.keyId, manifest.finishedAt);
  if ("reason" in found) return `is signed by an untrusted key: ${found.reason}`;
  if (!signatureVerifies(manifest, bytes, found.key))
    return `has a signature that does not verify with key ${signature.keyId}`;
  return undefined;
}

/** "N records not vouched for by the ledger were ignored" (the warning every output carries). */
export function ignoredWarning(count: number): string {
  return `${count} record${count === 1 ? "" : "s"} not vouched for by the ledger ${count === 1 ? "was" : "were"} ignored`;
}
