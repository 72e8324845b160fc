import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type ObjectLockMode,
  PutObjectCommand,
  type PutObjectCommandInput,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { timeoutConfig } from "../aws/timeouts.js";
import type { S3StoreConfig } from "../config/schema.js";
import { ObjectExistsError, ObjectNotFoundError, StoreError, UsageError } from "../errors.js";
import { SHA256_HEX, sha256Hex } from "../evidence/canonical.js";
import type { EvidenceStore, ObjectInfo, ObjectLockState, PutOptions, PutResult } from "./types.js";

export type S3StoreOptions = Omit<S3StoreConfig, "type" | "prefix" | "forcePathStyle"> & {
  type?: "s3";
  prefix?: string;
  forcePathStyle?: boolean;
  /** SDK attempts per request (network errors, 5xx, throttling). */
  maxAttempts?: number;
  /** A ready client (tests, or a caller sharing one); the connection options above are then ignored. */
  client?: S3Client;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** ListObjectsV2 MaxKeys; S3's own default is 1000. Smaller pages exercise pagination in tests. */
  listPageSize?: number;
};

/** A 409 ConditionalRequestConflict means a concurrent conditional write raced ours: try again a few times. */
const CONFLICT_ATTEMPTS = 4;
const CONFLICT_BASE_DELAY_MS = 50;
const DAY_MS = 86_400_000;
/** S3's limit for one PutObject. */
const MAX_SINGLE_PUT = 5 * 1024 ** 3;

/**
 * Evidence store on S3: create-only writes (`If-None-Match: *`), a SHA-256 checksum on every upload,
 * Object Lock retention and SSE-KMS when configured. Keys are relative to `prefix`.
 */
export class S3Store implements EvidenceStore {
  readonly location: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly objectLock: S3StoreConfig["objectLock"];
  private readonly kmsKeyId: string | undefined;
  private readonly listPageSize: number | undefined;
  private bucketChecked = false;

  constructor(options: S3StoreOptions) {
    validateOptions(options);
    this.bucket = options.bucket;
    this.prefix = normalisePrefix(options.prefix ?? "");
    this.objectLock = options.objectLock;
    this.kmsKeyId = options.kmsKeyId;
    this.listPageSize = options.listPageSize;
    this.location = `s3://${this.bucket}/${this.prefix.replace(/\/$/, "")}`;
    this.client = options.client ?? new S3Client(s3ClientConfig(options));
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    const sha256 = checkedSha256(key, body, options.sha256);
    return this.putBody(key, body, body.byteLength, sha256, options);
  }

  /**
   * Upload a file as one streamed PutObject (up to S3's 5 GiB single-part limit), never held in
   * memory; S3 checks the SHA-256 computed beforehand and refuses the upload if the file changed.
   */
  async putFile(
    key: string,
    file: string,
    options: PutOptions & { sha256: string; size: number },
  ): Promise<PutResult> {
    if (options.size > MAX_SINGLE_PUT) {
      throw new UsageError(`${file} is ${options.size} bytes: an S3 store takes files up to 5 GiB`);
    }
    return this.putBody(key, createReadStream(file), options.size, options.sha256, options);
  }

  private async putBody(
    key: string,
    body: Uint8Array | Readable,
    size: number,
    sha256: string,
    options: PutOptions,
  ): Promise<PutResult> {
    const lock = this.lockFor(new Date());
    const input: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: this.fullKey(key),
      Body: body,
      IfNoneMatch: "*",
      ChecksumAlgorithm: "SHA256",
      ChecksumSHA256: Buffer.from(sha256, "hex").toString("base64"),
      ContentLength: size,
      ...(options.contentType ? { ContentType: options.contentType } : {}),
      ...(lock
        ? {
            ObjectLockMode: lock.mode as ObjectLockMode,
            ObjectLockRetainUntilDate: new Date(lock.retainUntil),
          }
        : {}),
      ...(this.kmsKeyId ? { ServerSideEncryption: "aws:kms", SSEKMSKeyId: this.kmsKeyId } : {}),
    };
    const result: PutResult = { key, size, ...(lock ? { lock } : {}) };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new PutObjectCommand(input));
        return result;
      } catch (error) {
        const code = errorCode(error);
        if (code === "PreconditionFailed" || httpStatus(error) === 412) {
          // The key exists. When the SDK retried (e.g. a lost response to a write that landed), the object
          // may be our own earlier attempt: if it carries our checksum, the write succeeded.
          const retried = (attemptsOf(error) ?? 1) > 1;
          if (retried && (await this.head(key))?.sha256 === sha256) return result;
          throw new ObjectExistsError(key, { cause: error });
        }
        if (
          (code === "ConditionalRequestConflict" || httpStatus(error) === 409) &&
          attempt < CONFLICT_ATTEMPTS
        ) {
          await sleep(CONFLICT_BASE_DELAY_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
          continue;
        }
        throw this.storeError("PutObject", key, error);
      }
    }
  }

  async get(key: string): Promise<Buffer> {
    const body = await this.getBody(key);
    try {
      return Buffer.from(await body.transformToByteArray());
    } catch (error) {
      throw this.storeError("GetObject", key, error);
    }
  }

  async getStream(key: string): Promise<Readable> {
    const body = await this.getBody(key);
    if (body instanceof Readable) return body;
    return Readable.fromWeb(body.transformToWebStream() as Parameters<typeof Readable.fromWeb>[0]);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    let output: HeadObjectCommandOutput;
    try {
      output = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), ChecksumMode: "ENABLED" }),
      );
    } catch (error) {
      if (await this.isMissingKey(error)) return undefined;
      throw this.storeError("HeadObject", key, error);
    }
    const info: ObjectInfo = { key, size: output.ContentLength ?? 0 };
    if (output.LastModified) info.lastModified = output.LastModified;
    const sha256 = hexFromChecksum(output.ChecksumSHA256);
    if (sha256) info.sha256 = sha256;
    if (
      (output.ObjectLockMode === "GOVERNANCE" || output.ObjectLockMode === "COMPLIANCE") &&
      output.ObjectLockRetainUntilDate
    ) {
      info.lock = {
        mode: output.ObjectLockMode,
        retainUntil: output.ObjectLockRetainUntilDate.toISOString(),
      };
    }
    return info;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const pages = paginateListObjectsV2(
      { client: this.client, ...(this.listPageSize ? { pageSize: this.listPageSize } : {}) },
      { Bucket: this.bucket, Prefix: this.fullKey(prefix) },
    );
    const iterator = pages[Symbol.asyncIterator]();
    while (true) {
      let page: Awaited<ReturnType<typeof iterator.next>>;
      try {
        page = await iterator.next();
      } catch (error) {
        throw this.storeError("ListObjectsV2", prefix, error);
      }
      if (page.done) return;
      for (const object of page.value.Contents ?? []) {
        if (object.Key === undefined) continue;
        const info: ObjectInfo = { key: object.Key.slice(this.prefix.length), size: object.Size ?? 0 };
        if (object.LastModified) info.lastModified = object.LastModified;
        yield info;
      }
    }
  }

  private async getBody(key: string) {
    try {
      const output = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), ChecksumMode: "ENABLED" }),
      );
      if (!output.Body) throw new StoreError(`GetObject ${key} answered without a body`, { hint: "retry" });
      return output.Body;
    } catch (error) {
      if (await this.isMissingKey(error)) throw new ObjectNotFoundError(key, { cause: error });
      throw this.storeError("GetObject", key, error);
    }
  }

  private fullKey(key: string): string {
    return `${this.prefix}${key}`;
  }

  private lockFor(now: Date): ObjectLockState | undefined {
    if (!this.objectLock) return undefined;
    const retainUntil = new Date(now.getTime() + this.objectLock.days * DAY_MS).toISOString();
    return { mode: this.objectLock.mode, retainUntil };
  }

  /**
   * NoSuchKey is unambiguous, but HEAD answers a bare 404 for a missing bucket and a missing key alike,
   * so a 404 counts as "no such key" only once the bucket is known to exist (checked once).
   */
  private async isMissingKey(error: unknown): Promise<boolean> {
    const code = errorCode(error);
    if (code === "NoSuchKey") return true;
    if (code === "NoSuchBucket" || httpStatus(error) !== 404) return false;
    if (!this.bucketChecked) {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      } catch (bucketError) {
        throw this.storeError("HeadBucket", undefined, bucketError);
      }
      this.bucketChecked = true;
    }
    return true;
  }

  private storeError(operation: string, key: string | undefined, error: unknown): StoreError {
    let code = errorCode(error);
    const status = httpStatus(error);
    // A bare 404 from HEAD (no body, so no code) on HeadBucket means the bucket is missing.
    if (operation === "HeadBucket" && status === 404) code = "NoSuchBucket";
    const where = `s3://${this.bucket}/${key === undefined ? this.prefix : this.fullKey(key)}`;
    const message = error instanceof Error ? error.message : String(error);
    const detail = message && message !== code && message !== "UnknownError" ? `: ${message}` : "";
    const attempts = attemptsOf(error);
    const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
    return new StoreError(
      `S3 ${operation} on ${where} failed${tries} (bucket ${this.bucket}, ${code}${status ? `, HTTP ${status}` : ""})${detail}`,
      { hint: this.hintFor(code, status, operation), cause: error },
    );
  }

  private hintFor(code: string, status: number | undefined, operation: string): string {
    const bucket = `bucket "${this.bucket}"`;
    if (code === "NoSuchBucket")
      return `check store.bucket (${bucket} does not exist for these credentials) and store.region; create it with Object Lock enabled`;
    if (/Redirect|AuthorizationHeaderMalformed|IllegalLocationConstraint/.test(code) || status === 301)
      return `${bucket} is in another region: set store.region to the bucket's region`;
    if (/Region is missing/i.test(code))
      return "set store.region in the config or AWS_REGION in the environment";
    if (code === "InvalidRequest" && this.objectLock)
      return `store.objectLock is set: check that ${bucket} was created with Object Lock enabled, or remove store.objectLock`;
    if (/BadDigest|Checksum|InvalidDigest/i.test(code))
      return "the upload did not match its SHA-256 checksum (corrupted in transit); retry";
    if (
      status === 403 ||
      /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|InvalidToken|Credential/i.test(code)
    ) {
      return `check the AWS credentials (profile, role, AWS_ACCESS_KEY_ID) and that their policy allows ${this.actionsFor(operation)} on ${bucket}`;
    }
    if ((status !== undefined && status >= 500) || status === undefined)
      return "S3 or the network failed: check connectivity, store.endpoint or AWS_ENDPOINT_URL, and store.region, then retry; nothing already written is lost";
    return `check the credentials, store.bucket (${bucket}) and store.region`;
  }

  /** The IAM actions an operation needs, for AccessDenied hints. */
  private actionsFor(operation: string): string {
    const actions =
      operation === "PutObject"
        ? ["s3:PutObject", ...(this.objectLock ? ["s3:PutObjectRetention"] : [])]
        : operation === "GetObject" || operation === "HeadObject"
          ? ["s3:GetObject"]
          : ["s3:ListBucket"];
    if (this.kmsKeyId) actions.push(operation === "PutObject" ? "kms:GenerateDataKey" : "kms:Decrypt");
    return actions.join(", ");
  }
}

/** Client settings for a store's bucket (also used to sign share links against the same endpoint). */
export function s3ClientConfig(
  options: Pick<S3StoreOptions, "region" | "endpoint" | "forcePathStyle" | "maxAttempts" | "credentials">,
): S3ClientConfig {
  // Only set what is configured, so the SDK's own chain (AWS_REGION, AWS_ENDPOINT_URL, profiles) still applies.
  const config: S3ClientConfig = { forcePathStyle: options.forcePathStyle ?? false, ...timeoutConfig() };
  if (options.region) config.region = options.region;
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  if (options.credentials) config.credentials = options.credentials;
  return config;
}

function validateOptions(options: S3StoreOptions): void {
  if (typeof options.bucket !== "string" || options.bucket.length === 0)
    throw new UsageError("store.bucket is required for an s3 store", { hint: "name an existing S3 bucket" });
  if (options.objectLock && !(Number.isInteger(options.objectLock.days) && options.objectLock.days >= 1))
    throw new UsageError(
      `store.objectLock.days must be a whole number of days >= 1, not ${options.objectLock.days}`,
    );
  const page = options.listPageSize;
  if (page !== undefined && !(Number.isInteger(page) && page >= 1 && page <= 1000))
    throw new UsageError(`listPageSize must be between 1 and 1000, not ${page}`);
}

/** "evidence" and "evidence/" mean the same folder; a leading slash would create an empty key segment. */
function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, "");
  return trimmed === "" || trimmed.endsWith("/") ? trimmed : `${trimmed}/`;
}

/** The body's SHA-256: a caller-supplied hash is checked here, since an emulator may not check it. */
function checkedSha256(key: string, body: Uint8Array, given: string | undefined): string {
  const actual = sha256Hex(body);
  if (given === undefined) return actual;
  if (!SHA256_HEX.test(given))
    throw new TypeError(`sha256 for ${key} is not a lowercase hex SHA-256: "${given}"`);
  if (given !== actual)
    throw new TypeError(`sha256 ${given} given for ${key} does not match its body (${actual})`);
  return actual;
}

/** S3 reports SHA-256 checksums in base64; multipart composites ("...-3") are not a whole-object hash. */
function hexFromChecksum(checksum: string | undefined): string | undefined {
  if (!checksum || checksum.includes("-")) return undefined;
  const bytes = Buffer.from(checksum, "base64");
  return bytes.length === 32 ? bytes.toString("hex") : undefined;
}

interface AwsErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

function errorCode(error: unknown): string {
  const e = (error ?? {}) as AwsErrorLike;
  const code = e.Code ?? (e.name && e.name !== "Error" ? e.name : undefined) ?? e.code;
  if (code) return code;
  if (e.message && /Region is missing/i.test(e.message)) return "Region is missing";
  return "Error";
}

function httpStatus(error: unknown): number | undefined {
  return (error as AwsErrorLike | undefined)?.$metadata?.httpStatusCode;
}

function attemptsOf(error: unknown): number | undefined {
  return (error as AwsErrorLike | undefined)?.$metadata?.attempts;
}
