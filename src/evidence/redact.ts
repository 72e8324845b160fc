import { createHmac } from "node:crypto";

/**
 * Redaction applied before anything is stored or logged (DESIGN.md: evidence keeps raw API responses,
 * minus secrets and needless personal data). Secret values become "[REDACTED]" and their paths are
 * listed; configuration about secrets (token validity, password policy numbers) is kept.
 */

export const REDACTED = "[REDACTED]";

/** Member names whose string values are secrets. */
const SECRET_NAME = /secret|password|passwd|passphrase|token|credential|private_?key|api_?key|session_?key/i;

/**
 * Secret-sounding names whose string values are not secrets: pagination cursors, token validity
 * units ("hours"), and Lambda trigger ARNs.
 */
const NOT_SECRET = new Set(
  [
    "NextToken",
    "nextToken",
    "PaginationToken",
    "nextForwardToken",
    "nextBackwardToken",
    "PreTokenGeneration",
    "TokenSigningKeyId",
  ].map((n) => n.toLowerCase()),
);

/** Objects whose members describe tokens or passwords (units, policy settings) rather than hold them. */
const SETTINGS_OBJECTS = new Set(["tokenvalidityunits", "passwordpolicy", "refreshtokenrotation"]);

/** String members that hold JSON documents which may carry secrets (CloudTrail events, Config items). */
const JSON_DOCUMENTS = new Set(["CloudTrailEvent", "configuration", "supplementaryConfiguration"]);

/** Member names that hold a person's user name. */
const USER_NAME = /^user_?name$/i;
/** An IAM or STS ARN naming a user: arn:aws:iam::123456789012:user/path/alice. */
const USER_ARN = /^(arn:aws[a-z-]*:iam::\d{12}:user\/(?:[^/]+\/)*)([^/]+)$/;

export interface RedactOptions {
  /** Replace user names with a keyed hash (HMAC-SHA256), so the same user stays recognisable. */
  pseudonymizeKey?: string | Buffer;
}

export interface Redacted<T> {
  value: T;
  /** Paths of redacted members, e.g. userPools[0].clients[1].ClientSecret. */
  redactions: string[];
  /** How many user names were pseudonymised. */
  pseudonymized: number;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.has(name.toLowerCase());
}

/** `pseudo:` + the first 16 hex digits of HMAC-SHA256(key, name). */
export function pseudonym(name: string, key: string | Buffer): string {
  return `pseudo:${createHmac("sha256", key).update(name, "utf8").digest("hex").slice(0, 16)}`;
}

/** A redacted deep copy of `value`; the input is never modified. */
export function redact<T>(value: T, options: RedactOptions = {}, rootPath = ""): Redacted<T> {
  const state: State = { redactions: [], pseudonymized: 0, key: options.pseudonymizeKey, root: rootPath };
  const out = walk(value, undefined, false, state) as T;
  return { value: out, redactions: state.redactions, pseudonymized: state.pseudonymized };
}

interface State {
  root: string;
  redactions: string[];
  pseudonymized: number;
  key?: string | Buffer;
}

/** A member's path, built only when something is redacted (most members never need one). */
type PathNode = { parent: PathNode | undefined; key: string | number } | undefined;

function render(node: PathNode, root: string): string {
  const parts: (string | number)[] = [];
  for (let n = node; n; n = n.parent) parts.push(n.key);
  let out = root;
  for (const key of parts.reverse())
    out = typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${key}` : key;
  return out;
}

/** Copy-on-write: an unchanged subtree is returned as is, so clean evidence is never copied. */
function walk(value: unknown, at: PathNode, inSettings: boolean, state: State): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const result = walk(value[i], { parent: at, key: i }, inSettings, state);
      if (result !== value[i]) {
        out ??= value.slice();
        out[i] = result;
      }
    }
    return out ?? value;
  }
  if (value === null || typeof value !== "object") {
    return typeof value === "string" && state.key ? pseudonymizeArn(value, state) : value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    const path: PathNode = { parent: at, key: name };
    let result: unknown;
    if (!inSettings && isSecretName(name) && holdsSecret(member)) {
      state.redactions.push(render(path, state.root));
      result = REDACTED;
    } else if (state.key && USER_NAME.test(name) && typeof member === "string" && member !== "") {
      state.pseudonymized++;
      result = pseudonym(member, state.key);
    } else if (JSON_DOCUMENTS.has(name) && typeof member === "string") {
      result = redactJsonString(member, path, state);
    } else {
      result = walk(member, path, inSettings || SETTINGS_OBJECTS.has(name.toLowerCase()), state);
    }
    if (result !== member) {
      out ??= copyOf(value as Record<string, unknown>);
      // defineProperty keeps a member named "__proto__" as data.
      Object.defineProperty(out, name, {
        value: result,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out ?? value;
}

function copyOf(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Strings (or lists of strings) are secret values; numbers, booleans and objects are settings. */
function holdsSecret(member: unknown): boolean {
  if (typeof member === "string") return member !== "";
  return Array.isArray(member) && member.length > 0 && member.every((m) => typeof m === "string");
}

/** Redact inside a JSON document held as a string; re-serialise only when something changed. */
function redactJsonString(text: string, at: PathNode, state: State): string {
  // Most documents name nothing secret: skip parsing them.
  if (!state.key && !SECRET_NAME.test(text)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (parsed === null || typeof parsed !== "object") return text;
  const before = { redactions: state.redactions.length, pseudonymized: state.pseudonymized };
  const result = walk(parsed, at, false, state);
  const changed =
    state.redactions.length !== before.redactions || state.pseudonymized !== before.pseudonymized;
  return changed ? JSON.stringify(result) : text;
}

function pseudonymizeArn(value: string, state: State): string {
  const m = USER_ARN.exec(value);
  if (!m || !state.key) return value;
  state.pseudonymized++;
  return `${m[1]}${pseudonym(m[2]!, state.key)}`;
}
