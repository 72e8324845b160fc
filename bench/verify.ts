/**
 * bench/verify: build a disk store of N records (default 100,000 x 10 KiB, about 1 GB) through the
 * ledger, seal it, then time `auditpack verify` (a separate process; peak RSS measured) against
 * `find | xargs sha256sum` over the same record files. Each is run twice, alternating, and the
 * second runs are reported so that both read from a warm page cache.
 *
 * verify runs from dist/ (the installed `auditpack` bin; `npm run build` refreshes it) when it
 * exists, otherwise through tsx (whose start-up time and memory then count too).
 *
 *   npx tsx bench/verify.ts [--records 100000] [--size 10240] [--keep] [--reuse <dir kept by --keep>]
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
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
  },
});
const RECORDS = Number(values.records);
const SIZE = Number(values.size);
if (!(RECORDS > 0) || !(SIZE >= 512)) throw new Error("--records must be > 0 and --size >= 512");

interface Measured {
  seconds: number;
  peakRssMb?: number;
  code: number;
  stderr: string;
}

/** Run a command, timing it; under /usr/bin/time -v when available to read its peak RSS. */
function measure(command: string, args: string[]): Promise<Measured> {
  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
  const [bin, argv] = timeBin ? [timeBin, ["-v", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(bin, argv, { stdio: ["ignore", "ignore", "pipe"], cwd: PACKAGE_ROOT });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ seconds, code: code ?? -1, stderr, peakRssMb: rss ? Number(rss[1]) / 1024 : undefined });
    });
  });
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
  for (let round = 1; round <= 2; round++) {
    const sha = await sha256sum();
    const ver = await verify();
    if (sha.code !== 0) throw new Error(`sha256sum failed: ${sha.stderr}`);
    if (ver.code !== 0) throw new Error(`verify exited ${ver.code}: ${ver.stderr}`);
    console.log(
      `round ${round}: sha256sum ${sha.seconds.toFixed(2)} s, verify ${ver.seconds.toFixed(2)} s` +
        ` (peak RSS ${ver.peakRssMb?.toFixed(0) ?? "?"} MB)`,
    );
    runs.push({ sha, verify: ver });
  }
  const { sha, verify: ver } = runs[1]!;
  const ratio = ver.seconds / sha.seconds;
  console.log("");
  if (!values.reuse) console.log(`records:          ${RECORDS} (${(bytes / 1e9).toFixed(2)} GB)`);
  console.log(`sha256sum:        ${sha.seconds.toFixed(2)} s`);
  console.log(`auditpack verify: ${ver.seconds.toFixed(2)} s`);
  console.log(`ratio:            ${ratio.toFixed(2)} (target <= 1.25)`);
  console.log(`verify peak RSS:  ${ver.peakRssMb?.toFixed(0) ?? "unknown"} MB (target < 200)`);
} finally {
  if (keep) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
