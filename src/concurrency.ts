/**
 * The one bounded-concurrency helper: at most `limit` calls of `fn` in flight, results in input
 * order. Items may be an array or an async iterable (pulled only when a slot is free, so a listing
 * streams with back-pressure).
 *
 * failure "stop" (default): the first error stops new work, waits for calls in flight, and is
 * rethrown unchanged (its `cause` chain intact). "settle": every item runs; each result is a
 * PromiseSettledResult, as Promise.allSettled gives.
 */
export interface BoundedOptions {
  failure?: "stop" | "settle";
  signal?: AbortSignal;
}

export function mapBounded<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options: BoundedOptions & { failure: "settle" },
): Promise<PromiseSettledResult<R>[]>;
export function mapBounded<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options?: BoundedOptions & { failure?: "stop" },
): Promise<R[]>;
export async function mapBounded<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options: BoundedOptions = {},
): Promise<R[] | PromiseSettledResult<R>[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError("concurrency limit must be a positive integer");
  const settle = options.failure === "settle";
  const source =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
  const settled: PromiseSettledResult<R>[] = [];
  let index = 0;
  let done = false;
  let failed: { error: unknown } | undefined;
  // One pull at a time: async iterators must not be asked for the next item concurrently.
  let pulling: Promise<unknown> = Promise.resolve();
  const pull = (): Promise<{ item: T; index: number } | undefined> => {
    const next = pulling.then(async () => {
      if (done || failed) return undefined;
      const step = await source.next();
      if (step.done) {
        done = true;
        return undefined;
      }
      return { item: step.value, index: index++ };
    });
    pulling = next.catch(() => undefined);
    return next;
  };
  const worker = async (): Promise<void> => {
    while (true) {
      options.signal?.throwIfAborted();
      const next = await pull();
      if (!next) return;
      try {
        settled[next.index] = { status: "fulfilled", value: await fn(next.item, next.index) };
      } catch (reason) {
        settled[next.index] = { status: "rejected", reason };
        if (!settle) {
          failed ??= { error: reason };
          return;
        }
      }
    }
  };
  const workers = Array.from({ length: limit }, worker);
  const outcomes = await Promise.allSettled(workers);
  if (failed) throw failed.error;
  // A failing listing (or an abort) ends the run like a failing item.
  const broken = outcomes.find((o) => o.status === "rejected");
  if (broken) throw (broken as PromiseRejectedResult).reason;
  if (settle) return settled;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

/** Every item, each result settled (one failure does not stop the others). */
export function runBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  return mapBounded(items, limit, fn, { failure: "settle" });
}

/** Fail fast: the first error stops new work and is rethrown. */
export function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  return mapBounded(items, limit, fn);
}
