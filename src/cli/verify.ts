import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { ExitCode, UsageError } from "../errors.js";
import { readAnchors } from "../evidence/anchor.js";
import { resolveTrust } from "../evidence/trust.js";
import {
  type ExpectedHead,
  type LedgerProblem,
  type VerifyLedgerOptions,
  verifyLedger,
} from "../evidence/verify-ledger.js";
import { FsStore } from "../store/fs.js";
import { openStore } from "../store/open.js";
import type { EvidenceStore } from "../store/types.js";
import type { CliApp } from "./app.js";
import { parseDate } from "./options.js";
import { action, examples } from "./program.js";
import { trustAnchors } from "./trust.js";

interface VerifyOptions {
  since?: string;
  until?: string;
  publicKey?: string[];
  expectHead?: string[];
  minSeq?: string;
  anchor?: string[];
}

export function registerVerify(program: Command): void {
  const cmd = program
    .command("verify")
    .description("check the evidence ledger: seal chain, manifest signatures, and the hash of every record")
    .argument(
      "[dir]",
      "verify this folder laid out like a disk store (e.g. a copy or an evidence pull), offline",
    )
    .option("--since <date>", "only records collected on or after this date (YYYY-MM-DD or ISO time)")
    .option("--until <date>", "only records collected up to this date (a bare date includes that whole day)")
    .option(
      "--public-key <pem...>",
      "also trust these public key files (besides the configured signer's and the config's trust: list); keys the store publishes are only candidates",
    )
    .option(
      "--expect-head <seq:sha256...>",
      "the chain must contain this seal (e.g. a head printed by an earlier verify): fails on a shorter or different chain",
    )
    .option("--min-seq <n>", "the chain must reach at least seal #n")
    .option(
      "--anchor <store...>",
      "check the chain against every head `seal --anchor` wrote to this store (a directory or s3://bucket/prefix)",
    )
    .action(
      action<VerifyOptions>(async (app, options, command) => {
        const since = options.since === undefined ? undefined : parseDate("--since", options.since, false);
        const until = options.until === undefined ? undefined : parseDate("--until", options.until, true);
        if (since && until && since >= until) {
          throw new UsageError(`--since ${options.since} is not before --until ${options.until}`);
        }
        const expectHeads = parseExpectedHeads(options);
        const dir = command.args[0];
        const store = dir === undefined ? existingStore(app) : openDirStore(path.resolve(app.cwd, dir));
        let anchorProblems = 0;
        const trust = await resolveTrust(store, { anchors: await trustAnchors(app, options.publicKey) });
        for (const anchor of options.anchor ?? []) {
          const anchorStore = openAnchorStore(app, anchor);
          const read = await readAnchors(anchorStore, trust);
          if (read.heads.length === 0 && read.problems.length === 0)
            throw new UsageError(`--anchor ${anchor}: no anchored head in ${anchorStore.location}`, {
              hint: "anchor heads with `auditpack seal --anchor <store>`",
            });
          expectHeads.push(...read.heads);
          for (const p of read.problems) app.out.errStream.write(`rollback: ${p.message}\n`);
          anchorProblems += read.problems.length;
        }
        const excerpt = dir === undefined ? undefined : readPullIndex(path.resolve(app.cwd, dir));
        if (excerpt) app.out.info(`evidence pull for ${excerpt.control}: ${excerpt.records.size} records`);
        return runVerify(app, store, { since, until, trust, excerpt, expectHeads }, anchorProblems);
      }),
    );
  examples(cmd, [
    "auditpack verify",
    "auditpack verify --expect-head 42:3f1c…e9 --json",
    "auditpack verify --anchor s3://audit-anchors/payments",
    "auditpack verify --since 2026-07-01 --until 2026-09-30 --json",
    "auditpack verify ./evidence-copy --public-key signing-key.pub.pem",
  ]);
}

/** anchorProblems: anchors whose heads cannot be trusted, counted as errors of the verification. */
async function runVerify(
  app: CliApp,
  store: EvidenceStore,
  options: VerifyLedgerOptions,
  anchorProblems = 0,
): Promise<number> {
  const out = app.out;
  const problems: LedgerProblem[] = [];
  let unlisted = 0;
  const progress = out.interactive ? new ProgressLine(out.errStream) : undefined;
  const summary = await verifyLedger(store, {
    ...options,
    onProblem: (problem) => {
      progress?.clear();
      if (problem.kind === "unsigned" && problem.key.startsWith("evidence/")) unlisted++;
      if (problem.severity === "error") out.errStream.write(`${problem.kind}: ${problem.message}\n`);
      else out.warn(`${problem.kind}: ${problem.message}`);
      if (out.json) problems.push(problem);
    },
    onProgress: (p) =>
      progress?.show(`verified ${p.seals} seals, ${p.manifests} manifests, ${p.records} records`),
  });
  progress?.clear();
  if (anchorProblems > 0) {
    summary.errors += anchorProblems;
    summary.ok = false;
  }
  const counts = `${summary.seals} seals, ${summary.manifests} manifests, ${summary.records} records`;
  const trust = summary.trust;
  out.info(
    `trusted keys: ${trust.trusted.map((k) => `${k.keyId} (${k.source}${k.retiredAt ? `, retired ${k.retiredAt}` : ""})`).join("; ") || "none"}`,
  );
  if (trust.trusted.length === 0)
    out.errStream.write(
      "hint: no key is trusted (no configured signing key, no trust: list): pin the signer's public key with --public-key <file>\n",
    );
  for (const c of trust.candidates)
    out.info(`candidate key (published in the store, not trusted): ${c.keyId} at ${c.key}`);
  if (summary.head) {
    const h = summary.head;
    out.info(`head: seal #${h.seq} ${h.key} sha256 ${h.sha256} sealed ${h.sealedAt}`);
    out.info(`  keep it outside the store; later: auditpack verify --expect-head ${h.seq}:${h.sha256}`);
  } else out.info("head: no seal yet");
  if (unlisted > 0)
    out.errStream.write(
      `hint: ${unlisted} record(s) no manifest lists; after an interrupted collect, \`auditpack recover\` adopts those its runs wrote\n`,
    );
  if (summary.recovered > 0)
    out.info(`recovered from interrupted runs: ${summary.recovered} record(s) (listed above)`);
  if (summary.ok) out.info(`ledger intact in ${store.location}: ${counts}`);
  else
    out.errStream.write(
      `ledger NOT intact in ${store.location}: ${summary.errors} problem(s) in ${counts}\n`,
    );
  const asJson = (p: LedgerProblem) => ({ kind: p.kind, key: p.key, message: p.message });
  out.result({
    ok: summary.ok,
    summary,
    head: summary.head ?? null,
    problems: problems.filter((p) => p.severity === "error").map(asJson),
    warnings: problems.filter((p) => p.severity === "warning").map(asJson),
  });
  return summary.ok ? ExitCode.ok : ExitCode.failed;
}

const SEQ_HASH = /^(\d{1,12}):([0-9a-f]{64})$/;

/** --expect-head <seq>:<sha256> (repeatable) and --min-seq <n> as heads the chain must contain. */
function parseExpectedHeads(options: VerifyOptions): ExpectedHead[] {
  const heads: ExpectedHead[] = [];
  for (const value of options.expectHead ?? []) {
    const m = SEQ_HASH.exec(value.trim().toLowerCase());
    if (!m || Number(m[1]) < 1)
      throw new UsageError(`--expect-head "${value}" is not <seq>:<sha256>`, {
        hint: "use the head verify prints, e.g. --expect-head 42:3f1c...(64 hex digits)",
      });
    heads.push({ seq: Number(m[1]), sha256: m[2]!, source: `--expect-head ${m[1]}` });
  }
  if (options.minSeq !== undefined) {
    const n = Number(options.minSeq);
    if (!/^\d{1,12}$/.test(options.minSeq) || n < 1)
      throw new UsageError(`--min-seq "${options.minSeq}" is not a positive seal sequence number`);
    heads.push({ seq: n, source: `--min-seq ${n}` });
  }
  return heads;
}

/** The configured store; a disk store must exist (verify never creates one). */
function existingStore(app: CliApp): EvidenceStore {
  const config = app.config.config.store;
  if (config.type === "fs") {
    const root = path.resolve(app.config.baseDir, config.path);
    if (!existsSync(root))
      throw new UsageError(`store ${root} does not exist`, {
        hint: "check --store or store.path in the config (collect creates a store)",
      });
  }
  return app.store();
}

/** --anchor: s3://bucket/prefix (with the config's AWS settings), else a directory that exists. */
export function openAnchorStore(app: CliApp, value: string): EvidenceStore {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value);
  if (s3) {
    const base = app.config.config.store;
    return openStore(
      {
        type: "s3",
        bucket: s3[1]!,
        prefix: s3[2] ?? "",
        forcePathStyle: base.type === "s3" ? base.forcePathStyle : false,
        ...(base.type === "s3" && base.region ? { region: base.region } : {}),
        ...(base.type === "s3" && base.endpoint ? { endpoint: base.endpoint } : {}),
      },
      app.config.baseDir,
      app.config.config.aws,
    );
  }
  const dir = path.resolve(app.cwd, value);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--anchor ${value}: ${dir} is not a directory`, {
      hint: "give a directory or s3://bucket/prefix",
    });
  return new FsStore(dir);
}

/**
 * An evidence pull (`auditpack pull`) holds only the records its index lists, with the manifests
 * that list them and the whole seal chain: verify those records, not the rest of the ledger.
 */
function readPullIndex(dir: string): { control: string; records: Set<string> } | undefined {
  const file = path.join(dir, "index.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let index: { control?: unknown; records?: Array<{ key?: unknown }> };
  try {
    index = JSON.parse(text);
  } catch (cause) {
    throw new UsageError(`${file} is not valid JSON`, { cause, hint: "is this folder an evidence pull?" });
  }
  if (typeof index.control !== "string" || !Array.isArray(index.records)) {
    throw new UsageError(`${file} is not an evidence pull index (needs "control" and "records")`);
  }
  const records = new Set(index.records.map((r) => String(r.key)).filter((k) => k.startsWith("evidence/")));
  return { control: index.control, records };
}

function openDirStore(dir: string): FsStore {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir)
    throw new UsageError(`${dir} is not a directory`, { hint: "pass the root folder of a disk store" });
  return new FsStore(dir);
}

/** One self-overwriting status line on a terminal, redrawn at most every 200 ms. */
class ProgressLine {
  private last = 0;
  private shown = false;
  constructor(private readonly stream: NodeJS.WritableStream) {}
  show(text: string): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.stream.write(`\r\x1b[K${text}`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
  }
}
