import { constants, copyFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { DEFAULT_CONFIG_FILE } from "../config/load.js";
import { UsageError } from "../errors.js";
import { templatePath } from "../paths.js";
import { action, examples } from "./program.js";

export function registerInit(program: Command): void {
  const cmd = program
    .command("init")
    .description("write a commented example config file")
    .argument("[file]", "where to write it", DEFAULT_CONFIG_FILE)
    .option("--force", "overwrite an existing file", false)
    .action(
      action<{ force: boolean }>(async (app, options, command) => {
        const file = path.resolve(app.cwd, command.args[0] ?? DEFAULT_CONFIG_FILE);
        if (existsSync(file) && !options.force) {
          throw new UsageError(`${file} already exists`, { hint: "pass --force to overwrite it" });
        }
        const flags = options.force ? 0 : constants.COPYFILE_EXCL;
        copyFileSync(templatePath("auditpack.config.example.yaml"), file, flags);
        app.out.info(`wrote ${file}`);
        app.out.result({ ok: true, file });
        return 0;
      }),
    );
  examples(cmd, ["auditpack init", "auditpack init config/prod.yaml --force"]);
}
