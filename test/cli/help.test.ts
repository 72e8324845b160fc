import { describe, expect, it } from "vitest";
import { buildProgram, commandNames } from "../../src/cli/program.js";
import { runAuditpack } from "../helpers/cli.js";

describe("root --help", () => {
  it("lists every command exactly as the loaded commands describe themselves, without loading them", async () => {
    const light = await buildProgram(["--help"]);
    const full = await buildProgram(["--help"], { allCommands: true });
    expect(light.helpInformation()).toBe(full.helpInformation());
    expect(light.commands.map((c) => c.name())).toEqual(commandNames);
    // The placeholders carry no options: nothing of the commands' modules was needed.
    expect(light.commands.every((c) => c.options.length === 0)).toBe(true);
  });

  it("loads the named command only, for `<command> --help` and `help <command>`", async () => {
    for (const argv of [
      ["collect", "--help"],
      ["help", "collect"],
      ["--json", "collect"],
    ]) {
      const program = await buildProgram(argv);
      const loaded = program.commands.filter((c) => c.options.length > 0).map((c) => c.name());
      expect(loaded, argv.join(" ")).toEqual(["collect"]);
    }
  });

  it("still suggests the closest command for a typo, exit 2", () => {
    const r = runAuditpack(["colect"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("(Did you mean collect?)");
  });

  it("prints the exit codes, 141 for a closed pipe included", () => {
    const r = runAuditpack(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/141 +stdout closed early/);
    expect(r.stdout).toContain("Commands:\n  init [options] [file]");
  });
});
