import path from "node:path";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AuditpackConfig, StoreConfig } from "../config/schema.js";
import { FsStore } from "./fs.js";
import { S3Store } from "./s3.js";
import type { EvidenceStore } from "./types.js";

/** Open the store a config names; relative disk paths resolve against baseDir. */
export function openStore(config: StoreConfig, baseDir: string, aws?: AuditpackConfig["aws"]): EvidenceStore {
  if (config.type === "fs") return new FsStore(path.resolve(baseDir, config.path));
  return new S3Store({
    ...config,
    endpoint: config.endpoint ?? aws?.endpoint,
    maxAttempts: aws?.maxAttempts,
    // A configured profile applies to the store too; otherwise the SDK's default chain.
    credentials: aws?.profile ? fromNodeProviderChain({ profile: aws.profile }) : undefined,
  });
}
