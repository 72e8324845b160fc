/**
 * A list made again each time it is iterated (from a spill file, or from partials in memory): a
 * streamed evaluation's findings are written and counted without ever being held as one array.
 * findings.json writes it as an array (report/csv.ts).
 */
export class Lazy<T> implements Iterable<T> {
  constructor(private readonly make: () => Iterable<T>) {}

  [Symbol.iterator](): Iterator<T> {
    return this.make()[Symbol.iterator]();
  }

  /** The list as an array (what the in-memory Findings hold). */
  toArray(): T[] {
    return [...this];
  }
}
