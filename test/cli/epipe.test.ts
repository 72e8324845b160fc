import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EPIPE_EXIT_CODE } from "../../src/cli/epipe.js";
import { auditpackArgv, spawnAsync } from "../helpers/spawn.js";

const SCOPE_LINE =
  "scope: accounts (none) (discovered from the store); regions (none) (discovered from the store)\n";
/** An empty store has no signing key yet: evaluate says that nothing can be vouched for. */
const NO_KEY_WARNING =
  "warning: no trusted key (no signing key yet, no trust: list in the config): no evidence is vouched for; create one with `auditpack keys generate` or list public keys under trust:\n";
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** `auditpack <args> | <reader>` in a real shell: auditpack's own exit status and its stderr. */
async function pipeInto(args: string[], reader: string) {
  const cwd = mkdtempSync(path.join(tmpdir(), "auditpack-epipe-"));
  mkdirSync(path.join(cwd, "store")); // an empty store: evaluate reads an existing one only
  const command = `${auditpackArgv(args).map(quote).join(" ")} 2>"$ERR" | ${reader} >/dev/null; echo "\${PIPESTATUS[0]}"`;
  const err = path.join(mkdtempSync(path.join(tmpdir(), "auditpack-epipe-err-")), "stderr");
  const r = await spawnAsync(["bash", "-c", command], { cwd, env: { ERR: err } });
  expect(r.code, r.stderr).toBe(0);
  return { status: Number(r.stdout.trim()), stderr: readFileSync(err, "utf8"), cwd };
}

describe("a closed stdout pipe", { timeout: 120_000 }, () => {
  it("evaluate --json | head -c 100 ends quietly with status 141 (128 + SIGPIPE)", async () => {
    // ~96 KB of findings for an empty store: more than the pipe holds, so a write meets the closed pipe.
    const r = await pipeInto(
      ["--store", "./store", "--json", "evaluate", "--framework", "pci-dss-4.0.1", "--period", "2026-Q3"],
      "head -c 100",
    );
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    // Only the scope line and the no-key warning (human text goes to stderr under --json).
    expect(r.stderr).toBe(SCOPE_LINE + NO_KEY_WARNING);
    expect(r.status).toBe(EPIPE_EXIT_CODE);
    expect(readdirSync(r.cwd)).toEqual(["store"]); // evaluate wrote nothing
  });

  it("the whole output read is exit 0 as usual", async () => {
    const r = await pipeInto(
      ["--store", "./store", "--json", "evaluate", "--framework", "pci-dss-4.0.1", "--period", "2026-Q3"],
      "cat",
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(SCOPE_LINE + NO_KEY_WARNING);
  });

  it("help collect | head -n 1 never prints a stack trace", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await pipeInto(["help", "collect"], "head -n 1");
      expect([0, EPIPE_EXIT_CODE]).toContain(r.status);
      expect(r.stderr).toBe("");
    }
  });
});
