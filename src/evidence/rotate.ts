import { ObjectExistsError } from "../errors.js";
import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { canonicalBytes, sha256Hex } from "./canonical.js";
import {
  KEY_TRANSITION_SCHEMA,
  type KeyTransition,
  publishedKeyKey,
  transitionKey,
} from "./ledger-format.js";
import { transitionSigningBytes } from "./trust.js";

/**
 * Rotate the ledger's signing key: write a key transition signed by the old key and countersigned
 * by the new one (ledger/transitions/), and publish the new public key. Verifiers that trust the
 * old key then trust the new one from `at`; verifiers configured with the new key still trust what
 * the old key signed before `at`; the old key signs nothing valid after it.
 */
export async function rotateKey(
  store: EvidenceStore,
  oldSigner: Signer,
  newSigner: Signer,
  options: { at?: Date; reason?: string } = {},
): Promise<{ key: string; from: string; to: string; at: string }> {
  const [from, to] = [await oldSigner.keyId(), await newSigner.keyId()];
  if (from === to) throw new TypeError("the new key is the old key");
  const at = (options.at ?? new Date()).toISOString();
  const body: Omit<KeyTransition, "signature" | "acceptedBy"> = {
    schema: KEY_TRANSITION_SCHEMA,
    at,
    from: { keyId: from },
    to: { keyId: to, publicKeyPem: await newSigner.publicKeyPem() },
    ...(options.reason ? { reason: options.reason } : {}),
  };
  const signed = transitionSigningBytes(body);
  const doc: KeyTransition = {
    ...body,
    signature: await oldSigner.sign(signed),
    acceptedBy: await newSigner.sign(signed),
  };
  const bytes = canonicalBytes(doc);
  const key = transitionKey(at, to);
  await store.put(key, bytes, { contentType: "application/json", sha256: sha256Hex(bytes) });
  try {
    await store.put(publishedKeyKey(to), Buffer.from(await newSigner.publicKeyPem()), {
      contentType: "application/x-pem-file",
    });
  } catch (error) {
    if (!(error instanceof ObjectExistsError)) throw error;
  }
  return { key, from, to, at };
}
