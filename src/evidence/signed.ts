import type { KeyObject } from "node:crypto";
import type { Signature, Signer } from "../signing/types.js";
import { verifySignature } from "../signing/verify.js";
import { canonicalBytes, canonicalJson } from "./canonical.js";

/** The bytes a ledger object's signature covers: its canonical JSON without the signature field. */
export function signingBytes(doc: object): Buffer {
  const { signature: _signature, ...body } = doc as { signature?: unknown };
  return canonicalBytes(body);
}

export async function signDocument<T extends object>(
  body: T,
  signer: Signer,
): Promise<T & { signature: Signature }> {
  return { ...body, signature: await signer.sign(signingBytes(body)) };
}

/**
 * Whether a ledger object's signature verifies with `key`: over the stored bytes less the signature
 * member when they are canonical (fast), else over the parsed object canonicalised again.
 */
export function signatureVerifies(doc: { signature?: Signature }, stored: Buffer, key: KeyObject): boolean {
  const signature = doc.signature;
  if (!signature || typeof signature.value !== "string") return false;
  const cut = storedSigningBytes(stored, signature);
  return (
    (cut !== undefined && verifySignature(cut, signature, key)) ||
    verifySignature(signingBytes(doc), signature, key)
  );
}

const SIGNATURE_MEMBER = Buffer.from('"signature":');

/**
 * The bytes a signature covers, cut from the object as stored: the ledger stores canonical JSON,
 * so the stored bytes less the signature member are the canonical JSON that was signed. Cutting
 * costs a scan of the bytes; canonicalising a 5,000-record manifest again costs ~10 µs a record.
 * Sound without trusting the stored form: the member cut is the top-level "signature" member
 * (outside any string, at depth 1), so the cut bytes parse to exactly the object the verifier
 * uses, less its signature; a signature that verifies over them covers all that the verifier reads.
 * undefined when the stored bytes do not hold the member in canonical form at the top level; the
 * caller then canonicalises the parsed object (which also covers a store that re-serialised it).
 */
export function storedSigningBytes(stored: Buffer, signature: Signature): Buffer | undefined {
  let value: string;
  try {
    value = canonicalJson(signature);
  } catch {
    return undefined;
  }
  const member = Buffer.concat([SIGNATURE_MEMBER, Buffer.from(value, "utf8")]);
  const start = stored.indexOf(member);
  if (start < 1 || !atTopLevel(stored, start)) return undefined;
  const end = start + member.length;
  // Take out one separating comma with the member: the one before it, else the one after it.
  if (stored[start - 1] === 0x2c) return Buffer.concat([stored.subarray(0, start - 1), stored.subarray(end)]);
  if (stored[start - 1] === 0x7b && stored[end] === 0x2c)
    return Buffer.concat([stored.subarray(0, start), stored.subarray(end + 1)]);
  if (stored[start - 1] === 0x7b && stored[end] === 0x7d)
    return Buffer.concat([stored.subarray(0, start), stored.subarray(end)]);
  return undefined;
}

/**
 * Whether `offset` in JSON text lies directly inside the outermost object, outside any string.
 * Works on UTF-8 bytes: quotes, backslashes and brackets never occur inside a multi-byte character.
 */
function atTopLevel(json: Buffer, offset: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < offset; i++) {
    const c = json[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return depth === 1 && !inString;
}
