import { ObjectExistsError, VerificationError } from "../errors.js";
import type { Signature, Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { canonicalBytes, sha256Hex } from "./canonical.js";
import { signatureVerifies, signDocument } from "./signed.js";
import type { TrustSet } from "./trust.js";
import type { ExpectedHead, LedgerHead } from "./verify-ledger.js";

/**
 * Rollback evidence kept outside the store: `seal --anchor <store>` writes each new head (sequence,
 * seal hash, time), signed, to a second store (another bucket or account, ideally Object Lock);
 * `verify --anchor <store>` then requires every anchored head in the chain. Deleting the newest
 * seals (and their manifests and records) from the evidence store no longer goes unnoticed.
 */
export const ANCHORED_HEAD_SCHEMA = "auditpack.anchored-head/v1";
export const ANCHORS_PREFIX = "ledger-anchors/";

export interface AnchoredHead extends LedgerHead {
  schema: typeof ANCHORED_HEAD_SCHEMA;
  /** The evidence store the head belongs to (its location when anchored). */
  store: string;
  anchoredAt: string;
}

export function anchorKey(seq: number): string {
  return `${ANCHORS_PREFIX}${String(seq).padStart(12, "0")}.json`;
}

/**
 * Write a head to the anchor store (create-only). An anchor already there for the same sequence
 * with the same hash is fine (sealed twice); with another hash the chain was replaced: refuse.
 */
export async function writeAnchor(
  anchorStore: EvidenceStore,
  head: LedgerHead,
  signer: Signer,
  options: { store: string; now: Date },
): Promise<{ key: string; existed: boolean }> {
  const key = anchorKey(head.seq);
  const body: Omit<AnchoredHead, "signature"> = {
    schema: ANCHORED_HEAD_SCHEMA,
    store: options.store,
    seq: head.seq,
    key: head.key,
    sha256: head.sha256,
    sealedAt: head.sealedAt,
    anchoredAt: options.now.toISOString(),
  };
  const bytes = canonicalBytes(await signDocument(body, signer));
  try {
    await anchorStore.put(key, bytes, { contentType: "application/json", sha256: sha256Hex(bytes) });
    return { key, existed: false };
  } catch (error) {
    if (!(error instanceof ObjectExistsError)) throw error;
    const existing = parseAnchor(await anchorStore.get(key));
    if (existing?.sha256 === head.sha256) return { key, existed: true };
    throw new VerificationError(
      `${anchorStore.location} already anchors seal #${head.seq} with sha256 ${existing?.sha256 ?? "(unreadable)"}, not ${head.sha256}: the chain was replaced`,
      { hint: "run `auditpack verify --anchor` to see where the chains part" },
    );
  }
}

/** The anchored heads as expectations for verifyLedger, and the anchors that cannot be trusted. */
export async function readAnchors(
  anchorStore: EvidenceStore,
  trust: TrustSet,
): Promise<{ heads: ExpectedHead[]; problems: Array<{ key: string; message: string }> }> {
  const heads: ExpectedHead[] = [];
  const problems: Array<{ key: string; message: string }> = [];
  const where = anchorStore.location;
  for await (const info of anchorStore.list(ANCHORS_PREFIX)) {
    const bytes = await anchorStore.get(info.key);
    const anchor = parseAnchor(bytes);
    if (!anchor || info.key !== anchorKey(anchor.seq)) {
      problems.push({ key: info.key, message: `anchor ${where}/${info.key} is damaged` });
      continue;
    }
    const found = anchor.signature ? trust.lookup(anchor.signature.keyId, anchor.anchoredAt) : undefined;
    if (!found || "reason" in found || !signatureVerifies(anchor, bytes, found.key)) {
      const why = !found
        ? "it carries no signature"
        : "reason" in found
          ? found.reason
          : "its signature does not verify";
      problems.push({ key: info.key, message: `anchor ${where}/${info.key} is not trusted: ${why}` });
      continue;
    }
    heads.push({ seq: anchor.seq, sha256: anchor.sha256, source: `anchor ${where}/${info.key}` });
  }
  return { heads, problems };
}

function parseAnchor(bytes: Buffer): (AnchoredHead & { signature?: Signature }) | undefined {
  try {
    const doc = JSON.parse(bytes.toString("utf8")) as AnchoredHead & { signature?: Signature };
    if (doc?.schema !== ANCHORED_HEAD_SCHEMA || !Number.isInteger(doc.seq) || doc.seq < 1) return undefined;
    if (typeof doc.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(doc.sha256)) return undefined;
    return doc;
  } catch {
    return undefined;
  }
}
