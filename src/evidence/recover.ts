import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { VERSION } from "../version.js";
import { canonicalBytes, sha256Hex } from "./canonical.js";
import {
  EVIDENCE_PREFIX,
  MANIFEST_SCHEMA,
  MANIFESTS_PREFIX,
  type ManifestEntry,
  manifestKey,
  type ObjectRef,
  parseManifestKey,
  parseRunStartKey,
  RUN_START_SCHEMA,
  RUNS_PREFIX,
  type RunManifest,
  type RunStart,
  stampToDate,
} from "./ledger-format.js";
import { decodeRecord, type EvidenceRecord, parseEvidenceKey, RecordDecodeError } from "./record.js";
import { latestSealRef } from "./seal.js";
import { signatureVerifies, signDocument } from "./signed.js";
import { resolveTrust, type TrustAnchor, type TrustSet } from "./trust.js";
import { manifestDistrust } from "./vouched.js";

/** Part numbers of recovery manifests: far above any part a run writes itself, so they never collide. */
export const RECOVERY_PART_BASE = 900_001;

export interface RecoverOptions {
  /** Signs the recovery manifests; its key (with `trust`) decides which run starts count. */
  signer: Signer;
  trust?: TrustAnchor[];
  now?: Date;
  /**
   * A run started less than this long ago without a `complete` or `interrupted` part may still be
   * running (another process): its records are left alone. Default 15 minutes.
   */
  graceMs?: number;
  /** Only report what would be adopted. */
  dryRun?: boolean;
}

export interface RecoveredRun {
  runId: string;
  startedAt: string;
  records: ManifestEntry[];
  manifest?: ObjectRef;
}

export interface RecoverResult {
  /** Records no trusted manifest listed. */
  unlisted: number;
  runs: RecoveredRun[];
  /** Unlisted records that were not adopted, and why. */
  rejected: Array<{ key: string; reason: string }>;
}

interface RunInfo {
  start: RunStart;
  /** Some part says the run finished (complete) or was stopped (interrupted). */
  ended: boolean;
  complete: boolean;
  parts: number[];
}

/**
 * Find evidence no trusted manifest lists and adopt what an interrupted run of a trusted signer
 * wrote: re-hash each record, require that its envelope names a run whose signed start exists,
 * that did not finish, whose scope covers the record's account, region and collector, and that
 * started no later than the record was collected; then write one signed recovery manifest per run
 * (`recovery` says so, verify reports it). Anything else is rejected with its reason and stays
 * unlisted (verify keeps reporting it).
 */
export async function recoverInterrupted(
  store: EvidenceStore,
  options: RecoverOptions,
): Promise<RecoverResult> {
  const now = options.now ?? new Date();
  const graceMs = options.graceMs ?? 15 * 60_000;
  const anchors = [
    { pem: await options.signer.publicKeyPem(), source: "the recovering signer" },
    ...(options.trust ?? []),
  ];
  const trust = await resolveTrust(store, { anchors });

  const runs = await readRunStarts(store, trust);
  const listed = new Set<string>();
  for await (const info of store.list(MANIFESTS_PREFIX)) {
    const parsed = parseManifestKey(info.key);
    if (!parsed) continue;
    const bytes = await store.get(info.key);
    let manifest: RunManifest;
    try {
      manifest = JSON.parse(bytes.toString("utf8")) as RunManifest;
    } catch {
      continue;
    }
    if (manifest?.schema !== MANIFEST_SCHEMA || !Array.isArray(manifest.records)) continue;
    if (manifestDistrust(manifest, bytes, trust)) continue;
    for (const r of manifest.records) if (typeof r?.key === "string") listed.add(r.key);
    const run = runs.get(manifest.runId);
    if (run) {
      run.parts.push(manifest.part);
      if (manifest.complete) run.complete = run.ended = true;
      if (manifest.interrupted) run.ended = true;
    }
  }

  const result: RecoverResult = { unlisted: 0, runs: [], rejected: [] };
  const adopted = new Map<string, ManifestEntry[]>();
  for await (const info of store.list(EVIDENCE_PREFIX)) {
    if (listed.has(info.key)) continue;
    result.unlisted++;
    const reject = (reason: string) => result.rejected.push({ key: info.key, reason });
    const parsed = parseEvidenceKey(info.key);
    if (!parsed) {
      reject("not an evidence record key");
      continue;
    }
    const bytes = await store.get(info.key);
    let record: EvidenceRecord;
    try {
      record = decodeRecord(bytes, parsed.sha256);
    } catch (error) {
      if (!(error instanceof RecordDecodeError)) throw error;
      reject(error.message);
      continue;
    }
    const why = mismatch(record, parsed, runs, now, graceMs);
    if (why) {
      reject(why);
      continue;
    }
    const entries = adopted.get(record.runId!) ?? [];
    entries.push({ key: info.key, sha256: parsed.sha256, size: bytes.length });
    adopted.set(record.runId!, entries);
  }

  for (const [runId, records] of [...adopted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const run = runs.get(runId)!;
    const recovered: RecoveredRun = { runId, startedAt: run.start.startedAt, records };
    if (!options.dryRun)
      recovered.manifest = await writeRecoveryManifest(store, options.signer, run, records, now);
    result.runs.push(recovered);
  }
  return result;
}

/** Why an unlisted record may not be adopted, or undefined when its envelope matches an interrupted run. */
function mismatch(
  record: EvidenceRecord,
  key: { account: string; region: string; collector: string; stamp: string },
  runs: Map<string, RunInfo>,
  now: Date,
  graceMs: number,
): string | undefined {
  if (typeof record.runId !== "string")
    return "its envelope names no run (written by an older version, or not by a run)";
  const run = runs.get(record.runId);
  if (!run) return `its envelope names run ${record.runId}, which has no run start signed by a trusted key`;
  if (run.complete) return `run ${record.runId} finished normally, and its manifests do not list this record`;
  if (record.account !== key.account || record.region !== key.region || record.collector !== key.collector)
    return "its envelope does not match its key (account, region or collector)";
  const scope = run.start.scope as { accounts?: unknown; regions?: unknown; collectors?: unknown };
  const within = (list: unknown, value: string) => !Array.isArray(list) || list.includes(value);
  if (
    !within(scope.accounts, key.account) ||
    !within(scope.regions, key.region) ||
    !within(scope.collectors, key.collector)
  )
    return `run ${record.runId} did not set out to collect ${key.collector} in ${key.account}/${key.region}`;
  const collectedAt = stampToDate(key.stamp).getTime();
  if (collectedAt < Date.parse(run.start.startedAt))
    return `it was collected before run ${record.runId} started (${run.start.startedAt})`;
  if (!run.ended && now.getTime() - Date.parse(run.start.startedAt) < graceMs)
    return `run ${record.runId} started ${run.start.startedAt} and may still be running`;
  return undefined;
}

async function readRunStarts(store: EvidenceStore, trust: TrustSet): Promise<Map<string, RunInfo>> {
  const runs = new Map<string, RunInfo>();
  for await (const info of store.list(RUNS_PREFIX)) {
    const parsed = parseRunStartKey(info.key);
    if (!parsed) continue;
    const bytes = await store.get(info.key);
    let start: RunStart;
    try {
      start = JSON.parse(bytes.toString("utf8")) as RunStart;
    } catch {
      continue;
    }
    if (
      start?.schema !== RUN_START_SCHEMA ||
      start.runId !== parsed.runId ||
      typeof start.startedAt !== "string"
    )
      continue;
    const found = start.signature ? trust.lookup(start.signature.keyId, start.startedAt) : undefined;
    if (!found || "reason" in found || !signatureVerifies(start, bytes, found.key)) continue;
    runs.set(start.runId, { start, ended: false, complete: false, parts: [] });
  }
  return runs;
}

async function writeRecoveryManifest(
  store: EvidenceStore,
  signer: Signer,
  run: RunInfo,
  records: ManifestEntry[],
  now: Date,
): Promise<ObjectRef> {
  const part = Math.max(RECOVERY_PART_BASE - 1, ...run.parts) + 1;
  const body: Omit<RunManifest, "signature"> = {
    schema: MANIFEST_SCHEMA,
    runId: run.start.runId,
    part,
    startedAt: run.start.startedAt,
    finishedAt: now.toISOString(),
    tool: { name: "auditpack", version: VERSION },
    scope: run.start.scope,
    callerIdentities: [],
    previousSeal: await latestSealRef(store),
    records: records.sort((a, b) => (a.key < b.key ? -1 : 1)),
    recovery: { runs: [run.start.runId], recoveredAt: now.toISOString() },
  };
  const bytes = canonicalBytes(await signDocument(body, signer));
  const key = manifestKey(run.start.startedAt, run.start.runId, part);
  await store.put(key, bytes, { contentType: "application/json", sha256: sha256Hex(bytes) });
  return { key, sha256: sha256Hex(bytes) };
}
