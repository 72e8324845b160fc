import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { LockLostError, leaseKey, StoreLock } from "../../src/schedule/lock.js";
import { FsStore } from "../../src/store/fs.js";
import { FakeClock } from "./fake-clock.js";

const tempStore = () => new FsStore(mkdtempSync(path.join(tmpdir(), "auditpack-lock-")));
const T0 = "2026-10-01T00:00:00Z";

describe("StoreLock", () => {
  it("gives the lock to one holder at a time and hands it on after release", async () => {
    const store = tempStore();
    const clock = new FakeClock(T0);
    const a = new StoreLock(store, "collector-x", { clock, owner: "a" });
    const b = new StoreLock(store, "collector-x", { clock, owner: "b" });

    const first = await a.acquire({ slot: "s1" });
    expect(first.acquired).toBe(true);
    const denied = await b.acquire();
    expect(denied).toMatchObject({ acquired: false, holder: { owner: "a", state: "held", seq: 1 } });

    if (!first.acquired) throw new Error("unreachable");
    await first.lease.release({ slot: "s1", status: "ok" });
    const second = await b.acquire();
    expect(second.acquired).toBe(true);
    if (!second.acquired) throw new Error("unreachable");
    expect(second.previous).toMatchObject({
      state: "released",
      owner: "a",
      data: { slot: "s1", status: "ok" },
    });
    expect(second.lease.seq).toBe(3);
    // Every transition is a new, create-only object.
    expect(await store.head(leaseKey("collector-x", 1))).toBeDefined();
    expect(await store.head(leaseKey("collector-x", 4))).toBeUndefined();
  });

  it("lets another process take an expired lease, and the late holder learns it lost", async () => {
    const store = tempStore();
    const clock = new FakeClock(T0);
    const a = new StoreLock(store, "seal", { clock, ttlMs: 1000, owner: "a" });
    const b = new StoreLock(store, "seal", { clock, ttlMs: 1000, owner: "b" });
    const held = await a.acquire();
    if (!held.acquired) throw new Error("expected the lock");

    await clock.advance(999);
    expect((await b.acquire()).acquired).toBe(false);
    await clock.advance(2);
    const taken = await b.acquire();
    expect(taken.acquired).toBe(true);

    await expect(held.lease.renew()).rejects.toBeInstanceOf(LockLostError);
    await held.lease.release();
    // The loser's release wrote nothing: b still holds the lock.
    expect(await new StoreLock(store, "seal", { clock }).current()).toMatchObject({
      owner: "b",
      state: "held",
    });
  });

  it("keeps a lease alive by renewing it before it expires", async () => {
    const store = tempStore();
    const clock = new FakeClock(T0);
    const a = new StoreLock(store, "collector-y", { clock, ttlMs: 3000 });
    const b = new StoreLock(store, "collector-y", { clock, ttlMs: 3000 });
    const held = await a.acquire();
    if (!held.acquired) throw new Error("expected the lock");
    const lost: Error[] = [];
    held.lease.keepAlive((e) => lost.push(e));

    await clock.advance(10_000, () => held.lease.settled());
    expect((await b.acquire()).acquired).toBe(false);
    expect(held.lease.seq).toBeGreaterThan(3);
    expect(lost).toEqual([]);
    await held.lease.release();
    expect(clock.pendingTimers).toBe(0);
    expect((await b.acquire()).acquired).toBe(true);
  });

  it("tells a kept-alive holder when someone else took the lock over", async () => {
    const store = tempStore();
    const clock = new FakeClock(T0);
    const a = new StoreLock(store, "collector-z", { clock, ttlMs: 3000 });
    const held = await a.acquire();
    if (!held.acquired) throw new Error("expected the lock");
    // Another process with a clock far ahead considers the lease expired and takes it.
    const ahead = new FakeClock("2026-10-01T01:00:00Z");
    expect((await new StoreLock(store, "collector-z", { clock: ahead }).acquire()).acquired).toBe(true);

    const lost: Error[] = [];
    held.lease.keepAlive((e) => lost.push(e));
    await clock.advance(1000, () => held.lease.settled());
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(LockLostError);
    expect(clock.pendingTimers).toBe(0);
  });

  it("lets exactly one of many concurrent acquirers win", async () => {
    const store = tempStore();
    const clock = new FakeClock(T0);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => new StoreLock(store, "race", { clock, owner: `p${i}` }).acquire()),
    );
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
  });

  it("finds the newest lease of a long chain from a fresh process", async () => {
    const store = tempStore();
    const clock = new FakeClock(T0);
    const lock = new StoreLock(store, "long", { clock });
    for (let i = 0; i < 37; i++) {
      const r = await lock.acquire({ i });
      if (!r.acquired) throw new Error("expected the lock");
      await r.lease.release({ i });
    }
    const fresh = new StoreLock(store, "long", { clock });
    expect(await fresh.current()).toMatchObject({ seq: 74, state: "released", data: { i: 36 } });
    const next = await fresh.acquire();
    expect(next.acquired && next.lease.seq).toBe(75);
  });

  it("rejects lock names that would escape their folder", () => {
    expect(() => new StoreLock(tempStore(), "../evidence")).toThrow(/invalid lock name/);
  });

  it("excludes across processes: critical sections in four processes never overlap", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditpack-lock-mp-"));
    const log = path.join(dir, "sections.log");
    writeFileSync(log, "");
    const iterations = 8;
    const workers = ["w1", "w2", "w3", "w4"].map(
      (id) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              "--import",
              "tsx",
              path.join(PACKAGE_ROOT, "test/schedule/lock-worker.ts"),
              path.join(dir, "store"),
              log,
              String(iterations),
              id,
            ],
            { stdio: ["ignore", "ignore", "inherit"] },
          );
          child.once("error", reject);
          child.once("exit", (code) => resolve(code ?? -1));
        }),
    );
    expect(await Promise.all(workers)).toEqual([0, 0, 0, 0]);

    const lines = readFileSync(log, "utf8").trim().split("\n");
    expect(lines).toHaveLength(4 * iterations * 2);
    for (let i = 0; i < lines.length; i += 2) {
      const [enter, exit] = [lines[i]!, lines[i + 1]!];
      expect(enter.startsWith("enter ")).toBe(true);
      // The next line is the same worker leaving: nobody entered in between.
      expect(exit).toBe(enter.replace("enter", "exit"));
    }
    const perWorker = new Map<string, number>();
    for (const line of lines)
      if (line.startsWith("enter")) perWorker.set(line, (perWorker.get(line) ?? 0) + 1);
    expect([...perWorker.values()]).toEqual([iterations, iterations, iterations, iterations]);
  }, 120_000);
});
