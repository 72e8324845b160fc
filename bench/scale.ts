/**
 * bench/scale: the demo quarter cloned to N accounts (2 regions each; the same records with other
 * account ids), then `auditpack evaluate` and `auditpack report` for 2026-Q3 as a user runs them,
 * each in its own process, with wall time and peak RSS (GNU time) and the output sizes per N.
 *
 *   npm run build && npx tsx bench/scale.ts [--accounts 2,8,32,128] [--baseline-up-to 32] [--repeat 3]
 *
 * The baseline is the whole-scope evaluation (`--accounts-per-batch all`, how evaluate read the
 * store before issue 11), run in the same script up to --baseline-up-to accounts (it needs about
 * 30 MB per account-region). Targets (issue 11): evaluate peak RSS at 32 accounts within 1.3x of
 * that at 8 and under 800 MB, under 1 GB at 128; wall time linear in account-regions; report peak
 * RSS under 1 GB at 128.
 *
 * Each store is built by replaying the demo once and re-writing its records under the clones'
 * account ids through the real ledger (a signed manifest per clone), which is what `collect
 * --fixtures` of a cloned scenario stores, in a fraction of the time.
 */
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadScenario } from "../src/aws/fixtures.js";
import { replayScenario } from "../src/collectors/replay-scenario.js";
import { parseConfig } from "../src/config/load.js";
import { Ledger } from "../src/evidence/ledger.js";
import { EVIDENCE_PREFIX } from "../src/evidence/ledger-format.js";
import { decodeRecord, type EvidenceRecord, parseEvidenceKey } from "../src/evidence/record.js";
import { Ed25519Signer } from "../src/signing/ed25519.js";
import { FsStore } from "../src/store/fs.js";

const { values: args } = parseArgs({
  options: {
    accounts: { type: "string", default: "2,8,32,128" },
    "baseline-up-to": { type: "string", default: "32" },
    keep: { type: "boolean", default: false },
    repeat: { type: "string", default: "1" },
  },
});
const SIZES = args.accounts.split(",").map(Number);
for (const n of SIZES)
  if (!Number.isInteger(n) || n < 2 || n % 2 !== 0)
    throw new Error(`--accounts: ${n} is not an even number of accounts (the demo has 2)`);
const BASELINE_UP_TO = Number(args["baseline-up-to"]);
const REPEAT = Number(args.repeat);
if (!Number.isInteger(REPEAT) || REPEAT < 1)
  throw new Error(`--repeat: ${args.repeat} is not a whole number of runs`);
const CLI = path.resolve("dist/cli/main.js");
const work = mkdtempSync(path.join(tmpdir(), "auditpack-scale-"));
const signer = new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);

/** The demo's records, as its schedule stored them. */
async function demoRecords(): Promise<EvidenceRecord[]> {
  const store = new FsStore(path.join(work, "demo"));
  await replayScenario({ store, signer, config: parseConfig({}, "(bench)"), fixtures: "demo", seal: true });
  const out: EvidenceRecord[] = [];
  for await (const info of store.list(EVIDENCE_PREFIX)) {
    const parsed = parseEvidenceKey(info.key);
    if (parsed) out.push(decodeRecord(await store.get(info.key), parsed.sha256, info.key) as EvidenceRecord);
  }
  return out;
}

/** A store of `copies` clones of the demo's records, clone k with account ids 9<k><i>. */
async function clonedStore(records: EvidenceRecord[], originals: string[], copies: number): Promise<string> {
  const dir = path.join(work, `store-${copies * 2}`);
  const store = new FsStore(dir);
  const ledger = new Ledger(store, signer);
  for (let copy = 0; copy < copies; copy++) {
    const ids = originals.map((a, i) =>
      copy === 0 ? a : `9${String(copy).padStart(6, "0")}${String(i).padStart(5, "0")}`,
    );
    const run = ledger.beginRun({ scope: { bench: "scale", copy } });
    for (const r of records) {
      const text = originals.reduce((t, a, i) => t.replaceAll(a, ids[i]!), JSON.stringify(r));
      await run.writeRecord(JSON.parse(text) as EvidenceRecord);
    }
    await run.finish();
  }
  return dir;
}

interface Measure {
  wallS: number;
  rssMB: number;
}

/** Run the CLI under GNU time: elapsed seconds and maximum resident set size. */
function timed(argv: string[]): Measure {
  const run = spawnSync("/usr/bin/time", ["-f", "BENCH %e %M", "node", CLI, ...argv, "--quiet"], {
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const m = /BENCH ([\d.]+) (\d+)/.exec(run.stderr ?? "");
  if (run.status !== 0 || !m)
    throw new Error(`${argv.join(" ")} exited ${run.status}: ${(run.stderr ?? "").slice(-800)}`);
  return { wallS: Number(m[1]), rssMB: Math.round(Number(m[2]) / 1024) };
}

/** The median run by wall time and, separately, by peak RSS. */
function median(runs: Measure[]): Measure {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wallS: mid(runs.map((r) => r.wallS)), rssMB: mid(runs.map((r) => r.rssMB)) };
}

const size = (file: string) => Math.round((statSync(file).size / 1024 ** 2) * 10) / 10;
// The bench signer's public key is the config's trust anchor, as an auditor's config names the key.
const pub = path.join(work, "bench-key.pub.pem");
writeFileSync(pub, await signer.publicKeyPem());
const configFile = path.join(work, "auditpack.config.yaml");
writeFileSync(configFile, `trust:\n  - ${pub}\n`);
const COMMON = [
  "--config",
  configFile,
  "--framework",
  "pci-dss-4.0.1",
  "--requirements",
  "8,10,11",
  "--period",
  "2026-Q3",
];

const scenario = loadScenario("demo");
const records = await demoRecords();
console.log(
  `demo: ${records.length} records, ${scenario.accounts.length} accounts x ${scenario.regions.length} regions`,
);
const rows: Array<Record<string, number | string>> = [];
for (const n of SIZES) {
  const store = await clonedStore(records, scenario.accounts, n / 2);
  const out = path.join(work, `out-${n}`);
  // Peak RSS moves with where V8's major collections fall: --repeat N takes the median of N runs.
  const runs = Array.from({ length: REPEAT }, (_, i) =>
    timed(["evaluate", "--store", store, ...COMMON, "--out", i === 0 ? out : `${out}-${i}`]),
  );
  const streamed = median(runs);
  const findingsMB = size(path.join(out, "findings.json"));
  // Every record read must be vouched for, or the figures measure an empty evaluation.
  const ledger = JSON.parse(readFileSync(path.join(out, "findings.json"), "utf8")).ledger;
  if (!ledger?.verified || !(ledger.records > 0))
    throw new Error(
      `${n} accounts: ${ledger?.records} records vouched for, ${ledger?.ignored?.length} ignored`,
    );
  const whole =
    n <= BASELINE_UP_TO
      ? timed(["evaluate", "--store", store, ...COMMON, "--accounts-per-batch", "all"])
      : undefined;
  const pkg = path.join(work, `pkg-${n}`);
  const report = timed(["report", "--store", store, ...COMMON, "--out", pkg, "--no-sign"]);
  const row = {
    accounts: n,
    "account-regions": n * scenario.regions.length,
    "records read": ledger.records,
    "evaluate s": streamed.wallS,
    "evaluate MB": streamed.rssMB,
    ...(REPEAT > 1
      ? {
          "evaluate MB range": `${Math.min(...runs.map((r) => r.rssMB))}-${Math.max(...runs.map((r) => r.rssMB))}`,
        }
      : {}),
    "whole-scope s": whole?.wallS ?? "-",
    "whole-scope MB": whole?.rssMB ?? "-",
    "report s": report.wallS,
    "report MB": report.rssMB,
    "findings.json MB": findingsMB,
    "report.xlsx MB": size(path.join(pkg, "report.xlsx")),
    "report.pdf MB": size(path.join(pkg, "report.pdf")),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  if (!args.keep) {
    rmSync(store, { recursive: true, force: true });
    rmSync(pkg, { recursive: true, force: true });
  }
}
console.table(rows);
const at = (n: number) => rows.find((r) => r.accounts === n);
const ratio = (a: number, b: number, col: string) => {
  const x = at(a)?.[col];
  const y = at(b)?.[col];
  return typeof x === "number" && typeof y === "number" ? (x / y).toFixed(2) : "-";
};
const first = rows[0]!;
const last = rows[rows.length - 1]!;
const slope = (col: string) =>
  (
    ((last[col] as number) - (first[col] as number)) /
    ((last["account-regions"] as number) - (first["account-regions"] as number))
  ).toFixed(3);
console.log(
  `32 vs 8 accounts: evaluate wall ${ratio(32, 8, "evaluate s")}x, RSS ${ratio(32, 8, "evaluate MB")}x; report wall ${ratio(32, 8, "report s")}x`,
);
console.log(
  `slope per account-region: evaluate ${slope("evaluate s")} s and ${slope("evaluate MB")} MB; report ${slope("report s")} s and ${slope("report MB")} MB; findings.json ${slope("findings.json MB")} MB`,
);
if (!args.keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
