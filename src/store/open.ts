import path from "node:path";
import type { Readable } from "node:stream";
import type { AuditpackConfig, S3StoreConfig, StoreConfig } from "../config/schema.js";
import { FsStore } from "./fs.js";
import type { S3Store } from "./s3.js";
import type { EvidenceStore, ObjectInfo, PutOptions, PutResult } from "./types.js";

/** Open the store a config names; relative disk paths resolve against baseDir. */
export function openStore(config: StoreConfig, baseDir: string, aws?: AuditpackConfig["aws"]): EvidenceStore {
  if (config.type === "fs") return new FsStore(path.resolve(baseDir, config.path));
  return new LazyS3Store(config, aws);
}

/**
 * Loads the S3 store (and with it the AWS SDK) on first use, so commands that never touch the
 * store, and every disk-store user, start quickly.
 */
class LazyS3Store implements EvidenceStore {
  readonly location: string;
  private store?: Promise<S3Store>;
  constructor(
    private readonly config: S3StoreConfig,
    private readonly aws?: AuditpackConfig["aws"],
  ) {
    this.location = `s3://${config.bucket}/${config.prefix.replace(/^\/+|\/+$/g, "")}`;
  }

  private open(): Promise<S3Store> {
    this.store ??= (async () => {
      const [{ S3Store }, { fromNodeProviderChain }] = await Promise.all([
        import("./s3.js"),
        import("@aws-sdk/credential-providers"),
      ]);
      const { config, aws } = this;
      return new S3Store({
        ...config,
        endpoint: config.endpoint ?? aws?.endpoint,
        maxAttempts: aws?.maxAttempts,
        // A configured profile applies to the store too; otherwise the SDK's default chain.
        credentials: aws?.profile ? fromNodeProviderChain({ profile: aws.profile }) : undefined,
      });
    })();
    return this.store;
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<PutResult> {
    return (await this.open()).put(key, body, options);
  }
  async putFile(
    key: string,
    file: string,
    options: PutOptions & { sha256: string; size: number },
  ): Promise<PutResult> {
    return (await this.open()).putFile(key, file, options);
  }
  async get(key: string): Promise<Buffer> {
    return (await this.open()).get(key);
  }
  async getStream(key: string): Promise<Readable> {
    return (await this.open()).getStream(key);
  }
  async head(key: string): Promise<ObjectInfo | undefined> {
    return (await this.open()).head(key);
  }
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    yield* (await this.open()).list(prefix);
  }
}
