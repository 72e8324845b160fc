import type {
  CompareOp,
  DelimitedCondition,
  DelimitedField,
  FilterPattern,
  JsonExpr,
  Selector,
  Term,
  Value,
} from "./ast.js";

/** A pattern this parser cannot read, with the position where reading stopped. */
export class FilterPatternError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position + 1}`);
    this.name = "FilterPatternError";
  }
}

const OPS: CompareOp[] = ["<=", ">=", "!=", "=", "<", ">"];
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Parse a filter pattern: `{ JSON selectors }`, `[space, delimited=fields]`, `%regex%`, or terms
 * (`ERROR "exact phrase" ?either ?or -excluded`). Throws FilterPatternError for what it cannot read.
 */
export function parseFilterPattern(pattern: string): FilterPattern {
  const text = pattern.trim();
  if (text === "") return { kind: "all" };
  if (text.startsWith("{")) {
    const p = new Reader(pattern, pattern.indexOf("{") + 1);
    const expr = p.orExpr();
    p.skip();
    p.expect("}");
    p.skip();
    if (!p.done()) throw new FilterPatternError("unexpected text after the closing brace", p.pos);
    return { kind: "json", expr };
  }
  if (text.startsWith("[")) return delimited(pattern);
  if (text.length > 1 && text.startsWith("%") && text.endsWith("%")) {
    const source = text.slice(1, -1);
    checkRegex(source, pattern.indexOf("%"));
    return { kind: "regex", source };
  }
  return { kind: "terms", terms: terms(pattern) };
}

class Reader {
  constructor(
    readonly src: string,
    public pos: number,
  ) {}

  done(): boolean {
    return this.pos >= this.src.length;
  }
  skip(): void {
    while (!this.done() && /\s/.test(this.src[this.pos]!)) this.pos++;
  }
  peek(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }
  expect(s: string): void {
    if (!this.peek(s)) throw new FilterPatternError(`expected "${s}"`, this.pos);
    this.pos += s.length;
  }
  /** A keyword (IS, NOT, EXISTS, TRUE...) followed by a boundary. */
  keyword(word: string): boolean {
    const next = this.src[this.pos + word.length];
    if (
      this.src.slice(this.pos, this.pos + word.length).toUpperCase() === word &&
      (next === undefined || !/[\w$.]/.test(next))
    ) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  orExpr(): JsonExpr {
    let left = this.andExpr();
    for (;;) {
      this.skip();
      if (!this.peek("||")) return left;
      this.pos += 2;
      left = { kind: "or", left, right: this.andExpr() };
    }
  }
  andExpr(): JsonExpr {
    let left = this.unary();
    for (;;) {
      this.skip();
      if (!this.peek("&&")) return left;
      this.pos += 2;
      left = { kind: "and", left, right: this.unary() };
    }
  }
  unary(): JsonExpr {
    this.skip();
    if (this.peek("(")) {
      this.pos++;
      const inner = this.orExpr();
      this.skip();
      this.expect(")");
      return inner;
    }
    return this.condition();
  }
  condition(): JsonExpr {
    const selector = this.selector();
    this.skip();
    if (this.keyword("IS")) {
      this.skip();
      for (const what of ["TRUE", "FALSE", "NULL"] as const)
        if (this.keyword(what)) return { kind: "is", selector, what };
      throw new FilterPatternError("expected TRUE, FALSE or NULL after IS", this.pos);
    }
    if (this.keyword("NOT")) {
      this.skip();
      if (this.keyword("EXISTS")) return { kind: "notExists", selector };
      throw new FilterPatternError("expected EXISTS after NOT", this.pos);
    }
    const op = OPS.find((o) => this.peek(o));
    if (!op)
      throw new FilterPatternError(
        `expected a comparison (=, !=, <, >, <=, >=, IS, NOT EXISTS) after ${selector.text}`,
        this.pos,
      );
    this.pos += op.length;
    this.skip();
    const at = this.pos;
    const value = this.value("json");
    if ((op === "<" || op === ">" || op === "<=" || op === ">=") && value.kind !== "number")
      throw new FilterPatternError(`${op} needs a number`, at);
    return { kind: "compare", selector, op, value };
  }
  selector(): Selector {
    const start = this.pos;
    this.expect("$");
    const path: Array<string | number> = [];
    for (;;) {
      if (this.peek(".")) {
        this.pos++;
        const m = /^[A-Za-z0-9_\-@:]+/.exec(this.src.slice(this.pos));
        if (!m) throw new FilterPatternError("expected a member name after '.'", this.pos);
        path.push(m[0]);
        this.pos += m[0].length;
      } else if (this.peek("[")) {
        const m = /^\[(\d+)\]/.exec(this.src.slice(this.pos));
        if (!m) throw new FilterPatternError("expected an array index such as [0]", this.pos);
        path.push(Number(m[1]));
        this.pos += m[0].length;
      } else break;
    }
    if (path.length === 0) throw new FilterPatternError("a selector names a member, e.g. $.eventName", start);
    return { text: this.src.slice(start, this.pos), path };
  }
  /** A quoted string, a %regex%, or a bare value up to a space or an operator. */
  value(context: "json" | "delimited"): Value {
    if (this.peek('"')) return { kind: "text", text: this.quoted() };
    if (this.peek("%")) {
      const end = this.src.indexOf("%", this.pos + 1);
      if (end < 0) throw new FilterPatternError("unterminated %regex%", this.pos);
      const source = this.src.slice(this.pos + 1, end);
      checkRegex(source, this.pos);
      this.pos = end + 1;
      return { kind: "regex", source };
    }
    const stop = context === "json" ? /[\s(){}&|]/ : /[\s,\]&|]/;
    const start = this.pos;
    while (!this.done() && !stop.test(this.src[this.pos]!)) this.pos++;
    const text = this.src.slice(start, this.pos);
    if (text === "") throw new FilterPatternError("expected a value", start);
    return NUMBER.test(text) ? { kind: "number", value: Number(text), text } : { kind: "text", text };
  }
  quoted(): string {
    const start = this.pos;
    this.pos++;
    let out = "";
    while (!this.done() && this.src[this.pos] !== '"') {
      if (this.src[this.pos] === "\\" && this.pos + 1 < this.src.length) this.pos++;
      out += this.src[this.pos++];
    }
    if (this.done()) throw new FilterPatternError("unterminated quoted string", start);
    this.pos++;
    return out;
  }
}

function checkRegex(source: string, at: number): void {
  try {
    new RegExp(source);
  } catch {
    throw new FilterPatternError("a regular expression this parser cannot read", at);
  }
}

function terms(pattern: string): Term[] {
  const r = new Reader(pattern, 0);
  const out: Term[] = [];
  for (r.skip(); !r.done(); r.skip()) {
    let mode: Term["mode"] = "required";
    if (r.peek("?")) {
      mode = "optional";
      r.pos++;
    } else if (r.peek("-") && r.pos + 1 < pattern.length && !/\s/.test(pattern[r.pos + 1]!)) {
      mode = "excluded";
      r.pos++;
    }
    if (r.peek('"')) {
      out.push({ text: r.quoted(), mode });
      continue;
    }
    const start = r.pos;
    while (!r.done() && !/\s/.test(pattern[r.pos]!)) {
      if (/["{}[\]]/.test(pattern[r.pos]!))
        throw new FilterPatternError(
          `"${pattern[r.pos]}" in an unquoted term (quote terms with non-alphanumeric characters)`,
          r.pos,
        );
      r.pos++;
    }
    out.push({ text: pattern.slice(start, r.pos), mode });
  }
  return out;
}

function delimited(pattern: string): FilterPattern {
  const r = new Reader(pattern, pattern.indexOf("[") + 1);
  const fields: DelimitedField[] = [];
  for (;;) {
    r.skip();
    if (r.peek("...")) {
      r.pos += 3;
      fields.push({ kind: "ellipsis" });
    } else {
      const name = fieldName(r);
      r.skip();
      const conditions = OPS.some((o) => r.peek(o)) ? delimitedConditions(r, name) : undefined;
      fields.push(conditions ? { kind: "field", name, conditions } : { kind: "field", name });
    }
    r.skip();
    if (r.peek(",")) {
      r.pos++;
      continue;
    }
    r.expect("]");
    r.skip();
    if (!r.done()) throw new FilterPatternError("unexpected text after the closing bracket", r.pos);
    return { kind: "delimited", fields };
  }
}

function fieldName(r: Reader): string {
  const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(r.src.slice(r.pos));
  if (!m) throw new FilterPatternError("expected a field name or ...", r.pos);
  r.pos += m[0].length;
  return m[0];
}

function delimitedConditions(r: Reader, name: string): DelimitedCondition {
  const compare = (field: string): DelimitedCondition => {
    r.skip();
    const op = OPS.find((o) => r.peek(o));
    if (!op) throw new FilterPatternError(`expected a comparison after ${field}`, r.pos);
    r.pos += op.length;
    r.skip();
    return { kind: "compare", name: field, op, value: r.value("delimited") };
  };
  let left = compare(name);
  for (;;) {
    r.skip();
    const joiner = r.peek("&&") ? "and" : r.peek("||") ? "or" : undefined;
    if (!joiner) return left;
    r.pos += 2;
    r.skip();
    left = { kind: joiner, left, right: compare(fieldName(r)) };
  }
}
