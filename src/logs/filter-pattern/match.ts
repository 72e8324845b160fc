import type {
  CompareOp,
  DelimitedCondition,
  DelimitedField,
  FilterPattern,
  JsonExpr,
  Selector,
  Value,
} from "./ast.js";

/**
 * Does a parsed pattern match one log event? `message` is the event as CloudWatch Logs stores it
 * (CloudTrail writes each event as one JSON document).
 */
export function matchesEvent(pattern: FilterPattern, message: string): boolean {
  switch (pattern.kind) {
    case "all":
      return true;
    case "regex":
      return new RegExp(pattern.source).test(message);
    case "terms": {
      const has = (t: string) => message.includes(t);
      const optional = pattern.terms.filter((t) => t.mode === "optional");
      return (
        pattern.terms.every((t) =>
          t.mode === "required" ? has(t.text) : t.mode === "excluded" ? !has(t.text) : true,
        ) &&
        (optional.length === 0 || optional.some((t) => has(t.text)))
      );
    }
    case "json": {
      let doc: unknown;
      try {
        doc = JSON.parse(message);
      } catch {
        return false; // a JSON pattern never matches a non-JSON event
      }
      return evalJson(pattern.expr, doc);
    }
    case "delimited":
      return matchDelimited(pattern.fields, words(message));
  }
}

function select(doc: unknown, selector: Selector): { found: boolean; value?: unknown } {
  let cur: unknown = doc;
  for (const step of selector.path) {
    if (typeof step === "number") {
      if (!Array.isArray(cur) || step >= cur.length) return { found: false };
      cur = cur[step];
    } else {
      if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !(step in (cur as object)))
        return { found: false };
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: cur };
}

function evalJson(e: JsonExpr, doc: unknown): boolean {
  switch (e.kind) {
    case "and":
      return evalJson(e.left, doc) && evalJson(e.right, doc);
    case "or":
      return evalJson(e.left, doc) || evalJson(e.right, doc);
    case "notExists":
      return !select(doc, e.selector).found;
    case "is": {
      const { found, value } = select(doc, e.selector);
      if (!found) return false;
      return e.what === "NULL" ? value === null : value === (e.what === "TRUE");
    }
    case "compare": {
      const { found, value } = select(doc, e.selector);
      // A condition on a member the event does not have is false, `!=` included: only NOT EXISTS
      // matches a missing member.
      if (!found) return false;
      return compare(value, e.op, e.value);
    }
  }
}

function compare(actual: unknown, op: CompareOp, expected: Value): boolean {
  if (op !== "=" && op !== "!=") {
    if (typeof actual !== "number" || expected.kind !== "number") return false;
    const v = expected.value;
    return op === "<" ? actual < v : op === ">" ? actual > v : op === "<=" ? actual <= v : actual >= v;
  }
  const eq = equals(actual, expected);
  if (eq === undefined) return false; // objects, arrays and null compare with nothing
  return op === "=" ? eq : !eq;
}

function equals(actual: unknown, expected: Value): boolean | undefined {
  if (actual === null || typeof actual === "object") return undefined;
  if (typeof actual === "number" && expected.kind === "number") return actual === expected.value;
  const text = String(actual);
  if (expected.kind === "regex") return new RegExp(expected.source).test(text);
  return wildcard(expected.text).test(text);
}

const wildcardCache = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else literally, case-sensitive. */
export function wildcard(text: string): RegExp {
  let re = wildcardCache.get(text);
  if (!re) {
    re = new RegExp(
      `^${text
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
      "s",
    );
    wildcardCache.set(text, re);
  }
  return re;
}

/** Split a space-delimited message into fields; "quoted" and [bracketed] runs stay one field. */
export function words(message: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g;
  for (let m = re.exec(message); m; m = re.exec(message)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

function matchDelimited(fields: DelimitedField[], values: string[]): boolean {
  const go = (fi: number, vi: number): boolean => {
    if (fi === fields.length) return vi === values.length;
    const f = fields[fi]!;
    if (f.kind === "ellipsis") {
      for (let k = vi; k <= values.length; k++) if (go(fi + 1, k)) return true;
      return false;
    }
    if (vi >= values.length) return false;
    if (f.conditions && !evalDelimited(f.conditions, bindings(fields, values, fi, vi))) return false;
    return go(fi + 1, vi + 1);
  };
  return go(0, 0);
}

/** Conditions may name other fields (`[a, b = 1 || a = 2]`): bind names to the fields at their place when aligned. */
function bindings(fields: DelimitedField[], values: string[], fi: number, vi: number): Map<string, string> {
  const out = new Map<string, string>();
  const offset = vi - fi;
  fields.forEach((f, i) => {
    const v = values[i + offset];
    if (f.kind === "field" && v !== undefined) out.set(f.name, v);
  });
  const own = fields[fi];
  if (own?.kind === "field") out.set(own.name, values[vi]!);
  return out;
}

function evalDelimited(c: DelimitedCondition, values: Map<string, string>): boolean {
  if (c.kind !== "compare") {
    const l = evalDelimited(c.left, values);
    return c.kind === "and" ? l && evalDelimited(c.right, values) : l || evalDelimited(c.right, values);
  }
  const raw = values.get(c.name);
  if (raw === undefined) return false;
  const actual: unknown = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (c.op !== "=" && c.op !== "!=" && typeof actual !== "number") return false;
  return compare(actual, c.op, c.value);
}
