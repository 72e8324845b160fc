import { ObjectExistsError, StoreError, VerificationError } from "../errors.js";
import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { canonicalBytes, sha256Hex } from "./canonical.js";
import {
  MANIFEST_SCHEMA,
  MANIFESTS_PREFIX,
  type ObjectRef,
  parseManifestKey,
  parseSealKey,
  type RunManifest,
  SEAL_SCHEMA,
  SEALS_PREFIX,
  type Seal,
  sealKey,
} from "./ledger-format.js";
import { merkleRoot } from "./merkle.js";
import { signDocument } from "./signed.js";
import type { TrustSet } from "./trust.js";
import { manifestDistrust } from "./vouched.js";

export interface SealResult extends ObjectRef {
  seq: number;
  manifests: number;
  sealedAt: string;
}

/** A manifest seal() left out because no trusted key signed it. */
export interface RefusedManifest {
  key: string;
  reason: string;
}

interface SealChain {
  last?: ObjectRef & { seq: number; sealedAt: string };
  sealed: Set<string>;
}

/** The newest seal, or null before the first one. */
export async function latestSealRef(store: EvidenceStore): Promise<ObjectRef | null> {
  let lastKey: string | undefined;
  for await (const info of store.list(SEALS_PREFIX))
    if (parseSealKey(info.key) !== undefined) lastKey = info.key;
  if (lastKey === undefined) return null;
  return { key: lastKey, sha256: sha256Hex(await store.get(lastKey)) };
}

/** The newest seal as a head (sequence, key, hash, time), or undefined before the first one. */
export async function latestSealHead(
  store: EvidenceStore,
): Promise<{ seq: number; key: string; sha256: string; sealedAt: string } | undefined> {
  const { last } = await readChain(store);
  return last ? { seq: last.seq, key: last.key, sha256: last.sha256, sealedAt: last.sealedAt } : undefined;
}

async function readChain(store: EvidenceStore): Promise<SealChain> {
  const chain: SealChain = { sealed: new Set() };
  for await (const info of store.list(SEALS_PREFIX)) {
    const seq = parseSealKey(info.key);
    if (seq === undefined) continue;
    const bytes = await store.get(info.key);
    let seal: Seal;
    try {
      seal = JSON.parse(bytes.toString("utf8")) as Seal;
      if (!Array.isArray(seal.manifests) || typeof seal.sealedAt !== "string") throw new Error("malformed");
    } catch (cause) {
      throw new VerificationError(`cannot seal: seal ${info.key} is damaged`, {
        cause,
        hint: "run `auditpack verify` to see what happened to the chain",
      });
    }
    for (const m of seal.manifests) chain.sealed.add(m.key);
    chain.last = { key: info.key, sha256: sha256Hex(bytes), seq, sealedAt: seal.sealedAt };
  }
  return chain;
}

/**
 * Write the next seal over every manifest no earlier seal covers. Seals are create-only, so when a
 * concurrent sealer takes the same sequence number first, this one re-reads the chain and retries.
 * Returns undefined when there is nothing new to seal.
 */
export async function sealLedger(
  store: EvidenceStore,
  signer: Signer,
  options: {
    now: Date;
    maxAttempts?: number;
    /** Only manifests a trusted key signed are sealed; the others go to `refused`. */
    trust?: TrustSet;
    refused?: RefusedManifest[];
  },
): Promise<SealResult | undefined> {
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const chain = await readChain(store);
    const manifests: ObjectRef[] = [];
    const refused: RefusedManifest[] = [];
    for await (const info of store.list(MANIFESTS_PREFIX)) {
      if (chain.sealed.has(info.key) || !parseManifestKey(info.key)) continue;
      const bytes = await store.get(info.key);
      const reason = options.trust ? distrust(bytes, options.trust) : undefined;
      if (reason) refused.push({ key: info.key, reason });
      else manifests.push({ key: info.key, sha256: sha256Hex(bytes) });
    }
    if (options.refused) options.refused.splice(0, options.refused.length, ...refused);
    if (manifests.length === 0) return undefined;
    const sealedAt = options.now.toISOString();
    if (chain.last && sealedAt < chain.last.sealedAt) {
      throw new StoreError(
        `cannot seal at ${sealedAt}: the last seal ${chain.last.key} is dated ${chain.last.sealedAt}`,
        {
          hint: "check the system clock",
        },
      );
    }
    const seq = (chain.last?.seq ?? 0) + 1;
    const body: Omit<Seal, "signature"> = {
      schema: SEAL_SCHEMA,
      seq,
      sealedAt,
      previous: chain.last ? { key: chain.last.key, sha256: chain.last.sha256 } : null,
      manifests,
      merkleRoot: merkleRoot(manifests.map((m) => m.sha256)),
    };
    const bytes = canonicalBytes(await signDocument(body, signer));
    const key = sealKey(seq);
    try {
      await store.put(key, bytes, { contentType: "application/json", sha256: sha256Hex(bytes) });
      return { key, sha256: sha256Hex(bytes), seq, manifests: manifests.length, sealedAt };
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
      // Lost the race for this sequence number: the winner may have sealed some of ours already.
    }
  }
  throw new StoreError(
    `could not seal the ledger after ${maxAttempts} attempts: other sealers kept winning`,
    {
      hint: "run `auditpack seal` again",
    },
  );
}

/** Why a stored manifest may not be sealed (unsigned, untrusted, damaged), or undefined. */
function distrust(bytes: Buffer, trust: TrustSet): string | undefined {
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(bytes.toString("utf8")) as RunManifest;
  } catch {
    return "it is not valid JSON";
  }
  if (manifest?.schema !== MANIFEST_SCHEMA || !Array.isArray(manifest.records)) return "it is damaged";
  const reason = manifestDistrust(manifest, bytes, trust);
  return reason ? `it ${reason}` : undefined;
}
