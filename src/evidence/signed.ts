import type { Signature, Signer } from "../signing/types.js";
import { canonicalBytes } from "./canonical.js";

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
