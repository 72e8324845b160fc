import { mapBounded } from "../../concurrency.js";
import { sha256Hex } from "../canonical.js";
import {
  MANIFESTS_PREFIX,
  type ManifestEntry,
  parseManifestKey,
  type RunManifest,
} from "../ledger-format.js";
import { manifestShapeError } from "../ledger-shapes.js";
import { parseEvidenceKey } from "../record.js";
import { checkRecord, checkRecordSync, keyDigest } from "./records.js";
import { checkPreviousSeal } from "./seal-chain.js";
import { checkSignature } from "./signatures.js";
import { parseJson, type VerifyState, WHOLE_READ_LIMIT } from "./state.js";

/**
 * Every run manifest: unchanged since its seal, well formed, signed, where its key says, chained
 * to the seal it saw; and every record it lists in range re-hashed (`concurrency` at a time).
 */
export async function checkManifests(state: VerifyState): Promise<void> {
  // Nothing is kept per record: a listing of any size streams through in bounded memory.
  await mapBounded(
    recordsToHash(state),
    state.options.concurrency ?? 16,
    ({ entry, manifest }) => checkRecord(state, entry, manifest),
    { results: false },
  );
}

/**
 * Checks each manifest as it is listed, and yields the records that need an async read. It is
 * pulled only when a hashing slot is free, so listing waits for hashing (back-pressure).
 */
async function* recordsToHash(
  state: VerifyState,
): AsyncGenerator<{ entry: ManifestEntry; manifest: string }> {
  const { store } = state;
  for await (const info of store.list(MANIFESTS_PREFIX)) {
    const parsedKey = parseManifestKey(info.key);
    if (!parsedKey) {
      state.problem("unsigned", info.key, `unexpected object ${info.key} among the manifests`);
      continue;
    }
    const bytes = await state.readLedgerObject(info.key);
    state.summary.manifests++;
    state.seenManifests.add(info.key);
    const sealed = state.sealedManifests.get(info.key);
    if (sealed && sealed.sha256 !== sha256Hex(bytes)) {
      state.problem("altered", info.key, `manifest ${info.key} was changed after ${sealed.seal} sealed it`);
    }
    const manifest = parseJson<RunManifest>(bytes);
    const shapeError = manifest ? manifestShapeError(manifest) : "it is not valid JSON";
    if (!manifest || shapeError) {
      state.problem("altered", info.key, `manifest ${info.key} is damaged: ${shapeError}`);
      continue;
    }
    checkSignature(state, manifest, info.key, "manifest", bytes, manifest.finishedAt);
    reportRunEnd(state, info.key, manifest);
    if (manifest.runId !== parsedKey.runId || manifest.part !== parsedKey.part) {
      state.problem(
        "moved",
        info.key,
        `manifest ${info.key} holds run ${manifest.runId} part ${manifest.part}`,
      );
    }
    if (!sealed) reportUnsealed(state, info.key, manifest);
    checkPreviousSeal(state, info.key, manifest, sealed?.seq);
    for (const entry of manifest.records) {
      const parsed = parseEvidenceKey(entry.key);
      if (parsed?.sha256 !== entry.sha256) {
        state.problem(
          "altered",
          entry.key,
          `manifest ${info.key} lists ${entry.key} with sha256 ${entry.sha256}, which its key does not carry`,
        );
      }
      if (parsed && !state.inRange(parsed.stamp)) continue;
      state.referenced.add(keyDigest(entry.key));
      // A local store's small records are read inline: a task per record costs more than the read.
      if (store.readSync && entry.size <= WHOLE_READ_LIMIT) checkRecordSync(state, entry, info.key);
      else yield { entry, manifest: info.key };
    }
    state.progress();
  }
}

/** Recovery manifests and interrupted runs are warnings: what they list is evidence, but say so. */
function reportRunEnd(state: VerifyState, key: string, manifest: RunManifest): void {
  if (manifest.recovery) {
    state.summary.recovered += manifest.records.length;
    state.problem(
      "recovered",
      key,
      `manifest ${key} lists ${manifest.records.length} record(s) recovered from interrupted run(s) ${manifest.recovery.runs.join(", ")} (re-hashed ${manifest.recovery.recoveredAt})`,
      "warning",
    );
  } else if (manifest.interrupted) {
    state.problem(
      "interrupted",
      key,
      `manifest ${key}: run ${manifest.runId} was stopped by ${manifest.interrupted.signal} at ${manifest.interrupted.at}; it lists what was written by then`,
      "warning",
    );
  }
}

function reportUnsealed(state: VerifyState, key: string, manifest: RunManifest): void {
  state.summary.unsealedManifests++;
  if (state.lastSeal && manifest.finishedAt < state.lastSeal.sealedAt) {
    state.problem(
      "unsealed",
      key,
      `manifest ${key} (finished ${manifest.finishedAt}) is in no seal, though ${state.lastSeal.key} sealed later`,
    );
  } else {
    state.problem("unsealed", key, `manifest ${key} is not sealed yet`, "warning");
  }
}
