/**
 * A citation of one evidence record: its key (which names account, region, collector and
 * collection time) and the SHA-256 of its bytes. Findings, states and reports all carry these.
 */
export interface EvidenceRef {
  key: string;
  sha256: string;
  collectedAt?: string;
  collector?: string;
}
