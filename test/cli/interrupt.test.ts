import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";

/**
 * `collect --fixtures demo` in a child process, stopped by SIGKILL or SIGINT once the store holds
 * `atRecords` evidence records: the next `collect` or `recover` adopts what the run left unlisted
 * and `verify` exits 0, listing the recovered records.
 */
const HISTORY = ["--collectors", "cloudtrail_activity,config_resource_timeline"];

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "auditpack-interrupt-"));
  const config = path.join(dir, "auditpack.yaml");
  writeFileSync(config, "signing:\n  type: ed25519\n  keyFile: ./keys/signing-key.pem\n");
  const store = path.join(dir, "store");
  return { dir, store, base: ["--config", config, "--store", store] };
}

function countRecords(store: string): number {
  const dir = path.join(store, "evidence");
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".json")).length;
}

/** Start collect, wait until `atRecords` records exist, send `signal`, and wait for the exit. */
async function stopAt(
  base: string[],
  store: string,
  args: string[],
  atRecords: number,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; records: number; stderr: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", ...base, "collect", "--fixtures", "demo", ...args],
    { cwd: PACKAGE_ROOT, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, sig) => resolve({ code, signal: sig })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + 120_000;
  while (!done && countRecords(store) < atRecords && Date.now() < deadline) await sleep(15);
  if (!done) child.kill(signal);
  const result = await exited;
  return { ...result, records: countRecords(store), stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  process.exitCode = undefined;
});

async function verifyJson(base: string[]) {
  const result = await runCliInProcess([...base, "--json", "verify"]);
  return { code: result.code, doc: JSON.parse(result.stdout), stderr: result.stderr };
}

describe("interrupted collect", () => {
  for (const atRecords of [1, 150, 330]) {
    it(`kill -9 after ${atRecords} record(s): recover adopts what the run left, verify exits 0 and lists them`, async () => {
      const { store, base } = setup();
      const killed = await stopAt(base, store, HISTORY, atRecords, "SIGKILL");
      expect(killed.signal, killed.stderr).toBe("SIGKILL");
      const before = await verifyJson(base);
      expect(before.code).toBe(1);
      expect(before.doc.problems.every((p: { kind: string }) => p.kind === "unsigned")).toBe(true);

      const recovered = await runCliInProcess([...base, "--json", "recover"]);
      expect(recovered.code, recovered.stderr).toBe(0);
      const doc = JSON.parse(recovered.stdout);
      expect(doc.rejected).toEqual([]);
      expect(doc.runs).toHaveLength(1);

      const after = await verifyJson(base);
      expect(after.code, after.stderr).toBe(0);
      expect(after.doc.summary.recovered).toBe(killed.records);
      expect(after.doc.warnings.some((w: { kind: string }) => w.kind === "recovered")).toBe(true);
    }, 180_000);
  }

  it("kill -9 during the scheduled replay: the next collect recovers first, then verify exits 0", async () => {
    const { store, base } = setup();
    const killed = await stopAt(base, store, [], 700, "SIGKILL");
    expect(killed.signal).toBe("SIGKILL");
    const next = await runCliInProcess([
      ...base,
      "collect",
      "--fixtures",
      "demo",
      "--collectors",
      "config_recorder",
    ]);
    expect(next.code, next.stderr).toBe(0);
    const after = await verifyJson(base);
    expect(after.code, after.stderr).toBe(0);
    expect(after.doc.problems).toEqual([]);
  }, 240_000);

  it("SIGINT flushes a signed partial manifest; the rest is recovered; verify exits 0", async () => {
    const { store, base } = setup();
    const stopped = await stopAt(base, store, HISTORY, 150, "SIGINT");
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain("SIGINT: stopping; writing a signed manifest");
    const interim = await verifyJson(base);
    expect(interim.doc.warnings.some((w: { kind: string }) => w.kind === "interrupted")).toBe(true);
    expect(interim.doc.summary.records).toBeGreaterThan(0);
    await runCliInProcess([...base, "recover"]);
    const after = await verifyJson(base);
    expect(after.code, after.stderr).toBe(0);
    expect(after.doc.summary.records).toBe(stopped.records);
  }, 180_000);
});
