import { describe, expect, it } from "vitest";
import { mapBounded, mapLimit, runBounded } from "../src/concurrency.js";

const tick = () => new Promise((r) => setTimeout(r, 1));

/** Counts calls in flight so a test can see the limit hold. */
function tracker() {
  let inFlight = 0;
  let peak = 0;
  return {
    get peak() {
      return peak;
    },
    async run<R>(value: R, fail = false): Promise<R> {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight--;
      if (fail) throw new Error(`item ${String(value)} failed`, { cause: { code: "Boom" } });
      return value;
    },
  };
}

describe("mapBounded", () => {
  it("keeps the input order and never exceeds the limit", async () => {
    const t = tracker();
    const out = await mapBounded([5, 4, 3, 2, 1, 0], 2, (n) => t.run(n * 10));
    expect(out).toEqual([50, 40, 30, 20, 10, 0]);
    expect(t.peak).toBe(2);
  });

  it("stop: rethrows the first error unchanged (cause kept) and starts nothing after it", async () => {
    const t = tracker();
    const started: number[] = [];
    const error = await mapBounded([0, 1, 2, 3, 4, 5], 1, (n) => {
      started.push(n);
      return t.run(n, n === 2);
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("item 2 failed");
    expect((error as Error).cause).toEqual({ code: "Boom" });
    expect(started).toEqual([0, 1, 2]);
  });

  it("settle: runs every item and reports each outcome", async () => {
    const t = tracker();
    const out = await mapBounded([0, 1, 2], 3, (n) => t.run(n, n === 1), { failure: "settle" });
    expect(out.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((out[1] as PromiseRejectedResult).reason.cause).toEqual({ code: "Boom" });
  });

  it("pulls an async iterable only when a slot is free (back-pressure)", async () => {
    const t = tracker();
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield i;
      }
    }
    let maxAhead = 0;
    let finished = 0;
    const out = await mapBounded(source(), 2, async (n) => {
      maxAhead = Math.max(maxAhead, pulled - finished);
      const v = await t.run(n);
      finished++;
      return v;
    });
    expect(out).toEqual([0, 1, 2, 3, 4, 5]);
    expect(maxAhead).toBeLessThanOrEqual(2);
  });

  it("a failing listing fails the run", async () => {
    async function* broken() {
      yield 1;
      throw new Error("listing failed");
    }
    await expect(mapBounded(broken(), 2, async (n) => n)).rejects.toThrow("listing failed");
  });

  it("rejects a limit that is not a positive integer", async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(mapBounded([1], bad, async () => 1)).rejects.toThrow(RangeError);
    }
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stopping"));
    await expect(mapBounded([1, 2], 1, async (n) => n, { signal: controller.signal })).rejects.toThrow(
      "stopping",
    );
  });

  it("runBounded and mapLimit are its settle and stop forms", async () => {
    expect((await runBounded([1], 1, async () => Promise.reject(new Error("x"))))[0]!.status).toBe(
      "rejected",
    );
    await expect(mapLimit([1], 1, async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
