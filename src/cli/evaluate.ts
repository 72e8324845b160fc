import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { loadCatalog } from "../catalog/load.js";
import { UsageError } from "../errors.js";
import { evaluateStreaming, type StreamedFindings } from "../evaluate/evaluate.js";
import { periodFromOptions } from "../evaluate/period.js";
import { describeScope, resolveScope } from "../evaluate/scope.js";
import { type Findings, STATUSES, type Status } from "../evaluate/types.js";
import { loadWaivers } from "../evaluate/waivers.js";
import { findingsJsonChunks, writeFindingsJson } from "../report/csv.js";
import type { CliApp } from "./app.js";
import { ACCOUNTS_PER_BATCH_HELP, commaList, parseAccountsPerBatch } from "./options.js";
import { action, examples } from "./program.js";
import { requireTrustAnchors } from "./trust.js";

interface EvaluateCliOptions {
  framework: string;
  requirements?: string;
  period?: string;
  at?: string;
  waivers?: string;
  out?: string;
  failOn?: string;
  accounts?: string;
  regions?: string;
  accountsPerBatch?: string;
}

/** --fail-on fail,error -> the statuses that make the exit code 1. */
export function parseFailOn(value: string | undefined): Status[] {
  if (value === undefined) return [];
  const wanted = commaList(value.toUpperCase());
  for (const s of wanted) {
    if (s !== "FAIL" && s !== "ERROR")
      throw new UsageError(`--fail-on: "${s.toLowerCase()}" is not fail or error`, {
        hint: "e.g. --fail-on fail,error",
      });
  }
  return wanted as Status[];
}

export function registerEvaluate(program: Command): void {
  const cmd = program
    .command("evaluate")
    .description("evaluate a framework's requirements over a period from the stored evidence")
    .requiredOption("--framework <id>", "framework id, e.g. pci-dss-4.0.1 (or a catalog .yaml file)")
    .option(
      "--requirements <ids>",
      "comma-separated requirement ids, each with everything under it (e.g. 8,10,11)",
    )
    .option("--period <period>", "2026-Q3, 2026-08 or 2026-07-01..2026-09-30 (UTC)")
    .option("--at <date>", "evaluate one instant instead: a date (its last second) or a UTC timestamp")
    .option("--waivers <file>", "waivers YAML (default: waivers.yaml beside the config, when present)")
    .option(
      "--accounts <ids>",
      "comma-separated account ids (default: scope.accounts, else every account in the store)",
    )
    .option(
      "--regions <regions>",
      "comma-separated regions (default: scope.regions, else every region in the store)",
    )
    .option("--out <dir>", "also write findings.json into this directory")
    .option("--accounts-per-batch <n>", ACCOUNTS_PER_BATCH_HELP)
    .option(
      "--fail-on <statuses>",
      "exit 1 when any requirement has one of these statuses: fail,error (default: exit 0)",
    )
    .action(action<EvaluateCliOptions>(async (app, options) => runEvaluate(app, options)));
  cmd.addHelpText(
    "after",
    "\nScope: each of accounts and regions comes from the flags, else the config's scope, else every one the store\nholds evidence for; the first line printed says which.\n",
  );
  cmd.addHelpText(
    "after",
    "\nExit code: 0 once the evaluation completes, whatever it found; with --fail-on fail,error it is 1\nwhen any requirement has one of those statuses (for CI gates). 2 for bad input.\n",
  );
  examples(cmd, [
    "auditpack evaluate --framework pci-dss-4.0.1 --period 2026-Q3",
    "auditpack evaluate --framework pci-dss-4.0.1 --requirements 8,10 --at 2026-09-30 --json",
    "auditpack evaluate --framework soc2-2017 --period 2026-07-01..2026-09-30 --out ./q3 --fail-on fail,error",
  ]);
}

async function runEvaluate(app: CliApp, options: EvaluateCliOptions): Promise<number> {
  const period = periodFromOptions(options);
  const failOn = parseFailOn(options.failOn);
  const accountsPerBatch = parseAccountsPerBatch(options.accountsPerBatch);
  const catalog = loadCatalog(options.framework, { notify: app.out.notice });
  const requirements = commaList(options.requirements);
  const waiversFile = options.waivers
    ? path.resolve(app.cwd, options.waivers)
    : app.resolvePath("waivers.yaml");
  const waivers = loadWaivers(waiversFile, { explicit: options.waivers !== undefined, catalog });
  const accounts = commaList(options.accounts);
  for (const a of accounts ?? []) {
    if (!/^\d{12}$/.test(a)) throw new UsageError(`--accounts: "${a}" is not a 12-digit AWS account id`);
  }
  const regions = commaList(options.regions);
  for (const r of regions ?? []) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new UsageError(`--regions: "${r}" is not a region name`);
  }
  const store = app.store();
  const scope = await resolveScope({
    store,
    config: app.config.config,
    configFile: app.config.file,
    accounts,
    regions,
  });
  app.out.info(describeScope(scope));
  const evaluation = {
    store,
    catalog,
    requirements,
    period,
    waivers,
    now: new Date(),
    scope: { accounts: scope.accounts, regions: scope.regions },
    ...(app.config.config.assessment ? { assessment: app.config.config.assessment } : {}),
    trustedKeys: await requireTrustAnchors(app),
    ...(accountsPerBatch ? { accountsPerBatch } : {}),
  };
  // Streamed: each account's findings go to a spill file as it is judged, and are read back as
  // findings.json is written, so memory does not grow with the organisation.
  return evaluateStreaming(evaluation, async (findings) => {
    if (options.out) {
      const dir = path.resolve(app.cwd, options.out);
      await mkdir(dir, { recursive: true });
      await writeFindingsJson(findings, path.join(dir, "findings.json"));
      app.out.info(`wrote ${path.join(dir, "findings.json")}`);
    }
    if (app.out.json) app.out.resultChunks(findingsJsonChunks(findings));
    else if (!app.out.options.quiet) printTable(app, findings); // it reads every finding again
    const failing = findings.requirements.filter((r) => failOn.includes(r.status));
    return failing.length > 0 ? 1 : 0;
  });
}

function printTable(app: CliApp, f: StreamedFindings): void {
  const out = app.out;
  if (f.provenance.demonstration)
    out.info("DEMONSTRATION DATA: evidence from fixture scenarios, not a real environment");
  out.info(
    `${f.framework.name} ${f.framework.version} (${f.framework.id}), ${f.period.label}: ${f.period.start} to ${f.period.end}`,
  );
  const rows = f.requirements.map((r) => {
    const counts = new Map<Status, number>();
    let waived = 0;
    for (const c of r.checks)
      for (const x of c.findings) {
        counts.set(x.status, (counts.get(x.status) ?? 0) + 1);
        if (x.waiver) waived++;
      }
    const detail =
      r.checks.length === 0
        ? r.attachments?.length
          ? `${r.attachments.length} attachment(s)`
          : r.status === "MANUAL"
            ? "no evidence attached"
            : (r.reason ?? "")
        : `${r.checks.length} check(s); findings ${STATUSES.filter((s) => counts.get(s))
            .map((s) => `${s} ${counts.get(s)}`)
            .join(", ")}${waived ? `; ${waived} waived` : ""}`;
    return [r.id, r.status, detail] as const;
  });
  const w0 = Math.max(11, ...rows.map((r) => r[0].length));
  const w1 = 14;
  out.info(`${"requirement".padEnd(w0)}  ${"status".padEnd(w1)}  details`);
  for (const [id, status, detail] of rows) out.info(`${id.padEnd(w0)}  ${status.padEnd(w1)}  ${detail}`);
  out.info(`summary: ${STATUSES.map((s) => `${s} ${f.summary[s]}`).join(", ")}`);
  if (f.coverage?.length) {
    out.info("evidence coverage (what this evaluation could prove, and from when):");
    for (const c of f.coverage) out.info(`  ${c.summary}`);
  }
  printIgnored(out, f);
}

/** The warning section: records left out because no trusted manifest vouches for them. */
export function printIgnored(out: CliApp["out"], f: Pick<Findings, "ledger">, limit = 20): void {
  const ledger = f.ledger;
  if (!ledger?.warning) return;
  out.warn(`${ledger.warning} (verdicts do not use them):`);
  for (const r of ledger.ignored.slice(0, limit)) out.warn(`  ${r.key}: ${r.reason}`);
  if (ledger.ignored.length > limit)
    out.warn(`  ... and ${ledger.ignored.length - limit} more (findings.json ledger.ignored lists all)`);
  out.warn("check the store with `auditpack verify`; `auditpack recover` adopts records of interrupted runs");
}
