import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { ObjectExistsError } from "../../src/errors.js";
import { S3Store } from "../../src/store/s3.js";
import { motoS3Config, motoS3StoreOptions } from "./moto.js";

/** S3Store.putFile (attach streams files): one streamed PutObject carrying the precomputed SHA-256. */
describe("S3Store.putFile against moto_server", () => {
  it("streams a file in create-only, with its SHA-256 as the S3 checksum", async () => {
    const bucket = `ap-putfile-${randomBytes(5).toString("hex")}`;
    await new S3Client(motoS3Config()).send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3Store(motoS3StoreOptions(bucket));
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "auditpack-putfile-")), "scan.pdf");
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(file, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const key = `attachments/${sha256}`;
    const result = await store.putFile(key, file, {
      sha256,
      size: bytes.length,
      contentType: "application/pdf",
    });
    expect(result.size).toBe(bytes.length);
    expect((await store.get(key)).equals(bytes)).toBe(true);
    expect((await store.head(key))?.sha256).toBe(sha256);
    await expect(store.putFile(key, file, { sha256, size: bytes.length })).rejects.toBeInstanceOf(
      ObjectExistsError,
    );
  });
});
