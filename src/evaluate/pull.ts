import { createHash } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { resolveControlId } from "../catalog/load.js";
import { UsageError } from "../errors.js";
import { KEYS_PREFIX, MANIFESTS_PREFIX, type RunManifest, SEALS_PREFIX } from "../evidence/ledger-format.js";
import type { TrustAnchor } from "../evidence/trust.js";
import type { EvidenceStore } from "../store/types.js";
import { type EvaluateOptions, evaluate, type Schedule } from "./evaluate.js";
import { uncitedEvidence } from "./evidence-table.js";
import type { Period } from "./period.js";
import type { EvidenceRef, Findings } from "./types.js";

export interface PullOptions {
  store: EvidenceStore;
  /** "<framework>:<requirement>", e.g. pci-dss-4.0.1:8.4.2 */
  control: string;
  period: Period;
  out: string;
  now: Date;
  schedule?: Schedule;
  scope?: { accounts: string[]; regions: string[] };
  /** The assessment's scope (config `assessment`): populations select the evidence pulled. */
  assessment?: EvaluateOptions["assessment"];
  /** Keys whose manifests vouch for evidence (see EvaluateOptions.trustedKeys). */
  trustedKeys?: TrustAnchor[];
}

export interface PullResult {
  out: string;
  records: number;
  manifests: number;
  seals: number;
  keys: number;
  findings: Findings;
}

async function assertEmptyDir(dir: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0)
      throw new UsageError(`--out ${dir} is not empty`, { hint: "give a new or empty directory" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR")
      throw new UsageError(`--out ${dir} is a file, not a directory`, {
        hint: "give a new or empty directory",
      });
    if (code !== "ENOENT") throw error;
  }
}

const csvCell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * Copy every evidence record a control's checks used in a period into `out`, keeping the store's key
 * layout, with the run manifests that list them, the seal chain and the published keys (so the
 * folder verifies offline), plus index.csv, index.json and SHA256SUMS.
 */
export async function pullControl(options: PullOptions): Promise<PullResult> {
  const { catalog, requirement } = resolveControlId(options.control);
  await assertEmptyDir(options.out);
  const findings = await evaluate({
    store: options.store,
    catalog,
    requirements: [requirement.id],
    period: options.period,
    now: options.now,
    schedule: options.schedule,
    scope: options.scope,
    ...(options.assessment ? { assessment: options.assessment } : {}),
    trustedKeys: options.trustedKeys,
  });
  const used = new Map<string, EvidenceRef & { requirement: string; check: string }>();
  for (const r of findings.requirements) {
    for (const c of r.checks) {
      for (const f of c.findings) {
        for (const e of [...f.evidence, ...f.intervals.flatMap((i) => i.evidence)]) {
          if (!used.has(e.key)) used.set(e.key, { ...e, requirement: r.id, check: c.id });
        }
      }
    }
    for (const a of r.attachments ?? []) {
      if (!used.has(a.key))
        used.set(a.key, { key: a.key, sha256: a.sha256, requirement: r.id, check: "(attachment)" });
    }
  }
  // The snapshots inside a stretch (findings v2 cites what starts and ends it) are in the table.
  for (const { entry, citedBy } of uncitedEvidence(findings)) {
    const by = citedBy[0];
    if (by && !used.has(entry.key))
      used.set(entry.key, {
        key: entry.key,
        sha256: entry.sha256,
        requirement: by.requirement,
        check: by.check,
      });
  }
  await mkdir(options.out, { recursive: true });
  const sums: Array<[string, string]> = [];
  const copy = async (key: string): Promise<Buffer> => {
    const bytes = await options.store.get(key);
    const file = path.join(options.out, ...key.split("/"));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes, { flag: "wx" });
    sums.push([createHash("sha256").update(bytes).digest("hex"), key]);
    return bytes;
  };
  for (const key of [...used.keys()].sort()) await copy(key);

  // Manifests that list a pulled record, then every seal (the chain) and every published key.
  let manifests = 0;
  for await (const info of options.store.list(MANIFESTS_PREFIX)) {
    const manifest = JSON.parse((await options.store.get(info.key)).toString("utf8")) as RunManifest;
    if (!manifest.records?.some((r) => used.has(r.key))) continue;
    await copy(info.key);
    manifests++;
  }
  let seals = 0;
  for await (const info of options.store.list(SEALS_PREFIX)) {
    await copy(info.key);
    seals++;
  }
  let keys = 0;
  for await (const info of options.store.list(KEYS_PREFIX)) {
    await copy(info.key);
    keys++;
  }

  const index = [...used.values()]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((e) => ({
      key: e.key,
      sha256: e.sha256,
      collector: e.collector ?? "",
      collectedAt: e.collectedAt ?? "",
      requirement: e.requirement,
      check: e.check,
    }));
  const header = ["key", "sha256", "collector", "collectedAt", "requirement", "check"] as const;
  const csv = [header.join(","), ...index.map((row) => header.map((h) => csvCell(row[h])).join(","))].join(
    "\n",
  );
  const indexJson = {
    control: options.control,
    period: findings.period,
    generatedAt: options.now.toISOString(),
    demonstration: findings.provenance.demonstration,
    status: findings.requirements.find((r) => r.id === requirement.id)?.status,
    ...(findings.ledger?.warning
      ? { warning: findings.ledger.warning, ignored: findings.ledger.ignored }
      : {}),
    records: index,
  };
  for (const [name, body] of [
    ["index.csv", `${csv}\n`],
    ["index.json", `${JSON.stringify(indexJson, null, 2)}\n`],
  ] as const) {
    await writeFile(path.join(options.out, name), body, { flag: "wx" });
    sums.push([createHash("sha256").update(body).digest("hex"), name]);
  }
  sums.sort((a, b) => (a[1] < b[1] ? -1 : 1));
  await writeFile(path.join(options.out, "SHA256SUMS"), sums.map(([h, k]) => `${h}  ${k}\n`).join(""), {
    flag: "wx",
  });
  return { out: options.out, records: used.size, manifests, seals, keys, findings };
}
