import { ObjectExistsError } from "../errors.js";
import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { VERSION } from "../version.js";
import { type CallerIdentity, publishedKeyKey, type RunScope, type ToolInfo } from "./ledger-format.js";
import { RunWriter } from "./run-writer.js";
import { latestSealRef, type RefusedManifest, type SealResult, sealLedger } from "./seal.js";
import { resolveTrust, type TrustAnchor } from "./trust.js";

export interface LedgerOptions {
  /** Clock for manifest and seal times (fixture scenarios pin it). */
  now?: () => Date;
  /** Records per manifest part. */
  partSize?: number;
}

export const DEFAULT_PART_SIZE = 5000;

/**
 * The signed, hash-chained ledger over an evidence store (DESIGN.md section 4). Runs write signed
 * manifests (create-only, one run never touches another's keys); seal() chains them.
 */
export class Ledger {
  private readonly now: () => Date;
  private readonly partSize: number;
  private published?: Promise<void>;

  constructor(
    readonly store: EvidenceStore,
    readonly signer: Signer,
    options: LedgerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    if (!Number.isInteger(this.partSize) || this.partSize < 1)
      throw new TypeError("partSize must be a positive integer");
  }

  beginRun(options: {
    scope: RunScope;
    callerIdentities?: CallerIdentity[];
    tool?: ToolInfo;
    runId?: string;
  }): RunWriter {
    return new RunWriter(
      {
        store: this.store,
        signer: this.signer,
        now: this.now,
        partSize: this.partSize,
        publishKey: () => this.publishKey(),
        latestSeal: () => latestSealRef(this.store),
      },
      {
        scope: options.scope,
        tool: options.tool ?? { name: "auditpack", version: VERSION },
        callerIdentities: options.callerIdentities,
        ...(options.runId ? { runId: options.runId } : {}),
      },
    );
  }

  /**
   * Seal every manifest not yet sealed that this signer (or a key it trusts: `trust`, and signed
   * key transitions) signed; the others are left out and listed in `refused`. undefined when there
   * is nothing new to seal.
   */
  async seal(
    options: { now?: Date; trust?: TrustAnchor[]; refused?: RefusedManifest[] } = {},
  ): Promise<SealResult | undefined> {
    await this.publishKey();
    const anchors = [
      { pem: await this.signer.publicKeyPem(), source: "the sealing signer" },
      ...(options.trust ?? []),
    ];
    const trust = await resolveTrust(this.store, { anchors });
    return sealLedger(this.store, this.signer, {
      now: options.now ?? this.now(),
      trust,
      refused: options.refused,
    });
  }

  /** Publish the signer's public key at ledger/keys/<keyId>.pem (create-only) so verifiers find it. */
  publishKey(): Promise<void> {
    this.published ??= (async () => {
      const key = publishedKeyKey(await this.signer.keyId());
      if (await this.store.head(key)) return;
      try {
        await this.store.put(key, Buffer.from(await this.signer.publicKeyPem()), {
          contentType: "application/x-pem-file",
        });
      } catch (error) {
        if (!(error instanceof ObjectExistsError)) throw error;
      }
    })().catch((error) => {
      this.published = undefined;
      throw error;
    });
    return this.published;
  }
}

export type { RunSummary } from "./run-writer.js";
export { RunWriter } from "./run-writer.js";
export type { RefusedManifest, SealResult } from "./seal.js";
