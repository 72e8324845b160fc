import type { Signature } from "../../signing/types.js";
import { signatureVerifies } from "../signed.js";
import { resolveTrust } from "../trust.js";
import type { VerifyState } from "./state.js";

/** Which keys this verification trusts (pinned anchors and their transitions, or the published keys). */
export async function loadTrustedKeys(state: VerifyState): Promise<void> {
  const { trustedKeys, anchors } = state.options;
  const given = anchors ?? trustedKeys?.map((pem, i) => ({ pem, source: `trusted key #${i + 1}` }));
  state.trust = state.options.trust ?? (await resolveTrust(state.store, given ? { anchors: given } : {}));
  for (const d of state.trust.damaged) state.problem("altered", d.key, d.message);
  state.summary.trust = {
    mode: state.trust.mode,
    trusted: [...state.trust.keys.values()].map((k) => ({
      keyId: k.keyId,
      source: k.source,
      ...(k.retiredAt ? { retiredAt: k.retiredAt } : {}),
    })),
    candidates: [...state.trust.candidates],
    transitions: state.trust.transitions.map((t) => ({ ...t })),
  };
  for (const t of state.trust.transitions) {
    if (!t.applied)
      state.problem("unknown-key", t.key, `key transition ${t.key} is not followed: ${t.reason}`, "warning");
  }
}

/**
 * A signature by a trusted key over the object without its signature; false after reporting.
 * `stored` is the object's bytes as read from the store: the signed bytes are cut from them
 * (signed.ts, storedSigningBytes) rather than canonicalised again.
 */
export function checkSignature(
  state: VerifyState,
  doc: { signature?: Signature },
  key: string,
  what: string,
  stored: Buffer,
  at?: string,
): boolean {
  const signature = doc.signature;
  if (!signature || typeof signature.keyId !== "string" || typeof signature.value !== "string") {
    state.problem("unsigned", key, `${what} ${key} carries no signature`);
    return false;
  }
  const found = state.trust.lookup(signature.keyId, at);
  if ("reason" in found) {
    state.problem(
      "unknown-key",
      key,
      `${what} ${key} is signed by key ${signature.keyId}, which is not trusted: ${found.reason}`,
    );
    return false;
  }
  if (!signatureVerifies(doc, stored, found.key)) {
    state.problem(
      "bad-signature",
      key,
      `${what} ${key}: signature does not verify with key ${signature.keyId}`,
    );
    return false;
  }
  return true;
}
