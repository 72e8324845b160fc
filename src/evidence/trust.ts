import { createPublicKey, type KeyObject } from "node:crypto";
import { UsageError } from "../errors.js";
import type { Signature } from "../signing/types.js";
import { keyIdOf, verifySignature } from "../signing/verify.js";
import type { EvidenceStore } from "../store/types.js";
import { canonicalBytes } from "./canonical.js";
import {
  KEY_TRANSITION_SCHEMA,
  KEYS_PREFIX,
  type KeyTransition,
  TRANSITIONS_PREFIX,
  transitionKey,
} from "./ledger-format.js";

/** A public key the caller trusts from outside the store, and where it came from. */
export interface TrustAnchor {
  pem: string;
  /** e.g. "the configured signer", "--public-key keys/old.pem", "config trust[0]". */
  source: string;
}

export interface TrustedKey {
  keyId: string;
  key: KeyObject;
  source: string;
  /** A transition replaced this key: objects it signed dated at or after this are not trusted. */
  retiredAt?: string;
}

/** A key published in the store (or named by a transition) that no anchor leads to. */
export interface CandidateKey {
  keyId: string;
  /** The store object that holds or names it. */
  key: string;
}

export interface TransitionInfo {
  key: string;
  from: string;
  to: string;
  at: string;
  applied: boolean;
  /** Why it was not followed, when it was not. */
  reason?: string;
}

/**
 * Which keys the ledger's signatures are checked with. "pinned": the anchors given (the configured
 * signer, --public-key, the config's trust list) and keys reached from them through signed key
 * transitions; keys the store publishes are only candidates. "published": no anchors were given
 * (library callers that pass none), so the store's published keys are trusted as they are.
 */
export class TrustSet {
  constructor(
    readonly mode: "pinned" | "published",
    readonly keys: ReadonlyMap<string, TrustedKey>,
    readonly candidates: readonly CandidateKey[],
    readonly transitions: readonly TransitionInfo[],
    /** Published key objects that are damaged (not a PEM key, or a name that is not its keyId). */
    readonly damaged: readonly { key: string; message: string }[],
  ) {}

  /** The key to check a signature dated `at` with, or why none is trusted. */
  lookup(keyId: string, at?: string): { key: KeyObject } | { reason: string } {
    const trusted = this.keys.get(keyId);
    if (!trusted) {
      const candidate = this.candidates.find((c) => c.keyId === keyId);
      return {
        reason: candidate
          ? `key ${keyId} is published in the store (${candidate.key}) but not trusted: pin it with --public-key or the config's trust list if it is yours`
          : `key ${keyId} is not trusted`,
      };
    }
    if (trusted.retiredAt !== undefined && at !== undefined && at >= trusted.retiredAt) {
      return { reason: `key ${keyId} was retired by a key transition at ${trusted.retiredAt}` };
    }
    return { key: trusted.key };
  }

  /** One line naming the trusted keys, for output. */
  describe(): string {
    const keys = [...this.keys.values()].map((k) => `${k.keyId.slice(0, 16)}… (${k.source})`);
    return `${this.mode === "pinned" ? "trusted" : "trusted as published (no key pinned)"}: ${keys.join(", ") || "no key"}`;
  }
}

/** Parse anchor PEMs; a file that holds no public key is a usage error naming it. */
export function parseAnchors(anchors: readonly TrustAnchor[]): TrustedKey[] {
  return anchors.map(({ pem, source }) => {
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch (cause) {
      throw new UsageError(`${source} is not a PEM public key`, {
        cause,
        hint: "give the .pub.pem file `auditpack keys show` prints (-----BEGIN PUBLIC KEY-----)",
      });
    }
    if (key.type !== "public") throw new UsageError(`${source} is not a public key`);
    return { keyId: keyIdOf(key), key, source };
  });
}

/**
 * Resolve the trust set: anchors (or, with none given, the published keys), then key transitions
 * followed to a fixpoint: forward from a trusted old key that signed it, backward from a trusted
 * new key that countersigned it (the old key then counts only for objects dated before the
 * transition). Reads ledger/keys/ and ledger/transitions/ once.
 */
export async function resolveTrust(
  store: EvidenceStore,
  options: { anchors?: readonly TrustAnchor[] } = {},
): Promise<TrustSet> {
  const keys = new Map<string, TrustedKey>();
  const damaged: { key: string; message: string }[] = [];
  const published = new Map<string, { key: KeyObject; object: string }>();
  for await (const info of store.list(KEYS_PREFIX)) {
    const pem = (await store.get(info.key)).toString("utf8");
    try {
      const key = createPublicKey(pem);
      const keyId = keyIdOf(key);
      if (info.key !== `${KEYS_PREFIX}${keyId}.pem`) {
        damaged.push({
          key: info.key,
          message: `published key ${info.key} holds a different key (${keyId})`,
        });
        continue;
      }
      published.set(keyId, { key, object: info.key });
    } catch {
      damaged.push({ key: info.key, message: `published key ${info.key} is not a PEM public key` });
    }
  }
  const mode = options.anchors ? "pinned" : "published";
  if (options.anchors) {
    for (const anchor of parseAnchors(options.anchors))
      if (!keys.has(anchor.keyId)) keys.set(anchor.keyId, anchor);
  } else {
    for (const [keyId, { key, object }] of published)
      keys.set(keyId, { keyId, key, source: `published ${object}` });
  }

  const transitions = await readTransitions(store);
  let changed = true;
  while (changed) {
    changed = false;
    for (const t of transitions) {
      if (t.info.applied || !t.doc) continue;
      const from = keys.get(t.info.from);
      const to = keys.get(t.info.to);
      if (from && !to && verifySignature(t.body, t.doc.signature, from.key)) {
        const next = createPublicKey(t.doc.to.publicKeyPem);
        if (!verifySignature(t.body, t.doc.acceptedBy, next)) continue;
        keys.set(t.info.to, {
          keyId: t.info.to,
          key: next,
          source: `successor of ${short(t.info.from)} (${t.info.key})`,
        });
        from.retiredAt = minIso(from.retiredAt, t.info.at);
        t.info.applied = changed = true;
      } else if (to && !from && verifySignature(t.body, t.doc.acceptedBy, to.key)) {
        const old = published.get(t.info.from)?.key;
        if (!old || !verifySignature(t.body, t.doc.signature, old)) continue;
        keys.set(t.info.from, {
          keyId: t.info.from,
          key: old,
          source: `predecessor of ${short(t.info.to)} (${t.info.key})`,
          retiredAt: t.info.at,
        });
        t.info.applied = changed = true;
      } else if (from && to) {
        if (
          verifySignature(t.body, t.doc.signature, from.key) &&
          verifySignature(t.body, t.doc.acceptedBy, to.key)
        ) {
          from.retiredAt = minIso(from.retiredAt, t.info.at);
          t.info.applied = changed = true;
        }
      }
    }
  }
  for (const t of transitions) {
    if (!t.info.applied && !t.info.reason)
      t.info.reason = `neither ${short(t.info.from)} nor ${short(t.info.to)} is trusted, or a signature does not verify`;
  }
  const candidates: CandidateKey[] = [...published]
    .filter(([keyId]) => !keys.has(keyId))
    .map(([keyId, { object }]) => ({ keyId, key: object }));
  return new TrustSet(
    mode,
    keys,
    candidates,
    transitions.map((t) => t.info),
    damaged,
  );
}

interface ReadTransition {
  info: TransitionInfo;
  doc?: KeyTransition;
  body: Buffer;
}

async function readTransitions(store: EvidenceStore): Promise<ReadTransition[]> {
  const out: ReadTransition[] = [];
  for await (const info of store.list(TRANSITIONS_PREFIX)) {
    const base = { key: info.key, from: "?", to: "?", at: "", applied: false };
    let doc: KeyTransition | undefined;
    try {
      doc = JSON.parse((await store.get(info.key)).toString("utf8")) as KeyTransition;
    } catch {
      out.push({ info: { ...base, reason: "not valid JSON" }, body: Buffer.alloc(0) });
      continue;
    }
    const error = transitionShapeError(doc, info.key);
    if (error) {
      out.push({ info: { ...base, reason: error }, body: Buffer.alloc(0) });
      continue;
    }
    out.push({
      info: { ...base, from: doc.from.keyId, to: doc.to.keyId, at: doc.at },
      doc,
      body: transitionSigningBytes(doc),
    });
  }
  return out;
}

/** The bytes both signatures of a key transition cover. */
export function transitionSigningBytes(doc: object): Buffer {
  const { signature: _s, acceptedBy: _a, ...body } = doc as { signature?: unknown; acceptedBy?: unknown };
  return canonicalBytes(body);
}

const isSignature = (s: unknown): s is Signature =>
  typeof s === "object" &&
  s !== null &&
  typeof (s as Signature).keyId === "string" &&
  typeof (s as Signature).value === "string";

function transitionShapeError(doc: KeyTransition, key: string): string | undefined {
  if (doc?.schema !== KEY_TRANSITION_SCHEMA) return `schema is not ${KEY_TRANSITION_SCHEMA}`;
  if (typeof doc.at !== "string" || Number.isNaN(Date.parse(doc.at))) return "at is not a date";
  if (typeof doc.from?.keyId !== "string" || typeof doc.to?.keyId !== "string")
    return "from or to is missing";
  if (!isSignature(doc.signature) || !isSignature(doc.acceptedBy)) return "a signature is missing";
  if (doc.signature.keyId !== doc.from.keyId || doc.acceptedBy.keyId !== doc.to.keyId)
    return "signed by other keys than the ones it names";
  try {
    if (keyIdOf(doc.to.publicKeyPem) !== doc.to.keyId) return "to.publicKeyPem is not the key to.keyId names";
  } catch {
    return "to.publicKeyPem is not a PEM public key";
  }
  if (key !== transitionKey(doc.at, doc.to.keyId))
    return `it belongs at ${transitionKey(doc.at, doc.to.keyId)}`;
  return undefined;
}

const short = (keyId: string): string => `${keyId.slice(0, 16)}…`;

function minIso(a: string | undefined, b: string): string {
  return a === undefined || b < a ? b : a;
}
