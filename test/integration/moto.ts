import { inject } from "vitest";
import type { S3StoreOptions } from "../../src/store/s3.js";

/** The moto_server that moto-setup.ts started (or the one MOTO_ENDPOINT names). */
export const endpoint = inject("motoEndpoint");
/** moto takes any keys; these map to its default account, 123456789012. */
export const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
export const region = "us-east-1";

/** AWS SDK client options for moto, with one attempt so a moto error fails the test at once. */
export function motoClientConfig() {
  return { endpoint, region, credentials, maxAttempts: 1 };
}

/** The same for S3, addressed by path (moto does not serve bucket subdomains of 127.0.0.1). */
export function motoS3Config() {
  return { ...motoClientConfig(), forcePathStyle: true };
}

/** An S3Store on moto for `bucket`, under the prefix "auditpack". */
export function motoS3StoreOptions(bucket: string): S3StoreOptions {
  return { type: "s3", bucket, prefix: "auditpack", ...motoS3Config() };
}
