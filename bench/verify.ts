/**
 * bench/verify: build a disk store of N records (default 100,000 x 10 KiB, about 1 GB) through the
 * ledger, seal it, then time `auditpack verify` (a separate process; peak RSS measured) against
 * `find | xargs sha256sum` over the same record files. They run alternately: one warm-up round (so
 * that both read from a warm page cache), then --rounds measured rounds. Each round's ratio compares
 * two adjacent runs, which keeps a noisy machine's load about equal for both; the summary gives the
 * medians and the spread.
 *
 * verify runs from dist/ (the installed `auditpack` bin; `npm run build` refreshes it) when it
 * exists, otherwise through tsx (whose start-up time and memory then count too).
 *
 *   npx tsx bench/verify.ts [--records 100000] [--size 10240] [--rounds 3] [--keep] [--reuse <dir kept by --keep>]
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Ledger } from "../src/evidence/ledger.js";
import { EVIDENCE_SCHEMA, type EvidenceRecord } from "../src/evidence/record.js";
import { PACKAGE_ROOT } from "../src/paths.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../src/signing/ed25519.js";
import { FsStore } from "../src/store/fs.js";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "100000" },
    size: { type: "string", default: "10240" },
    rounds: { type: "string", default: "3" },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
  },
});
const RECORDS = Number(values.records);
const SIZE = Number(values.size);
const ROUNDS = Number(values.rounds);
if (!(RECORDS > 0) || !(SIZE >= 512)) throw new Error("--records must be > 0 and --size >= 512");
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error("--rounds must be a whole number >= 1");

interface Measured {
  seconds: number;
  peakRssMb?: number;
  /** User + system CPU seconds (of the whole pipeline for sha256sum): steadier than wall time under load. */
  cpuSeconds?: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command, timing it; under /usr/bin/time -v when available to read its peak RSS. */
function measure(command: string, args: string[]): Promise<Measured> {
  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
  const [bin, argv] = timeBin ? [timeBin, ["-v", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(bin, argv, { stdio: ["ignore", "pipe", "pipe"], cwd: PACKAGE_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      resolve({
        seconds,
        code: code ?? -1,
        stdout,
        stderr,
        peakRssMb: rss ? Number(rss[1]) / 1024 : undefined,
        cpuSeconds: user && system ? Number(user[1]) + Number(system[1]) : undefined,
      });
    });
  });
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const COLLECTORS = ["cloudtrail.trails", "config.recorders", "logs.groups", "cognito.pools"];

function makeRecord(i: number): EvidenceRecord {
  const day = 1 + (i % 28);
  const at = new Date(Date.UTC(2026, 6, day, 0, 0, 0, Math.floor(i / 28)));
  // Base64 of random bytes pads the record to about SIZE bytes of canonical JSON.
  const filler = randomBytes(Math.floor(((SIZE - 330) * 3) / 4)).toString("base64");
  return {
    schema: EVIDENCE_SCHEMA,
    collector: COLLECTORS[i % COLLECTORS.length]!,
    source: "fixture",
    scenario: "bench",
    account: "111122223333",
    region: "eu-west-1",
    collectedAt: at.toISOString(),
    calls: [{ service: "bench", operation: "Generate", params: { i } }],
    payload: { i, filler },
  };
}

async function build(root: string): Promise<number> {
  const keyFile = path.join(root, "keys", "signing-key.pem");
  await generateEd25519KeyFiles(keyFile);
  const ledger = new Ledger(new FsStore(path.join(root, "store")), await Ed25519Signer.fromKeyFile(keyFile));
  const run = ledger.beginRun({ scope: { bench: true } });
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < RECORDS) {
      const i = next++;
      const { size } = await run.writeRecord(makeRecord(i));
      bytes += size;
      if (i > 0 && i % 10000 === 0) process.stderr.write(`  wrote ${i} records\n`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  await run.finish();
  await ledger.seal();
  return bytes;
}

const root = values.reuse ? path.resolve(values.reuse) : mkdtempSync(path.join(tmpdir(), "auditpack-bench-"));
const keep = values.keep || values.reuse !== undefined;
const distCli = path.join(PACKAGE_ROOT, "dist", "cli", "main.js");
const cliArgs = existsSync(distCli) ? [distCli] : ["--import", "tsx", "src/cli/main.ts"];
try {
  let bytes = 0;
  if (values.reuse) {
    if (!existsSync(path.join(root, "store", "evidence")))
      throw new Error(`${root}/store/evidence does not exist`);
    console.log(`reusing the store built in ${root}`);
  } else {
    console.log(`building ${RECORDS} records of ~${SIZE} bytes in ${root} ...`);
    const t0 = Date.now();
    bytes = await build(root);
    console.log(`built ${(bytes / 1e9).toFixed(2)} GB in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  console.log(`auditpack verify runs as: node ${cliArgs.join(" ")}`);

  const store = path.join(root, "store");
  const sha256sum = () =>
    measure("bash", [
      "-c",
      `find '${store}/evidence' -name '*.json' -print0 | xargs -0 sha256sum > /dev/null`,
    ]);
  const verify = () => measure(process.execPath, [...cliArgs, "verify", store]);

  const runs: { sha: Measured; verify: Measured }[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const sha = await sha256sum();
    const ver = await verify();
    if (sha.code !== 0) throw new Error(`sha256sum failed: ${sha.stderr}`);
    if (ver.code !== 0) throw new Error(`verify exited ${ver.code}: ${ver.stderr}`);
    // Honesty check: verify must have re-hashed every record, not stopped early.
    if (!values.reuse && !ver.stdout.includes(`, ${RECORDS} records`))
      throw new Error(`verify did not report ${RECORDS} records: ${ver.stdout}`);
    console.log(
      `${round === 0 ? "warm-up:" : `round ${round}:`} sha256sum ${sha.seconds.toFixed(2)} s,` +
        ` verify ${ver.seconds.toFixed(2)} s, ratio ${(ver.seconds / sha.seconds).toFixed(2)}` +
        ` (peak RSS ${ver.peakRssMb?.toFixed(0) ?? "?"} MB; CPU s: sha256sum ${sha.cpuSeconds?.toFixed(2) ?? "?"},` +
        ` verify ${ver.cpuSeconds?.toFixed(2) ?? "?"})`,
    );
    if (round > 0) runs.push({ sha, verify: ver });
  }
  const ratios = runs.map((r) => r.verify.seconds / r.sha.seconds);
  const peakRss = Math.max(...runs.map((r) => r.verify.peakRssMb ?? Number.NaN));
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
  console.log(`verify said:      ${runs[0]!.verify.stdout.trim()}`);
  console.log("");
  if (!values.reuse) console.log(`records:          ${RECORDS} (${(bytes / 1e9).toFixed(2)} GB)`);
  console.log(`rounds:           ${ROUNDS} (medians; spread in brackets)`);
  const shaSeconds = runs.map((r) => r.sha.seconds);
  const verifySeconds = runs.map((r) => r.verify.seconds);
  console.log(`sha256sum:        ${median(shaSeconds).toFixed(2)} s (${spread(shaSeconds)})`);
  console.log(`auditpack verify: ${median(verifySeconds).toFixed(2)} s (${spread(verifySeconds)})`);
  console.log(`ratio:            ${median(ratios).toFixed(2)} (${spread(ratios)}; target <= 1.25)`);
  console.log(
    `verify peak RSS:  ${Number.isNaN(peakRss) ? "unknown" : `${peakRss.toFixed(0)} MB`} (largest; target < 200)`,
  );
} finally {
  if (keep) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
