/**
 * Fields of a reconstructed state that no evidence establishes. A state inferred backwards past a
 * value-setting event (UpdateUserPool, PutRetentionPolicy...) keeps every other field but not the
 * ones that event set: their earlier values are unknown. The field keeps whatever value the object
 * holds (often undefined), so the set is what tells "unknown" from "absent in the API" (a log group
 * with no retentionInDays never expires). Object spread copies symbol keys, so the set follows a
 * state through `{ ...state }`.
 */
export const UNKNOWN: unique symbol = Symbol("auditpack.unknownFields");

type WithUnknown = { [UNKNOWN]?: ReadonlySet<string> };

export function unknownFields(value: object): ReadonlySet<string> {
  return (value as WithUnknown)[UNKNOWN] ?? new Set();
}

/** A copy of `value` with `fields` unknown (added to those already unknown). */
export function withUnknown<T extends object>(value: T, fields: Iterable<string>): T {
  const set = new Set([...unknownFields(value), ...fields]);
  const copy = { ...value } as T & WithUnknown;
  if (set.size > 0) copy[UNKNOWN] = set;
  else delete copy[UNKNOWN];
  return copy;
}

/** A copy of `value` in which `fields` are known again (an event or observation fixed them). */
export function withKnown<T extends object>(value: T, fields: Iterable<string>): T {
  const set = new Set(unknownFields(value));
  for (const f of fields) set.delete(f);
  const copy = { ...value } as T & WithUnknown;
  if (set.size > 0) copy[UNKNOWN] = set;
  else delete copy[UNKNOWN];
  return copy;
}

/** True when the object or anything in it has an unknown field. */
export function hasUnknown(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || typeof value !== "object" || seen.has(value)) return false;
  seen.add(value);
  if (unknownFields(value).size > 0) return true;
  return Object.values(value).some((v) => hasUnknown(v, seen));
}

export interface ReadLog {
  /** Every property path read, e.g. "passwordPolicy.minimumLength", "trails[].isLogging". */
  paths: Set<string>;
  /** Paths read that were unknown in the state. */
  unknown: Set<string>;
}

/**
 * A read-only view of `value` that logs every property a reader (a check) touches, with array
 * elements written as `[]`. This is how auditpack knows which fields a check reads: the vocabulary
 * test runs every check through it, and the evaluator uses it to tell a verdict drawn from unknown
 * fields (NOT_COVERED) from one the evidence supports.
 */
export function recordReads<T extends object>(
  value: T,
  log: ReadLog = { paths: new Set(), unknown: new Set() },
) {
  const cache = new WeakMap<object, unknown>();
  const wrap = (target: object, prefix: string): unknown => {
    const cached = cache.get(target);
    if (cached) return cached;
    const isArray = Array.isArray(target);
    const proxy = new Proxy(target, {
      get(t, prop, receiver) {
        const v = Reflect.get(t, prop, receiver);
        if (typeof prop === "symbol") return v;
        if (isArray && (prop === "length" || typeof v === "function")) return v;
        const path = isArray ? `${prefix}[]` : prefix ? `${prefix}.${prop}` : prop;
        if (!isArray) {
          log.paths.add(path);
          if (unknownFields(t).has(prop)) log.unknown.add(path);
        }
        return v !== null && typeof v === "object" ? wrap(v as object, path) : v;
      },
      has(t, prop) {
        if (typeof prop === "string" && !isArray) {
          const path = prefix ? `${prefix}.${prop}` : prop;
          log.paths.add(path);
          if (unknownFields(t).has(prop)) log.unknown.add(path);
        }
        return Reflect.has(t, prop);
      },
      set() {
        throw new TypeError("a check must not modify the state it evaluates");
      },
    });
    cache.set(target, proxy);
    return proxy;
  };
  return { view: wrap(value, "") as T, log };
}
