import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full garbage collection where a long run has just dropped a working set it will build again:
 * one account's records and histories between two batches of an evaluation, one output's rows
 * between two outputs of a report package (report/package.ts).
 *
 * Left to itself, V8 lets garbage grow to several times the live heap and raises that allowance as
 * a run goes on, so a 60-second evaluation of 32 accounts peaked 1.3-1.5 times higher than a
 * 15-second one of 8, though each holds one account at a time (issue 11, bench/scale.ts). Collected
 * here, the peak is one batch's working set over what survives, whatever the organisation's size.
 *
 * It collects only when the heap grew by `threshold` bytes since the last collection here, so small
 * runs (and test processes with a large heap of their own) do not pay for it. `gc` is reached the
 * way jest's --logHeapUsage reaches it: the --expose-gc flag, then a fresh context, which has the
 * function. Where that is refused, nothing is collected and nothing else changes.
 */
export class GarbageCollector {
  private liveAfterLast = getHeapStatistics().used_heap_size;
  /** Collections made, for tests and benchmarks. */
  collections = 0;

  constructor(private readonly threshold = 32 * 1024 * 1024) {}

  /** Collect now if the heap grew past the threshold since the last collection. */
  between(): void {
    if (getHeapStatistics().used_heap_size - this.liveAfterLast < this.threshold) return;
    const gc = exposedGc();
    if (!gc) return;
    gc();
    this.collections++;
    this.liveAfterLast = getHeapStatistics().used_heap_size;
  }
}

let gcFunction: (() => void) | null | undefined;

function exposedGc(): (() => void) | null {
  gcFunction ??= findGc();
  return gcFunction;
}

function findGc(): (() => void) | null {
  const global = (globalThis as { gc?: () => void }).gc;
  if (typeof global === "function") return global;
  try {
    setFlagsFromString("--expose-gc");
    const fn = runInNewContext("gc") as unknown;
    return typeof fn === "function" ? (fn as () => void) : null;
  } catch {
    return null;
  }
}
