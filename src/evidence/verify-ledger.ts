import type { EvidenceStore } from "../store/types.js";
import { checkManifests } from "./verify/manifests.js";
import { checkUnreferencedRecords } from "./verify/records.js";
import { checkExpectedHeads, checkSeals } from "./verify/seal-chain.js";
import { loadTrustedKeys } from "./verify/signatures.js";
import { type VerifyLedgerOptions, VerifyState, type VerifySummary } from "./verify/state.js";

export { storedSigningBytes } from "./signed.js";
/**
 * Ledger verification, by part under verify/: state.ts (options, problems, the summary and what the
 * checks share), signatures.ts (trusted keys; signatures over the signing bytes, signed.ts),
 * seal-chain.ts, manifests.ts and records.ts; the seal and manifest shapes are ledger-shapes.ts.
 */
export type {
  ExpectedHead,
  LedgerHead,
  LedgerProblem,
  ProblemKind,
  VerifyLedgerOptions,
  VerifySummary,
} from "./verify/state.js";

/**
 * Check the whole ledger: the seal chain, every manifest, every record in range, and evidence that
 * no manifest lists. Problems go to onProblem as they are found; memory stays bounded by one
 * manifest, a 16-byte digest per record key and the problems themselves.
 */
export async function verifyLedger(
  store: EvidenceStore,
  options: VerifyLedgerOptions = {},
): Promise<VerifySummary> {
  const state = new VerifyState(store, options);
  await loadTrustedKeys(state);
  await checkSeals(state);
  await checkManifests(state);
  await checkUnreferencedRecords(state);
  reportMissing(state);
  checkExpectedHeads(state);
  const { summary } = state;
  summary.lastSeal = state.lastSeal;
  if (state.head) summary.head = state.head;
  summary.ok = summary.errors === 0;
  return summary;
}

/** What manifests and seals list but the store lacks (for an excerpt: only what it should hold). */
function reportMissing(state: VerifyState): void {
  const excerpt = state.options.excerpt;
  for (const [sha256, { key, manifest }] of state.missingRecords) {
    if (excerpt && !excerpt.records.has(key)) continue;
    state.problem("missing", key, `record ${key} listed in ${manifest} is missing (sha256 ${sha256})`);
  }
  for (const key of excerpt?.records ?? []) {
    if (!state.presentRecords.has(key)) {
      state.problem("missing", key, `record ${key} listed in the pull's index is missing or in no manifest`);
    }
  }
  for (const [key, { seal }] of state.sealedManifests) {
    if (!state.seenManifests.has(key) && !excerpt)
      state.problem("missing", key, `manifest ${key} sealed in ${seal} is missing`);
  }
}
