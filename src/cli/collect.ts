import path from "node:path";
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { Command } from "commander";
import { DEFAULT_TIMEOUTS, parseTimeoutSeconds } from "../aws/timeouts.js";
import { collectorIds, getCollector } from "../collectors/registry.js";
import { replayScenario, type ScenarioReplaySummary } from "../collectors/replay-scenario.js";
import {
  type CollectorResult,
  type CollectProgress,
  type CollectSummary,
  checkRecordFixtures,
  collect,
} from "../collectors/run.js";
import type { AuditpackConfig } from "../config/schema.js";
import { ExitCode, UsageError } from "../errors.js";
import { recoverInterrupted } from "../evidence/recover.js";
import { flushInterruptedRuns } from "../evidence/run-writer.js";
import type { CliApp } from "./app.js";
import { commaList, parseDate } from "./options.js";
import { action, examples } from "./program.js";
import { printRecovery } from "./recover.js";
import { trustAnchors } from "./trust.js";

interface CollectCliOptions {
  collectors?: string;
  regions?: string;
  accounts?: string;
  profile?: string;
  since?: string;
  fixtures?: string;
  recordFixtures?: string;
  pseudonymizeUsers: boolean;
  connectTimeout?: string;
  readTimeout?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;

export function registerCollect(program: Command): void {
  const cmd = program
    .command("collect")
    .description(
      "collect evidence from AWS (or a fixture scenario) into the store, through the signed ledger",
    )
    .option("--collectors <ids>", `comma-separated collector ids (default: all: ${collectorIds.join(", ")})`)
    .option("--regions <regions>", "comma-separated regions (default: scope.regions in the config)")
    .option("--accounts <ids>", "comma-separated 12-digit account ids (default: scope.accounts, or your own)")
    .option(
      "--profile <name>",
      "AWS profile for the base credentials (default: aws.profile, then the SDK chain)",
    )
    .option(
      "--since <date>",
      "start of the history window, e.g. 2026-07-01 (default: the earlier of the current quarter's start and 90 days back); with --fixtures, also where the replayed schedule starts",
    )
    .option(
      "--fixtures <scenario>",
      "replay a scenario from evidence-fixtures/ (or a recorded directory), each of its recorded runs at its own clock; no AWS",
    )
    .option("--record-fixtures <dir>", "also save what this live run saw, redacted, as a replayable scenario")
    .option(
      "--connect-timeout <seconds>",
      `seconds to connect to an AWS endpoint, per attempt (default: aws.timeouts.connect, ${DEFAULT_TIMEOUTS.connect})`,
    )
    .option(
      "--read-timeout <seconds>",
      `seconds for a request's whole response, per attempt; retries still apply (default: aws.timeouts.request, ${DEFAULT_TIMEOUTS.request})`,
    )
    .option(
      "--pseudonymize-users",
      "replace user names with keyed hashes (key in $AUDITPACK_PSEUDONYMIZE_KEY)",
      false,
    )
    .action(action<CollectCliOptions>(async (app, options) => runCollect(app, options)));
  examples(cmd, [
    "auditpack collect --fixtures demo",
    "auditpack collect --regions eu-west-1,us-east-1 --since 2026-07-01",
    "auditpack collect --collectors cloudtrail_trails,cognito_user_pools --profile audit",
    "auditpack collect --record-fixtures ./repro --collectors config_recorder",
    "auditpack collect --fixtures demo --json > summary.json",
    "auditpack collect --regions eu-west-1 --connect-timeout 3 --read-timeout 20",
  ]);
}

async function runCollect(app: CliApp, options: CollectCliOptions): Promise<number> {
  // Every option is checked before the config, the store or AWS is touched.
  const collectors = commaList(options.collectors);
  for (const id of collectors ?? []) getCollector(id);
  const regions = commaList(options.regions);
  for (const r of regions ?? []) {
    if (!REGION.test(r))
      throw new UsageError(`--regions: "${r}" is not a region name`, {
        hint: "e.g. --regions eu-west-1,us-east-1",
      });
  }
  const accounts = commaList(options.accounts);
  for (const a of accounts ?? []) {
    if (!ACCOUNT.test(a)) throw new UsageError(`--accounts: "${a}" is not a 12-digit AWS account id`);
  }
  const since = options.since === undefined ? undefined : parseDate("--since", options.since);
  const connect =
    options.connectTimeout === undefined
      ? undefined
      : parseTimeoutSeconds("--connect-timeout", options.connectTimeout);
  const request =
    options.readTimeout === undefined
      ? undefined
      : parseTimeoutSeconds("--read-timeout", options.readTimeout);

  checkRecordFixtures(options.fixtures, options.recordFixtures);
  const store = app.store({ create: true });
  const signer = await app.signer();
  // Records an interrupted run left unlisted are adopted first (or named, when they cannot be). With
  // no trusted key yet (a first run) no signed run can exist, and no key is created before validation.
  const trust = await trustAnchors(app);
  if (trust.length > 0) printRecovery(app, await recoverInterrupted(store, { signer, trust }));
  const display = new ProgressDisplay(app);
  const common = {
    store,
    signer,
    config: withTimeouts(app.config.config, connect, request),
    collectors,
    regions,
    accounts,
    since,
    pseudonymizeUsers: options.pseudonymizeUsers,
    onProgress: (event: CollectProgress) => display.update(event),
  };
  let summary: CollectSummary | ScenarioReplaySummary;
  const stopOnSignal = onStopSignal(app, () => display.stop());
  try {
    summary = options.fixtures
      ? await replayScenario({ ...common, fixtures: options.fixtures, onRun: (run) => display.run(run) })
      : await collect({
          ...common,
          profile: options.profile,
          recordFixtures: options.recordFixtures ? path.resolve(app.cwd, options.recordFixtures) : undefined,
        });
  } finally {
    stopOnSignal();
    display.stop();
  }

  if (app.out.json) {
    app.out.result({ ok: summary.status === "ok", ...summary });
  } else {
    for (const line of summaryTable(summary)) app.out.info(line);
  }
  return summary.status === "ok" ? ExitCode.ok : ExitCode.partial;
}

/** The config with --connect-timeout / --read-timeout applied over aws.timeouts. */
function withTimeouts(config: AuditpackConfig, connect?: number, request?: number): AuditpackConfig {
  if (connect === undefined && request === undefined) return config;
  const timeouts = {
    ...config.aws.timeouts,
    ...(connect ? { connect } : {}),
    ...(request ? { request } : {}),
  };
  return { ...config, aws: { ...config.aws, timeouts } };
}

/**
 * SIGINT / SIGTERM while collecting: flush every open run as a signed partial manifest marked
 * interrupted, then exit 130 / 143. Returns the function that removes the handlers.
 */
function onStopSignal(app: CliApp, before: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    before();
    app.out.warn(`${signal}: stopping; writing a signed manifest of what was collected so far`);
    void flushInterruptedRuns(signal)
      .then((runs) => {
        for (const run of runs)
          app.out.warn(
            `run ${run.runId}: ${run.records} record(s) listed in ${run.manifests.at(-1)?.key ?? "(none)"}`,
          );
      })
      .catch((error) => app.out.error(`could not flush the interrupted run: ${(error as Error).message}`))
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

const label = (r: { collector: string; account: string; region: string }) =>
  `${r.collector} ${r.account} ${r.region}`;

/** Bars per collector, account and region on a terminal; one line per finished unit otherwise. */
class ProgressDisplay {
  private multi?: MultiBar;
  private readonly bars = new Map<string, SingleBar>();
  /** While replaying a scenario's scheduled runs, plain output is one line per run (and failures). */
  private scheduledRun = false;
  private stopped = false;

  constructor(private readonly app: CliApp) {
    if (app.out.interactive) {
      this.multi = new MultiBar(
        {
          stream: app.out.errStream as NodeJS.WriteStream,
          format: "{label} |{bar}| {value}/{total} {status}",
          hideCursor: true,
          clearOnComplete: false,
          autopadding: true,
        },
        Presets.shades_classic,
      );
    }
  }

  update(event: CollectProgress): void {
    if (this.stopped) return;
    if (this.multi) this.updateBars(event);
    else if (event.type === "finish" && !this.app.out.json) {
      if (!this.scheduledRun || event.result.status === "error") this.app.out.info(resultLine(event.result));
    }
  }

  /** A fixture scenario's recorded run begins (`auditpack collect --fixtures`). */
  run(run: { index: number; total: number; clock: Date; collectors: string[] }): void {
    this.scheduledRun = run.index < run.total - 1;
    if (run.total === 1 || this.app.out.json) return;
    const kind = this.scheduledRun ? "scheduled" : "at the scenario clock";
    const line = `run ${run.index + 1}/${run.total} ${kind}, ${run.clock.toISOString()}: ${run.collectors.join(", ")}`;
    if (this.multi) this.multi.log(`${line}\n`);
    else this.app.out.info(line);
  }

  stop(): void {
    this.stopped = true;
    this.multi?.stop();
  }

  private updateBars(event: CollectProgress): void {
    const multi = this.multi!;
    const key = label(event.type === "finish" ? event.result : event);
    let bar = this.bars.get(key);
    if (!bar) {
      bar = multi.create(1, 0, { label: key.padEnd(48), status: "" });
      this.bars.set(key, bar);
    }
    if (event.type === "progress") {
      if (event.total !== undefined) bar.setTotal(Math.max(event.total, 1));
      bar.update(event.done, { status: "" });
    } else if (event.type === "finish") {
      const r = event.result;
      bar.setTotal(Math.max(bar.getTotal(), 1));
      bar.update(bar.getTotal(), {
        status: r.status === "ok" ? `ok ${r.records} records` : `ERROR ${r.error?.code ?? ""}`,
      });
    }
  }
}

function resultLine(r: CollectorResult): string {
  const where = label(r);
  if (r.status === "ok")
    return `ok     ${where}: ${r.records} records, ${formatBytes(r.bytes)}, ${formatMs(r.durationMs)}`;
  const op = r.error?.operation ? ` in ${r.error.operation}` : "";
  return `ERROR  ${where}: ${r.error?.code}${op}: ${firstLine(r.error?.message ?? "")}`;
}

/** Per collector: records, bytes, errors, duration; then each failure; then the totals. */
export function summaryTable(summary: CollectSummary | ScenarioReplaySummary): string[] {
  const rows = new Map<string, { records: number; bytes: number; errors: number; durationMs: number }>();
  for (const r of summary.results) {
    const row = rows.get(r.collector) ?? { records: 0, bytes: 0, errors: 0, durationMs: 0 };
    row.records += r.records;
    row.bytes += r.bytes;
    row.errors += r.status === "error" ? 1 : 0;
    row.durationMs = Math.max(row.durationMs, r.durationMs);
    rows.set(r.collector, row);
  }
  const table: string[][] = [["collector", "records", "bytes", "errors", "duration"]];
  for (const [collector, row] of rows) {
    table.push([
      collector,
      String(row.records),
      formatBytes(row.bytes),
      String(row.errors),
      formatMs(row.durationMs),
    ]);
  }
  const t = summary.totals;
  table.push(["total", String(t.records), formatBytes(t.bytes), String(t.errors), formatMs(t.durationMs)]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const render = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const lines = [""];
  const source =
    summary.source === "fixture" ? `fixture scenario ${summary.scenario} (demonstration data)` : "AWS";
  lines.push(
    `collected from ${source}: ${summary.accounts.length} account(s) x ${summary.regions.length} region(s)`,
  );
  lines.push(...table.map(render));
  const failed = summary.results.filter((r) => r.status === "error");
  if (failed.length > 0) {
    lines.push("", "failed (an error record was stored for each):");
    for (const r of failed) {
      const op = r.error?.operation ? ` in ${r.error.operation}` : "";
      const id = r.error?.requestId ? ` (request ${r.error.requestId})` : "";
      lines.push(`  ${label(r)}: ${r.error?.code}${op}${id}: ${firstLine(r.error?.message ?? "")}`);
    }
  }
  const status = summary.status === "ok" ? "ok" : "partial (exit 3)";
  const runs = "runs" in summary ? summary.runs : [];
  if (runs.length > 1) {
    lines.push(
      "",
      `${runs.length} runs from ${runs[0]!.clock} to ${runs.at(-1)!.clock}, last run ${summary.runId}: ${status}`,
    );
  } else {
    lines.push("", `run ${summary.runId}: ${status}`);
  }
  return lines;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? "";
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
