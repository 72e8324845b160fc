import { createHmac } from "node:crypto";

/**
 * Redaction applied before anything is stored or logged (DESIGN.md: evidence keeps raw API responses,
 * minus secrets and needless personal data). Secret values become "[REDACTED]" and each is listed as
 * "<path> (<rule>)", never with its value; configuration about secrets (token validity, password
 * policy numbers) is kept. Three ways a secret is found (docs/EVIDENCE.md, "Redaction"):
 * - by name: a member named like a secret (ClientSecret, password, apiToken);
 * - by pair: {Key|Name: <a secret's name>, Value: ...} (tags, Cognito user attributes, parameters);
 * - by value: AWS access key ids, secret-key-shaped strings next to a secret-ish word, JWTs, PEM
 *   private keys and passwords in URLs, anywhere in any string (names, descriptions, filter patterns),
 * and strings holding JSON (CloudTrail requestParameters, Config InputParameters) are redacted inside.
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

/** Members of a name/value pair: {Key, Value} tags, {Name, Value} attributes, {ParameterKey, ParameterValue}. */
const PAIR_NAMES = new Set([
  "Key",
  "key",
  "Name",
  "name",
  "ParameterKey",
  "ParameterName",
  "AttributeName",
  "OptionName",
]);
const PAIR_VALUES = new Set(["Value", "value", "ParameterValue", "AttributeValue", "OptionValue", "Values"]);
/** Pairs are small objects: larger ones are not checked (keeps the check off the hot path). */
const MAX_PAIR_MEMBERS = 6;

/**
 * Rules that find secrets by their shape, in the order they are applied to a string. Each runs only
 * when its cheap marker is in the string (most strings hold none). The patterns never match a quote,
 * so they can also run on raw JSON text without breaking it.
 */
type ValueRule = {
  rule: string;
  marker: (text: string) => boolean;
} & ({ pattern: RegExp; replacement: string } | { apply: (text: string) => string });

/** After "://": user ":" password "@" (sticky, tried only where "://" occurs: URLs are common). */
const URL_USERINFO = /[^\s:@/"'?#\\]+:([^\s@/"'?#\\]+)@/y;

/** scheme://user:password@host -> scheme://user:[REDACTED]@host, for every URL in the text. */
function redactUrlPasswords(text: string): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 3)) {
    URL_USERINFO.lastIndex = at + 3;
    const m = URL_USERINFO.exec(text);
    if (!m) continue;
    const passwordStart = URL_USERINFO.lastIndex - 1 - m[1]!.length;
    out += text.slice(from, passwordStart) + REDACTED;
    from = URL_USERINFO.lastIndex - 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
const hasKeyId = (t: string): boolean => t.includes("AKIA") || t.includes("ASIA");
/** A secret-ish word before a 40-character secret key (checked only for strings that long). */
const CONTEXT_HINT = /secret|privat|credential|passw|token|key/i;
const VALUE_RULES: readonly ValueRule[] = [
  {
    rule: "private-key",
    marker: (t) => t.includes("PRIVATE KEY-----"),
    pattern:
      /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[^"]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|(?=\\?"|$))/g,
    replacement: REDACTED,
  },
  {
    rule: "jwt",
    marker: (t) => t.includes("eyJ"),
    pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
    replacement: REDACTED,
  },
  {
    rule: "url-password",
    marker: (t) => t.includes("://"),
    apply: redactUrlPasswords,
  },
  {
    // 40 base64 characters (an AWS secret access key's shape) after a secret-ish word or an access key id.
    rule: "aws-secret-key",
    marker: (t) => t.length >= 40 && CONTEXT_HINT.test(t),
    pattern:
      /((?:secret|private|credential|passw(?:or)?d|token|key)[A-Za-z0-9_-]*\\?["']?\s*[:=]\s*\\?["']?|\b(?:AKIA|ASIA)[A-Z0-9]{16}[\s,;:|/"'\\]{1,3})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gi,
    replacement: `$1${REDACTED}`,
  },
  {
    rule: "aws-access-key-id",
    marker: hasKeyId,
    pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
    replacement: REDACTED,
  },
];

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

/**
 * A free text (an error message, a log line) with the value rules applied: access keys, secret
 * keys, JWTs, private keys and URL passwords become "[REDACTED]". For text outside any payload.
 */
export function redactText(text: string): string {
  return redactValues(text, undefined, { redactions: [], pseudonymized: 0, root: "" });
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
    return typeof value === "string" ? redactString(value, at, state) : value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const pairValue = inSettings || entries.length > MAX_PAIR_MEMBERS ? undefined : secretPairValue(entries);
  let out: Record<string, unknown> | undefined;
  for (const [name, member] of entries) {
    const path: PathNode = { parent: at, key: name };
    let result: unknown;
    if (!inSettings && isSecretName(name) && holdsSecret(member)) {
      state.redactions.push(`${render(path, state.root)} (secret-name)`);
      result = REDACTED;
    } else if (name === pairValue && holdsSecret(member)) {
      state.redactions.push(`${render(path, state.root)} (secret-pair)`);
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

/**
 * In {Key: "password", Value: "..."} and the like, the member holding the secret ("Value"), when the
 * name member names a secret; undefined for every other object (almost all of them).
 */
function secretPairValue(entries: [string, unknown][]): string | undefined {
  let secretNamed = false;
  let valueKey: string | undefined;
  for (const [k, v] of entries) {
    if (PAIR_VALUES.has(k)) valueKey = k;
    else if (PAIR_NAMES.has(k) && typeof v === "string" && isSecretName(v)) secretNamed = true;
  }
  return secretNamed ? valueKey : undefined;
}

/** A string that may hold a JSON object or array (InputParameters, requestParameters members, policies). */
function looksLikeJson(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return (first === 123 && last === 125) || (first === 91 && last === 93); // {...} or [...]
}

/** A string member or list element: JSON inside it, secret-shaped values, then user ARNs. */
function redactString(text: string, at: PathNode, state: State): string {
  if (text.length < 8) return text;
  if (looksLikeJson(text)) return redactJsonString(text, at, state);
  const redacted = redactValues(text, at, state);
  return redacted === text && state.key ? pseudonymizeArn(text, state) : redacted;
}

/** Apply the value rules to one string; each rule that fires is listed once for the path. */
function redactValues(text: string, at: PathNode, state: State): string {
  let out = text;
  for (const rule of VALUE_RULES) {
    if (!rule.marker(out)) continue;
    let next: string;
    if ("apply" in rule) next = rule.apply(out);
    else {
      rule.pattern.lastIndex = 0;
      if (!rule.pattern.test(out)) continue;
      rule.pattern.lastIndex = 0;
      next = out.replace(rule.pattern, rule.replacement);
    }
    if (next === out) continue;
    out = next;
    state.redactions.push(`${render(at, state.root)} (${rule.rule})`);
  }
  return out;
}

/** Redact inside a JSON document held as a string; re-serialise only when something changed. */
function redactJsonString(text: string, at: PathNode, state: State): string {
  // A document that names nothing secret is not parsed: the value rules run on its text as it is
  // (they never match a quote, so the JSON stays valid), and most documents hold none of them.
  if (!state.key && !SECRET_NAME.test(text)) return redactValues(text, at, state);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON after all (a metric filter pattern "{ $.x = ... }"): scan it as text.
    return redactValues(text, at, state);
  }
  if (parsed === null || typeof parsed !== "object") return redactValues(text, at, state);
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
