import type { Readable } from "node:stream";

/** Object Lock state as read back from the store (S3 HeadObject). */
export interface ObjectLockState {
  mode: "GOVERNANCE" | "COMPLIANCE";
  retainUntil: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified?: Date;
  /** Hex SHA-256 of the object as reported by the store, when it keeps one (S3 checksum). */
  sha256?: string;
  lock?: ObjectLockState;
}

export interface PutOptions {
  /** Hex SHA-256 of the body; S3 sends it as x-amz-checksum-sha256 so the store rejects a corrupted upload. */
  sha256?: string;
  contentType?: string;
}

export interface PutResult {
  key: string;
  size: number;
  lock?: ObjectLockState;
}

/**
 * Write-once object storage for evidence, ledger objects and reports. Keys use "/" separators.
 * `put` is create-only: it throws ObjectExistsError when the key exists, never overwrites.
 * Store failures throw StoreError; a missing key on read throws ObjectNotFoundError.
 */
export interface EvidenceStore {
  /** Human-readable location, e.g. "fs:/srv/auditpack-store" or "s3://bucket/prefix". */
  readonly location: string;
  put(key: string, body: Uint8Array, options?: PutOptions): Promise<PutResult>;
  get(key: string): Promise<Buffer>;
  getStream(key: string): Promise<Readable>;
  /** undefined when the key does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Every object whose key starts with prefix, in ascending key order, streamed page by page. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /**
   * Optional: the keys list() yields, in the same order, a page (an array) at a time, for stores
   * where a key costs less than its size and date (a disk store otherwise stats every file).
   */
  listKeys?(prefix: string): AsyncIterable<readonly string[]>;
  /**
   * Optional fast path for local stores: read an object (a record, a manifest) synchronously.
   * Verifying 100,000 small records spends most of its time in per-call async overhead otherwise; a
   * page-cache read is a few microseconds. With scratch, an object that fits is read into it and
   * the result is a view of scratch, valid until scratch is next used (no allocation per object).
   * Throws ObjectNotFoundError like get().
   */
  readSync?(key: string, scratch?: Buffer): Buffer;
  /**
   * Optional: store a local file create-only without holding it in memory (attachments of any size).
   * `sha256` and `size` were computed by the caller; a file that no longer matches them is refused.
   */
  putFile?(
    key: string,
    file: string,
    options: PutOptions & { sha256: string; size: number },
  ): Promise<PutResult>;
}
