import { Command, CommanderError, Option } from "commander";
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

/**
 * Every command, in the order --help lists them; each lives in its own file under src/cli/. They are
 * imported only when needed, so `auditpack verify` never loads the PDF renderer or the AWS SDK.
 */
const COMMANDS: Record<string, () => Promise<Registration>> = {
  init: async () => (await import("./init.js")).registerInit,
  keys: async () => (await import("./keys.js")).registerKeys,
  collect: async () => (await import("./collect.js")).registerCollect,
  schedule: async () => (await import("./schedule.js")).registerSchedule,
  seal: async () => (await import("./seal.js")).registerSeal,
  recover: async () => (await import("./recover.js")).registerRecover,
  verify: async () => (await import("./verify.js")).registerVerify,
  controls: async () => (await import("./controls.js")).registerControls,
  evaluate: async () => (await import("./evaluate.js")).registerEvaluate,
  report: async () => (await import("./report.js")).registerReport,
  "verify-report": async () => (await import("./verify-report.js")).registerVerifyReport,
  pull: async () => (await import("./pull.js")).registerPull,
  attach: async () => (await import("./attach.js")).registerAttach,
  share: async () => (await import("./share.js")).registerShare,
  "iam-policy": async () => (await import("./iam-policy.js")).registerIamPolicy,
  demo: async () => (await import("./demo.js")).registerDemo,
};

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

/** The program with the command argv names, or with every command (root help, typos, `help`). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command("auditpack")
    .description(
      "Collect AWS audit evidence into a tamper-evident store and turn it into signed, control-by-control compliance packages.",
    )
    .version(VERSION, "-V, --version")
    .option("-c, --config <file>", "config file (default: ./auditpack.config.yaml when present)")
    .option("--store <dir>", "use a disk evidence store at <dir> instead of the configured store")
    .option("--json", "machine-readable output on stdout; human text goes to stderr", false)
    .addOption(
      new Option("-v, --verbose", "print detail lines and stack traces").default(false).conflicts("quiet"),
    )
    .option("-q, --quiet", "print only errors", false)
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .exitOverride();
  program.addHelpText(
    "after",
    `
Exit codes:
  0  success
  1  verification or compliance failure (where a command says so)
  2  usage or input error (bad option, config, file)
  3  partial failure (some collectors, accounts or regions failed; the rest was kept)

Quick start (no AWS account needed):
  $ auditpack demo            collect the bundled fixtures and build a signed PCI DSS package
  $ auditpack init            write a commented auditpack.config.yaml
`,
  );
  const name = commandNameOf(argv);
  const versionOnly = name === undefined && argv.some((a) => a === "-V" || a === "--version");
  const names = versionOnly
    ? []
    : name !== undefined && Object.hasOwn(COMMANDS, name)
      ? [name]
      : Object.keys(COMMANDS);
  for (const register of await Promise.all(names.map((n) => COMMANDS[n]!()))) register(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

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
