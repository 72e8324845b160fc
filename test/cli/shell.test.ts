import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runAuditpack } from "../helpers/cli.js";

const tempDir = () => mkdtempSync(path.join(tmpdir(), "auditpack-cli-"));

describe("the CLI shell", () => {
  it("prints help with exit codes and examples, exit 0", () => {
    const r = runAuditpack(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: auditpack");
    expect(r.stdout).toContain("Exit codes:");
    expect(r.stdout).toContain("--json");
  });

  it("prints the package version", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    const r = runAuditpack(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("exits 2 with a suggestion on an unknown command", () => {
    const r = runAuditpack(["initt"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'initt'");
    expect(r.stderr).toContain("init");
  });

  it("exits 2 on an unknown option", () => {
    const r = runAuditpack(["init", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });

  it("init writes a config that loads, and refuses to overwrite it", () => {
    const dir = tempDir();
    const first = runAuditpack(["init"], { cwd: dir });
    expect(first.code).toBe(0);
    const file = path.join(dir, "auditpack.config.yaml");
    expect(statSync(file).size).toBeGreaterThan(100);
    const second = runAuditpack(["init"], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("already exists");
    expect(second.stderr).toContain("--force");
  });

  it("init --json reports the file on stdout only", () => {
    const dir = tempDir();
    const r = runAuditpack(["--json", "init", "custom.yaml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, file: path.join(dir, "custom.yaml") });
    expect(r.stderr).toContain("wrote");
  });

  it("a malformed config is a usage error that names the field, and nothing is written", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "auditpack.config.yaml"), "store:\n  type: fs\n  paht: ./x\n");
    const r = runAuditpack(["verify"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('store: unknown key "paht"');
    expect(existsSync(path.join(dir, "auditpack-store"))).toBe(false);
    expect(existsSync(path.join(dir, "x"))).toBe(false);
  });
});
