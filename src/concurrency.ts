/**
 * The one bounded-concurrency helper: at most `limit` calls of `fn` in flight, results in input
 * order. Items may be an array or an async iterable (pulled only when a slot is free, so a listing
 * streams with back-pressure).
 *
 * failure "stop" (default): the first error stops new work, waits for calls in flight, and is
 * rethrown unchanged (its `cause` chain intact). "settle": every item runs; each result is a
 * PromiseSettledResult, as Promise.allSettled gives.
 *
 * results false (with "stop"): nothing is kept per item, for work done for its effect over a
 * stream of any length (the ledger verifier re-hashing every record).
 */
export interface BoundedOptions {
  failure?: "stop" | "settle";
  results?: boolean;
  signal?: AbortSignal;
}

type Items<T> = Iterable<T> | AsyncIterable<T>;
type Fn<T, R> = (item: T, index: number) => Promise<R>;

export function mapBounded<T, R>(
  items: Items<T>,
  limit: number,
  fn: Fn<T, R>,
  options: BoundedOptions & { failure: "settle"; results?: true },
): Promise<PromiseSettledResult<R>[]>;
export function mapBounded<T, R>(
  items: Items<T>,
  limit: number,
  fn: Fn<T, R>,
  options: BoundedOptions & { failure?: "stop"; results: false },
): Promise<undefined>;
export function mapBounded<T, R>(
  items: Items<T>,
  limit: number,
  fn: Fn<T, R>,
  options?: BoundedOptions & { failure?: "stop"; results?: true },
): Promise<R[]>;
export async function mapBounded<T, R>(
  items: Items<T>,
  limit: number,
  fn: Fn<T, R>,
  options: BoundedOptions = {},
): Promise<R[] | PromiseSettledResult<R>[] | undefined> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError("concurrency limit must be a positive integer");
  const settle = options.failure === "settle";
  const keep = options.results !== false;
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
        const value = await fn(next.item, next.index);
        if (keep) settled[next.index] = { status: "fulfilled", value };
      } catch (reason) {
        if (settle) {
          settled[next.index] = { status: "rejected", reason };
          continue;
        }
        failed ??= { error: reason };
        return;
      }
    }
  };
  const workers = Array.from({ length: limit }, worker);
  const outcomes = await Promise.allSettled(workers);
  if (failed) throw failed.error;
  // A failing listing (or an abort) ends the run like a failing item.
  const broken = outcomes.find((o) => o.status === "rejected");
  if (broken) throw (broken as PromiseRejectedResult).reason;
  if (!keep) return undefined;
  if (settle) return settled;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}
