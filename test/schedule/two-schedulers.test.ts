import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Ledger } from "../../src/evidence/ledger.js";
import { verifyLedger } from "../../src/evidence/verify-ledger.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { tempStoreAndSigner } from "./helpers.js";

function runWorker(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(PACKAGE_ROOT, "test/schedule/scheduler-worker.ts"), ...args],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code: code ?? -1, stdout }));
  });
}

describe("two schedulers on one disk store", () => {
  it("never run the same collector at once, never run a slot twice, and the ledger verifies", async () => {
    const env = await tempStoreAndSigner("two");
    const log = path.join(env.dir, "runs.log");
    writeFileSync(log, "");
    const storeDir = path.join(env.dir, "store");
    // Start both together once both have loaded (tsx start-up takes seconds on a busy machine).
    const startAt = String(Date.now() + 15_000);
    const results = await Promise.all(
      ["A", "B"].map((id) => runWorker([storeDir, env.keyFile, log, id, startAt])),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0]);

    // Per collector, starts and ends alternate: nobody started while another run was open.
    const open = new Map<string, string>();
    let runs = 0;
    for (const line of readFileSync(log, "utf8").trim().split("\n")) {
      const [what, collector, worker] = line.split(" ") as [string, string, string];
      if (what === "start") {
        expect(
          open.get(collector),
          `${collector} started by ${worker} while running in ${open.get(collector)}`,
        ).toBeUndefined();
        open.set(collector, worker);
        runs++;
      } else {
        expect(open.get(collector)).toBe(worker);
        open.delete(collector);
      }
    }

    const events = results.flatMap((r) =>
      r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
    const startedRuns = events.filter((e) => e.event === "run.started");
    expect(startedRuns).toHaveLength(runs);
    const slots = startedRuns.map((e) => `${(e.collectors as string[]).join()}@${e.slot}`);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots).toEqual(
      expect.arrayContaining([
        "config_recorder@2026-10-02T06:00:00.000Z",
        "cloudtrail_trails@2026-10-02T06:30:00.000Z",
      ]),
    );
    // Both processes tried every slot; whatever one of them ran, the other saw the lock or the finished slot.
    expect(new Set(events.filter((e) => e.event === "scheduler.started").map((e) => e.worker))).toEqual(
      new Set(["A", "B"]),
    );
    const skipped = events.filter((e) => e.event === "run.skipped");
    expect(skipped.length).toBeGreaterThan(0);
    for (const s of skipped)
      expect(["running in another process", "already collected for this slot"]).toContain(s.reason);
    // Per process: two catch-up runs at 00:45, then two slots in each of six hours.
    expect(skipped.length + startedRuns.length).toBe(2 * 14);
    const finished = events.filter((e) => e.event === "run.finished");
    expect(finished).toHaveLength(runs);
    for (const f of finished) expect(f.status).toBe("ok");

    await new Ledger(env.store, env.signer).seal({ now: new Date("2026-10-02T07:00:00Z") });
    const summary = await verifyLedger(env.store);
    expect(summary).toMatchObject({ ok: true, errors: 0, warnings: 0, manifests: runs });
  }, 180_000);
});
