import { createHash } from "node:crypto";

/**
 * Stable identifiers derived from a name (not from the PRNG), so adding one resource does not change
 * every other resource's ids.
 */
function digest(name: string): Buffer {
  return createHash("sha256").update(name).digest();
}

function fromAlphabet(name: string, alphabet: string, length: number): string {
  const bytes = digest(name);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  return out;
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** IAM unique id: AROA (role), AIDA (user) + 17 characters. */
export function iamId(prefix: "AROA" | "AIDA", name: string): string {
  return prefix + fromAlphabet(`${prefix}:${name}`, UPPER_ALNUM, 17);
}

/** Access key id in the style of AWS documentation examples (ends in EXAMPLE), never a real key. */
export function accessKeyId(prefix: "AKIA" | "ASIA", name: string): string {
  return `${prefix}${fromAlphabet(`key:${name}`, UPPER_ALNUM, 9)}EXAMPLE`;
}

export function hexId(name: string, length: number): string {
  return digest(name).toString("hex").slice(0, length);
}

export function uuidFor(name: string): string {
  const h = hexId(name, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** Cognito app client id: 26 lowercase alphanumerics. */
export function cognitoClientId(name: string): string {
  return fromAlphabet(`client:${name}`, "abcdefghijklmnopqrstuvwxyz0123456789", 26);
}

/** Config rule id, e.g. config-rule-a1b2c3. */
export function configRuleId(name: string): string {
  return `config-rule-${fromAlphabet(`rule:${name}`, "abcdefghijklmnopqrstuvwxyz0123456789", 6)}`;
}
