import { describe, expect, it } from "vitest";
import { mapBounded } from "../src/concurrency.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tick = () => sleep(1);

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

  it("returns results in input order when calls finish out of order", async () => {
    const finished: number[] = [];
    const out = await mapBounded([0, 1, 2, 3, 4, 5], 3, async (n) => {
      await sleep((6 - n) * 3);
      finished.push(n);
      return `r${n}`;
    });
    expect(out).toEqual(["r0", "r1", "r2", "r3", "r4", "r5"]);
    expect(finished).not.toEqual([0, 1, 2, 3, 4, 5]);
  });

  for (const failure of ["stop", "settle"] as const) {
    it(`${failure}: never has more than the limit in flight, over arrays and async iterables`, async () => {
      for (const limit of [1, 2, 5]) {
        let inFlight = 0;
        let peak = 0;
        const fn = async (ms: number) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await sleep(ms);
          inFlight--;
        };
        const delays = Array.from({ length: 25 }, (_, i) => (i * 7) % 5);
        async function* listed() {
          for (const d of delays) yield d;
        }
        for (const items of [delays, listed()]) {
          if (failure === "settle") await mapBounded(items, limit, fn, { failure });
          else await mapBounded(items, limit, fn);
        }
        expect(peak, `limit ${limit}`).toBe(limit);
      }
    });
  }

  it("settle: a failure stops nothing, and the limit holds (the runner's account-region pairs)", async () => {
    const t = tracker();
    const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, (n) => t.run(n * 10, n === 2), {
      failure: "settle",
    });
    expect(t.peak).toBe(3);
    expect(out.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      10,
      "item 20 failed",
      30,
      40,
      50,
      60,
      70,
    ]);
  });

  it("stop: the error first in time wins, and calls in flight finish before it is thrown", async () => {
    let inFlight = 0;
    const error = await mapBounded([0, 1, 2], 3, async (n) => {
      inFlight++;
      await sleep(n === 0 ? 20 : n === 1 ? 1 : 30);
      inFlight--;
      throw new Error(`item ${n}`, { cause: n });
    }).catch((e: unknown) => e);
    if (!(error instanceof Error)) throw new Error("expected a rejection");
    expect(error.message).toBe("item 1");
    expect(error.cause).toBe(1);
    expect(inFlight).toBe(0);
  });

  it("results false: runs every item for its effect, keeps nothing, and stops on the first error", async () => {
    const seen: number[] = [];
    const none = await mapBounded([1, 2, 3], 2, async (n) => void seen.push(n), { results: false });
    expect(none).toBeUndefined();
    expect(seen.sort()).toEqual([1, 2, 3]);

    const t = tracker();
    const started: number[] = [];
    const error = await mapBounded(
      [0, 1, 2, 3],
      1,
      (n) => {
        started.push(n);
        return t.run(n, n === 1);
      },
      { results: false },
    ).catch((e: unknown) => e);
    if (!(error instanceof Error)) throw new Error("expected a rejection");
    expect(error.message).toBe("item 1 failed");
    expect(error.cause).toEqual({ code: "Boom" });
    expect(started).toEqual([0, 1]);
  });

  it("an empty input gives an empty result", async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
    expect(await mapBounded([], 4, async () => 1, { failure: "settle" })).toEqual([]);
  });
});
