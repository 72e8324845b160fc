import { Command, CommanderError, Help, Option } from "commander";
import { ExitCode } from "../errors.js";
import { VERSION } from "../version.js";
import { CliApp, reportError } from "./app.js";
import { Output } from "./output.js";

/** A command's body: returns the exit code (0 when it returns nothing). */
export type CommandBody<O> = (app: CliApp, options: O, command: Command) => Promise<number | undefined>;

/**
 * Wrap a command body: build the CliApp from the global options, run it, map errors to exit codes.
 * The exit code is stored on process.exitCode so that streams flush before the process ends.
 */
export function action<O>(body: CommandBody<O>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    let app: CliApp | undefined;
    try {
      app = CliApp.fromCommand(command);
      const code = await body(app, command.opts() as O, command);
      process.exitCode = code ?? ExitCode.ok;
    } catch (error) {
      const out = app?.out ?? new Output({ json: false, quiet: false, verbose: false });
      process.exitCode = reportError(error, out);
    }
  };
}

/** Examples appended to a command's --help. */
export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`);
}

type Registration = (program: Command) => void;

interface CommandEntry {
  /** How root --help lists it (usage term and description), so root help loads no command module. */
  term: string;
  summary: string;
  load: () => Promise<Registration>;
}

/**
 * Every command, in the order --help lists them; each lives in its own file under src/cli/. They are
 * imported only when needed, so `auditpack verify` never loads the PDF renderer or the AWS SDK, and
 * root --help loads none (test/cli/help.test.ts checks the terms and summaries against the commands).
 */
const COMMANDS: Record<string, CommandEntry> = {
  init: {
    term: "init [options] [file]",
    summary: "write a commented example config file",
    load: async () => (await import("./init.js")).registerInit,
  },
  keys: {
    term: "keys",
    summary: "create, show and rotate signing keys",
    load: async () => (await import("./keys.js")).registerKeys,
  },
  collect: {
    term: "collect [options]",
    summary: "collect evidence from AWS (or a fixture scenario) into the store, through the signed ledger",
    load: async () => (await import("./collect.js")).registerCollect,
  },
  schedule: {
    term: "schedule [options]",
    summary: "run the collectors on their cron schedules and seal the ledger daily (a long-running process)",
    load: async () => (await import("./schedule.js")).registerSchedule,
  },
  seal: {
    term: "seal [options]",
    summary:
      "seal the ledger now: sign a chained seal over every signed run manifest not sealed yet (unsigned ones are refused)",
    load: async () => (await import("./seal.js")).registerSeal,
  },
  recover: {
    term: "recover [options]",
    summary:
      "adopt records an interrupted collect wrote but never listed: re-hash them and write a signed recovery manifest per run",
    load: async () => (await import("./recover.js")).registerRecover,
  },
  verify: {
    term: "verify [options] [dir]",
    summary: "check the evidence ledger: seal chain, manifest signatures, and the hash of every record",
    load: async () => (await import("./verify.js")).registerVerify,
  },
  controls: {
    term: "controls",
    summary: "browse the control catalogs: requirements, the checks that test them, manual ones, crosswalks",
    load: async () => (await import("./controls.js")).registerControls,
  },
  evaluate: {
    term: "evaluate [options]",
    summary: "evaluate a framework's requirements over a period from the stored evidence",
    load: async () => (await import("./evaluate.js")).registerEvaluate,
  },
  report: {
    term: "report [options]",
    summary:
      "evaluate a framework over a period and build a signed report package (summary and auditor PDFs, Excel, HTML, JSON, CSV, OSCAL, OCSF)",
    load: async () => (await import("./report.js")).registerReport,
  },
  "verify-report": {
    term: "verify-report [options] <package>",
    summary: "check a report package (directory or .zip): checksums, SHA256SUMS.sig and the PDF's signature",
    load: async () => (await import("./verify-report.js")).registerVerifyReport,
  },
  pull: {
    term: "pull [options]",
    summary: "copy the evidence behind one requirement for a period into a folder that verifies offline",
    load: async () => (await import("./pull.js")).registerPull,
  },
  attach: {
    term: "attach [options]",
    summary: "attach manual evidence (scan report, pentest report, signed policy) to a requirement",
    load: async () => (await import("./attach.js")).registerAttach,
  },
  share: {
    term: "share [options] <dir>",
    summary:
      "upload a report package (zipped) to the configured S3 bucket and print a presigned download URL",
    load: async () => (await import("./share.js")).registerShare,
  },
  "iam-policy": {
    term: "iam-policy [options]",
    summary: "print the least-privilege IAM policy the collectors need (read-only actions)",
    load: async () => (await import("./iam-policy.js")).registerIamPolicy,
  },
  demo: {
    term: "demo [options]",
    summary:
      "no AWS needed: replay the bundled demo fixtures (2026-Q3 of daily collection runs) into a fresh store and build a signed PCI DSS v4.0.1 package",
    load: async () => (await import("./demo.js")).registerDemo,
  },
};

/** Every command name, in --help order. */
export const commandNames = Object.keys(COMMANDS);

/** Global options that take a value, so the command name is found after them. */
const GLOBAL_VALUE_OPTIONS = new Set(["-c", "--config", "--store"]);

/** The command named in argv, or undefined (root help, version, or no command). */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return argv[i + 1];
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/**
 * The program with the command argv names loaded (`help <command>` loads that one); every other
 * command is a light placeholder with its name and summary, enough for root --help and for "did you
 * mean" suggestions. `allCommands` loads them all (tests compare the two helps).
 */
export async function buildProgram(
  argv: readonly string[] = [],
  options: { allCommands?: boolean } = {},
): Promise<Command> {
  const program = new Command("auditpack")
    .description(
      "Collect AWS audit evidence into a tamper-evident store and turn it into signed, control-by-control compliance packages.",
    )
    .version(VERSION, "-V, --version")
    .option("-c, --config <file>", "config file (default: ./auditpack.config.yaml when present)")
    .option(
      "--store <dir>",
      "use the disk evidence store at <dir> instead of the configured store (it must exist; collect and schedule create it)",
    )
    .option("--json", "machine-readable output on stdout; human text goes to stderr", false)
    .addOption(
      new Option("-v, --verbose", "print detail lines and stack traces").default(false).conflicts("quiet"),
    )
    .option("-q, --quiet", "print only errors", false)
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true)
    .configureHelp({
      sortSubcommands: false,
      showGlobalOptions: true,
      subcommandTerm(this: Help, cmd: Command): string {
        return PLACEHOLDERS.has(cmd)
          ? COMMANDS[cmd.name()]!.term
          : Help.prototype.subcommandTerm.call(this, cmd);
      },
    })
    .exitOverride();
  program.addHelpText("after", ROOT_HELP_AFTER);
  let name = commandNameOf(argv);
  if (name === "help") name = argv[argv.indexOf("help") + 1];
  const wanted = options.allCommands ? commandNames : commandNames.filter((n) => n === name);
  const loaded = new Map(await Promise.all(wanted.map(async (n) => [n, await COMMANDS[n]!.load()] as const)));
  for (const n of commandNames) {
    const register = loaded.get(n);
    if (register) register(program);
    else PLACEHOLDERS.add(program.command(n).description(COMMANDS[n]!.summary));
  }
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Commands registered by name and summary only (root help). */
const PLACEHOLDERS = new WeakSet<Command>();

const ROOT_HELP_AFTER = `
Exit codes:
  0    success
  1    verification or compliance failure (where a command says so)
  2    usage or input error (bad option, config, file, region, credentials, no reachable
       account); nothing is written
  3    partial failure (some collectors, accounts or regions failed; the rest was kept)
  141  stdout closed early (e.g. piped into head): the output stopped there, quietly

Quick start (no AWS account needed):
  $ auditpack demo            collect the bundled fixtures and build a signed PCI DSS package
  $ auditpack init            write a commented auditpack.config.yaml
`;

/** Parse argv and run; resolves to the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every parse error (unknown option, missing argument) is usage.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(error, new Output({ json: false, quiet: false, verbose: false }));
  }
  const code = Number(process.exitCode ?? ExitCode.ok);
  process.exitCode = undefined;
  return code;
}
