/**
 * The parsed form of a CloudWatch Logs filter pattern (CloudWatch Logs User Guide, "Filter pattern
 * syntax for metric filters, subscription filters, filter log events, and Live Tail").
 */
export type FilterPattern =
  | { kind: "all" } // the empty pattern matches every event
  | { kind: "json"; expr: JsonExpr }
  | { kind: "terms"; terms: Term[] }
  | { kind: "regex"; source: string }
  | { kind: "delimited"; fields: DelimitedField[] };

export type JsonExpr =
  | { kind: "and" | "or"; left: JsonExpr; right: JsonExpr }
  | { kind: "compare"; selector: Selector; op: CompareOp; value: Value }
  | { kind: "is"; selector: Selector; what: "TRUE" | "FALSE" | "NULL" }
  | { kind: "notExists"; selector: Selector };

export type CompareOp = "=" | "!=" | "<" | ">" | "<=" | ">=";

/** `$.a.b[0]`: member names and array indexes, in order. */
export type Selector = { text: string; path: Array<string | number> };

/** A comparison value: text (with `*` wildcards when unquoted or quoted alike), a number, or %regex%. */
export type Value =
  | { kind: "text"; text: string }
  | { kind: "number"; value: number; text: string }
  | { kind: "regex"; source: string };

/** A term of an unstructured pattern: required, optional (`?term`, any one of them) or excluded (`-term`). */
export interface Term {
  text: string;
  mode: "required" | "optional" | "excluded";
}

/** A field of a space-delimited pattern: a name with optional conditions, or `...` for any fields. */
export type DelimitedField =
  | { kind: "ellipsis" }
  | { kind: "field"; name: string; conditions?: DelimitedCondition };

export type DelimitedCondition =
  | { kind: "and" | "or"; left: DelimitedCondition; right: DelimitedCondition }
  | { kind: "compare"; name: string; op: CompareOp; value: Value };
