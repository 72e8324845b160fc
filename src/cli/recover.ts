import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { type RecoverResult, recoverInterrupted } from "../evidence/recover.js";
import type { CliApp } from "./app.js";
import { action, examples } from "./program.js";
import { trustAnchors } from "./trust.js";

interface RecoverCliOptions {
  dryRun: boolean;
}

export function registerRecover(program: Command): void {
  const cmd = program
    .command("recover")
    .description(
      "adopt records an interrupted collect wrote but never listed: re-hash them and write a signed recovery manifest per run",
    )
    .option("--dry-run", "only list what would be recovered and what would not", false)
    .action(action<RecoverCliOptions>(async (app, options) => runRecover(app, options)));
  cmd.addHelpText(
    "after",
    "\nA record is adopted only when its envelope names a run whose signed start is in the ledger, that run\nnever finished, and the run's scope covers it. Anything else is listed as not adopted and stays\nunlisted (verify keeps reporting it). `collect` runs the same recovery before it starts.\nExit code: 0 when nothing is left unlisted, 1 when some records could not be adopted.\n",
  );
  examples(cmd, ["auditpack recover", "auditpack recover --dry-run --json"]);
}

async function runRecover(app: CliApp, options: RecoverCliOptions): Promise<number> {
  const store = app.store();
  const result = await recoverInterrupted(store, {
    signer: await app.signer({ create: false }),
    trust: await trustAnchors(app),
    dryRun: options.dryRun,
  });
  printRecovery(app, result, options.dryRun);
  app.out.result({ ok: result.rejected.length === 0, ...result });
  return result.rejected.length === 0 ? ExitCode.ok : ExitCode.failed;
}

/** One line per recovered run and per record left out; nothing when the store had nothing unlisted. */
export function printRecovery(app: CliApp, result: RecoverResult, dryRun = false): void {
  if (result.unlisted === 0) {
    app.out.detail("recover: every record is listed in a trusted manifest");
    return;
  }
  for (const run of result.runs) {
    const where = run.manifest ? ` in ${run.manifest.key}` : "";
    app.out.info(
      `${dryRun ? "would recover" : "recovered"} ${run.records.length} record(s) of interrupted run ${run.runId} (started ${run.startedAt})${where}`,
    );
  }
  for (const r of result.rejected) app.out.warn(`not recovered: ${r.key}: ${r.reason}`);
}
