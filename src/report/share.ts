import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { S3StoreConfig } from "../config/schema.js";
import { UsageError, VerificationError } from "../errors.js";
import type { Signer } from "../signing/types.js";
import { S3Store, s3ClientConfig } from "../store/s3.js";
import { deriveCustomerPackage, isCustomerPackage } from "./customer-subset.js";
import { verifyReportPackage } from "./verify-report.js";
import { zipDirectory } from "./zip.js";

/** S3 presigned URLs (SigV4) live at most 7 days. */
export const MAX_EXPIRY_SECONDS = 7 * 24 * 3600;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "7d", "36h", "90m", "3600s" (or plain seconds) -> seconds; at most 7 days. */
export function parseExpiry(value: string, option = "--expires"): number {
  const m = /^(\d+)\s*([smhd]?)$/i.exec(value.trim());
  if (!m) {
    throw new UsageError(`${option} "${value}" is not a duration`, {
      hint: "use e.g. 7d, 24h, 30m or 3600s",
    });
  }
  const seconds = Number(m[1]) * UNIT_SECONDS[(m[2] || "s").toLowerCase()]!;
  if (seconds < 1) throw new UsageError(`${option} must be at least 1 second`);
  if (seconds > MAX_EXPIRY_SECONDS) {
    throw new UsageError(`${option} ${value} is longer than S3 allows for a presigned URL (7 days)`, {
      hint: "use at most 7d; share again for a fresh link after it expires",
    });
  }
  return seconds;
}

export interface ShareOptions {
  /** The package directory. */
  dir: string;
  store: S3StoreConfig;
  expiresInSeconds: number;
  /** Accept a package built with --no-sign. */
  allowUnsigned?: boolean;
  /** customer: send only the customer set, re-checksummed and signed by `signer`; all (default here; the CLI defaults to customer): the package as built. */
  audience?: "customer" | "all";
  /** Opened only when a signed package's customer set must be re-signed. */
  signer?: () => Promise<Signer>;
  now?: Date;
  maxAttempts?: number;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface ShareResult {
  bucket: string;
  key: string;
  size: number;
  url: string;
  expiresAt: string;
}

/**
 * Share a package: verify it, zip it, upload it create-only under `reports/` in the store's bucket
 * (with the store's checksum, encryption and Object Lock settings) and return a presigned GET URL.
 */
export async function sharePackage(options: ShareOptions): Promise<ShareResult> {
  const dir = path.resolve(options.dir);
  const verification = await verifyReportPackage(dir, { allowUnsigned: options.allowUnsigned ?? false });
  if (!verification.ok) {
    const files = [...new Set(verification.problems.map((p) => p.file))].join(", ");
    throw new VerificationError(`refusing to share ${dir}: ${files} did not verify`, {
      hint: `run \`auditpack verify-report ${dir}\` for details`,
    });
  }
  const now = options.now ?? new Date();
  const name = path.basename(dir);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const key = `reports/${name}_${stamp}.zip`;

  const scratch = await mkdtemp(path.join(os.tmpdir(), "auditpack-share-"));
  let body: Buffer;
  try {
    const zipFile = path.join(scratch, `${name}.zip`);
    let source = dir;
    if (options.audience === "customer" && !(await isCustomerPackage(dir))) {
      source = path.join(scratch, name);
      await mkdir(source);
      await deriveCustomerPackage(dir, source, options.signer);
    }
    await zipDirectory(source, zipFile, name);
    body = await readFile(zipFile);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const client = new S3Client(
    s3ClientConfig({ ...options.store, maxAttempts: options.maxAttempts, credentials: options.credentials }),
  );
  try {
    const store = new S3Store({ ...options.store, client });
    await store.put(key, body, { contentType: "application/zip" });
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: store.bucket,
        Key: `${store.prefix}${key}`,
        ResponseContentDisposition: `attachment; filename="${name}.zip"`,
      }),
      { expiresIn: options.expiresInSeconds },
    );
    return {
      bucket: store.bucket,
      key: `${store.prefix}${key}`,
      size: body.byteLength,
      url,
      expiresAt: new Date(now.getTime() + options.expiresInSeconds * 1000).toISOString(),
    };
  } finally {
    client.destroy();
  }
}
