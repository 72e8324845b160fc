/**
 * bench/lambda: how many account-region collections per minute one Lambda-sized process (1 vCPU)
 * sustains, and what that means for an organisation-wide Distributed Map run.
 *
 * Each iteration is what one collect Lambda invocation does: collect() for one account and region of
 * the `demo` fixture scenario (replayed through the real SDK clients, so request signing, parsing,
 * redaction, canonical JSON, hashing, the create-only store and the signed manifest all count). The
 * AWS network is modelled by --latency ms per replayed call. The store is a disk store (fsync per
 * object); S3 adds network time per PUT, not CPU.
 *
 * The snapshot collectors and cloudtrail_activity are timed apart: LookupEvents is limited by AWS to
 * 2 calls/s per account and region, so activity is bounded by that quota, not by CPU.
 *
 *   taskset -c 0 npx tsx bench/lambda.ts [--iterations 40] [--latency 0,60] [--accounts 500] [--regions 16] [--concurrency 40]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadScenario } from "../src/aws/fixtures.js";
import { collectorIds } from "../src/collectors/registry.js";
import { collect } from "../src/collectors/run.js";
import { parseConfig } from "../src/config/load.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../src/signing/ed25519.js";
import { FsStore } from "../src/store/fs.js";

const { values } = parseArgs({
  options: {
    iterations: { type: "string", default: "40" },
    latency: { type: "string", default: "0,60" },
    accounts: { type: "string", default: "500" },
    regions: { type: "string", default: "16" },
    concurrency: { type: "string", default: "40" },
  },
});
const ITERATIONS = Number(values.iterations);
const LATENCIES = values.latency.split(",").map(Number);
const ORG_ACCOUNTS = Number(values.accounts);
const ORG_REGIONS = Number(values.regions);
const MAP_CONCURRENCY = Number(values.concurrency);
if (!(ITERATIONS > 0) || LATENCIES.some((l) => !(l >= 0)))
  throw new Error("--iterations > 0 and --latency >= 0 ms");

const dir = mkdtempSync(path.join(tmpdir(), "auditpack-bench-lambda-"));
const { keyFile } = await generateEd25519KeyFiles(path.join(dir, "signing-key.pem"));
const signer = await Ed25519Signer.fromKeyFile(keyFile);
const config = parseConfig({}, "bench");
const scenario = loadScenario("demo");
const pairs = scenario.accounts.flatMap((account) => scenario.regions.map((region) => ({ account, region })));
const SNAPSHOT = collectorIds.filter((c) => c !== "cloudtrail_activity");

async function timeCollections(collectors: string[], latencyMs: number, n: number, since?: Date) {
  const store = new FsStore(path.join(dir, `store-${latencyMs}-${collectors.length}-${n}`));
  let records = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const pair = pairs[i % pairs.length]!;
    // A new run per iteration, as each Lambda invocation is; the pinned clock moves on so that
    // every iteration writes new records rather than deduplicating against the previous ones.
    const clock = new Date(scenario.clock.getTime() + i * 1000);
    const summary = await collect({
      store,
      signer,
      config,
      collectors,
      accounts: [pair.account],
      regions: [pair.region],
      fixtures: { ...scenario, clock },
      replay: { latencyMs },
      ...(since ? { since } : {}),
    });
    if (summary.status !== "ok") throw new Error(`iteration ${i} was ${summary.status}`);
    records += summary.totals.records;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerItem = (cpu.user + cpu.system) / 1e6 / n;
  return { seconds, perItem: seconds / n, perMinute: (60 * n) / seconds, cpuPerItem, records };
}

console.log(
  `one process, ${ITERATIONS} account-region collections per setting (demo scenario, disk store)\n`,
);
// Warm-up: module loading and JIT, as a warm Lambda instance has done.
await timeCollections(SNAPSHOT, 0, 2);

const rows: { latency: number; perItem: number; perMinute: number; cpuPerItem: number; records: number }[] =
  [];
for (const latency of LATENCIES) {
  const r = await timeCollections(SNAPSHOT, latency, ITERATIONS);
  rows.push({ latency, ...r });
  console.log(
    `snapshot collectors (${SNAPSHOT.length}), ${latency} ms per AWS call: ${r.perItem.toFixed(3)} s per account-region, ` +
      `${r.perMinute.toFixed(0)} per minute (${(r.records / ITERATIONS).toFixed(1)} records each); ` +
      `CPU ${r.cpuPerItem.toFixed(3)} s each, so ${(60 / r.cpuPerItem).toFixed(0)} per minute on an unshared vCPU`,
  );
}

// cloudtrail_activity, hourly increment: the last hour of the scenario window.
const hourAgo = new Date(scenario.window.end.getTime() - 3600_000);
const activity = await timeCollections(["cloudtrail_activity"], 0, 2, hourAgo);
console.log(
  `cloudtrail_activity, one-hour increment: ${activity.perItem.toFixed(2)} s per account-region ` +
    "(LookupEvents: 2 calls/s per account and region, an AWS quota)",
);
console.log("");

const items = ORG_ACCOUNTS * ORG_REGIONS;
const waves = Math.ceil(items / MAP_CONCURRENCY);
console.log(
  `${ORG_ACCOUNTS} accounts x ${ORG_REGIONS} regions = ${items} items, Distributed Map MaxConcurrency ${MAP_CONCURRENCY}:`,
);
for (const r of rows) {
  const minutes = (waves * r.perItem) / 60;
  console.log(
    `  snapshots at ${r.latency} ms per call: ${waves} waves x ${r.perItem.toFixed(3)} s = ${minutes.toFixed(1)} min`,
  );
  if (r.latency === 0) {
    console.log(
      `  CPU-bound floor (unshared vCPU, no network): ${waves} waves x ${r.cpuPerItem.toFixed(3)} s = ${((waves * r.cpuPerItem) / 60).toFixed(1)} min`,
    );
  }
}
const activityMinutes = (waves * activity.perItem) / 60;
console.log(
  `  hourly cloudtrail_activity: ${waves} waves x ${activity.perItem.toFixed(2)} s = ${activityMinutes.toFixed(1)} min`,
);
rmSync(dir, { recursive: true, force: true });
