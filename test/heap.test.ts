import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { GarbageCollector } from "../src/heap.js";

const MB = 1024 * 1024;
const used = () => getHeapStatistics().used_heap_size;

/** About 30 MB of small objects, like one account's decoded records. */
const workingSet = () => Array.from({ length: 400_000 }, (_, i) => ({ i, text: `record ${i}` }));

describe("GarbageCollector (a full collection between batches of an evaluation)", () => {
  it("frees what the batch before it dropped", () => {
    const heap = new GarbageCollector(0);
    let batch: unknown[] | undefined = workingSet();
    const holding = used();
    expect(batch.length).toBe(400_000);
    batch = undefined;
    heap.between();
    expect(heap.collections).toBe(1);
    expect(used()).toBeLessThan(holding - 15 * MB);
  });

  it("collects only once the heap grew by the threshold since its last collection", () => {
    const heap = new GarbageCollector(16 * MB);
    heap.between(); // whatever the test process held before: from here on, growth is counted
    const before = heap.collections;
    heap.between();
    expect(heap.collections).toBe(before);
    const kept = workingSet();
    heap.between();
    expect(heap.collections).toBe(before + 1);
    expect(kept.length).toBe(400_000);
  });

  it("does nothing while the heap grew by less than the threshold", () => {
    const heap = new GarbageCollector(1024 * MB);
    const kept = workingSet();
    heap.between();
    expect(heap.collections).toBe(0);
    expect(kept.length).toBe(400_000);
  });
});
