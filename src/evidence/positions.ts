import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { decodeRecord, type EvidenceSource, parseEvidenceKey } from "./record.js";
import { resolveTrust } from "./trust.js";
import { loadVouched, type VouchedRecords } from "./vouched.js";

/**
 * Where incremental collection resumes: the end of the newest period a collector stored for an
 * account and region, from records of the same source (and scenario) that a manifest signed by the
 * run's own signer (or a key it trusts through a transition) lists. A record no such manifest lists
 * (an injected one, or one an interrupted run left behind and recovery has not adopted) never
 * moves the position, so it cannot make collection skip activity.
 */
export async function lastManifestedPeriodEnd(
  store: EvidenceStore,
  vouched: VouchedRecords,
  where: { collector: string; account: string; region: string },
  from: { source: EvidenceSource; scenario?: string },
): Promise<Date | undefined> {
  const byStamp = new Map<string, { key: string; sha256: string }[]>();
  for await (const info of store.list(`evidence/${where.account}/${where.region}/${where.collector}/`)) {
    const parsed = parseEvidenceKey(info.key);
    if (!parsed || parsed.collector !== where.collector || !vouched.has(info.key, parsed.sha256)) continue;
    const keys = byStamp.get(parsed.stamp) ?? [];
    keys.push({ key: info.key, sha256: parsed.sha256 });
    byStamp.set(parsed.stamp, keys);
  }
  for (const stamp of [...byStamp.keys()].sort().reverse()) {
    let newest: Date | undefined;
    for (const { key, sha256 } of byStamp.get(stamp)!) {
      const record = decodeRecord(await store.get(key), sha256);
      if (record.error || !record.period || record.source !== from.source) continue;
      if ((record.scenario ?? undefined) !== (from.scenario ?? undefined)) continue;
      const end = new Date(record.period.end);
      if (!newest || end > newest) newest = end;
    }
    if (newest) return newest;
  }
  return undefined;
}

/** The records the signer's own manifests vouch for, loaded on first use (once per run). */
export function vouchedBySigner(store: EvidenceStore, signer: Signer): () => Promise<VouchedRecords> {
  let loaded: Promise<VouchedRecords> | undefined;
  return () => {
    loaded ??= (async () => {
      const anchors = [{ pem: await signer.publicKeyPem(), source: "the run's signer" }];
      return loadVouched(store, await resolveTrust(store, { anchors }));
    })();
    return loaded;
  };
}
