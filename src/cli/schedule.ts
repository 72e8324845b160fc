import type { Command } from "commander";
import { ExitCode, UsageError } from "../errors.js";
import {
  DEFAULT_DAILY_CRON,
  DEFAULT_HOURLY_CRON,
  DEFAULT_SEAL_CRON,
  jsonLineLogger,
  planSchedules,
  Scheduler,
} from "../schedule/scheduler.js";
import { openSigner } from "../signing/open.js";
import { action, examples } from "./program.js";

interface ScheduleOptions {
  once: boolean;
  grace: string;
}

export function registerSchedule(program: Command): void {
  const cmd = program
    .command("schedule")
    .description(
      "run the collectors on their cron schedules and seal the ledger daily (a long-running process)",
    )
    .option(
      "--once",
      "run everything that is due now (missed or never run), then exit: for system cron or CI",
      false,
    )
    .option(
      "--grace <seconds>",
      "on SIGTERM/SIGINT, let runs in flight finish for this long before stopping them",
      "5",
    )
    .addHelpText(
      "after",
      `
Schedules come from \`schedules: [{collector, cron}]\` in the config; cron expressions are in UTC.
Without any, configuration snapshots run daily ("${DEFAULT_DAILY_CRON}") and cloudtrail_activity
hourly ("${DEFAULT_HOURLY_CRON}"). The ledger is sealed daily ("${DEFAULT_SEAL_CRON}").
At start, a collector whose last fire time passed without a record of its own runs at once.
A lock in the store keeps two schedulers on one store from running the same collector at once.
Every event is one JSON line on stdout. SIGTERM or SIGINT stops taking new work, lets runs in
flight finish (aborted after --grace), writes their manifests and exits 0.`,
    )
    .action(
      action<ScheduleOptions>(async (app, options) => {
        const graceSeconds = Number(options.grace);
        if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
          throw new UsageError(`--grace "${options.grace}": expected a number of seconds, 0 or more`);
        }
        const { config, file, baseDir } = app.config;
        const source = file ?? "the default config";
        // Validate everything before the first run, so a typo fails now with exit 2, not at 3 a.m.
        planSchedules(config, source);
        if (config.scope.regions.length === 0 && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION) {
          throw new UsageError(`no regions to collect in ${source}`, {
            hint: "list them in scope.regions in the config, or set AWS_REGION",
          });
        }
        const scheduler = new Scheduler({
          store: app.store({ create: true }),
          // stdout carries only the JSON event lines, so the "created a key" notice goes to stderr.
          signer: await openSigner(config.signing, baseDir, {
            createIfMissing: true,
            aws: config.aws,
            log: (line) => app.out.errStream.write(`${line}\n`),
          }),
          config,
          source,
          log: jsonLineLogger(process.stdout),
          shutdownGraceMs: graceSeconds * 1000,
        });

        if (options.once) {
          const reports = await scheduler.runOnce();
          const failed = reports.filter((r) => r.status === "failed");
          if (failed.some((r) => r.error instanceof UsageError)) return ExitCode.usage;
          return failed.length > 0 || reports.some((r) => r.status === "partial")
            ? ExitCode.partial
            : ExitCode.ok;
        }

        await scheduler.start();
        await new Promise<void>((resolve) => {
          const onSignal = (signal: NodeJS.Signals) => {
            process.off("SIGTERM", onSignal);
            process.off("SIGINT", onSignal);
            // A second signal gets Node's default handling: stop at once.
            scheduler.stop(signal).then(resolve, resolve);
          };
          process.on("SIGTERM", onSignal);
          process.on("SIGINT", onSignal);
        });
        return ExitCode.ok;
      }),
    );
  examples(cmd, [
    "auditpack schedule",
    "auditpack schedule --once            # from system cron or CI",
    "auditpack schedule -c prod.yaml --grace 30 | tee -a auditpack-schedule.log",
  ]);
}
