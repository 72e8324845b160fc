import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { AuditpackError, ExitCode, UsageError } from "../errors.js";
import { type LedgerProblem, type VerifyLedgerOptions, verifyLedger } from "../evidence/verify-ledger.js";
import { FsStore } from "../store/fs.js";
import type { EvidenceStore } from "../store/types.js";
import type { CliApp } from "./app.js";
import { parseDate } from "./options.js";
import { action, examples } from "./program.js";

interface VerifyOptions {
  since?: string;
  until?: string;
  publicKey?: string[];
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
      "trust only these public key files (default: the keys published in the store)",
    )
    .action(
      action<VerifyOptions>(async (app, options, command) => {
        const since = options.since === undefined ? undefined : parseDate("--since", options.since, false);
        const until = options.until === undefined ? undefined : parseDate("--until", options.until, true);
        if (since && until && since >= until) {
          throw new UsageError(`--since ${options.since} is not before --until ${options.until}`);
        }
        const dir = command.args[0];
        const store = dir === undefined ? app.store() : openDirStore(path.resolve(app.cwd, dir));
        const trust = await trustOptions(app, options, dir !== undefined);
        const excerpt = dir === undefined ? undefined : readPullIndex(path.resolve(app.cwd, dir));
        if (excerpt) app.out.info(`evidence pull for ${excerpt.control}: ${excerpt.records.size} records`);
        return runVerify(app, store, { since, until, ...trust, excerpt });
      }),
    );
  examples(cmd, [
    "auditpack verify",
    "auditpack verify --since 2026-07-01 --until 2026-09-30 --json",
    "auditpack verify ./evidence-copy --public-key signing-key.pub.pem",
  ]);
}

async function runVerify(app: CliApp, store: EvidenceStore, options: VerifyLedgerOptions): Promise<number> {
  const out = app.out;
  const problems: LedgerProblem[] = [];
  const progress = out.interactive ? new ProgressLine(out.errStream) : undefined;
  const summary = await verifyLedger(store, {
    ...options,
    onProblem: (problem) => {
      progress?.clear();
      if (problem.severity === "error") out.errStream.write(`${problem.kind}: ${problem.message}\n`);
      else out.warn(`${problem.kind}: ${problem.message}`);
      if (out.json) problems.push(problem);
    },
    onProgress: (p) =>
      progress?.show(`verified ${p.seals} seals, ${p.manifests} manifests, ${p.records} records`),
  });
  progress?.clear();
  const counts = `${summary.seals} seals, ${summary.manifests} manifests, ${summary.records} records`;
  if (summary.ok) out.info(`ledger intact in ${store.location}: ${counts}`);
  else
    out.errStream.write(
      `ledger NOT intact in ${store.location}: ${summary.errors} problem(s) in ${counts}\n`,
    );
  const asJson = (p: LedgerProblem) => ({ kind: p.kind, key: p.key, message: p.message });
  out.result({
    ok: summary.ok,
    summary,
    problems: problems.filter((p) => p.severity === "error").map(asJson),
    warnings: problems.filter((p) => p.severity === "warning").map(asJson),
  });
  return summary.ok ? ExitCode.ok : ExitCode.failed;
}

/** --public-key files when given; else the store's published keys plus the configured signer's key. */
async function trustOptions(
  app: CliApp,
  options: VerifyOptions,
  offline: boolean,
): Promise<Pick<VerifyLedgerOptions, "trustedKeys" | "extraTrustedKeys">> {
  if (options.publicKey?.length) {
    return { trustedKeys: options.publicKey.map((file) => readPublicKey(path.resolve(app.cwd, file))) };
  }
  if (offline) return {};
  try {
    return { extraTrustedKeys: [await (await app.signer({ create: false })).publicKeyPem()] };
  } catch (error) {
    // No local key (e.g. verifying on an auditor's machine): the published keys still apply.
    if (error instanceof UsageError) return {};
    if (error instanceof AuditpackError)
      app.out.warn(`cannot read the configured signer's key: ${error.message}`);
    else throw error;
    return {};
  }
}

function readPublicKey(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new UsageError(`cannot read --public-key ${file}: ${(cause as Error).message}`, { cause });
  }
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
