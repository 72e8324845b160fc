import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { S3Client } from "@aws-sdk/client-s3";
import { type HttpRequest, HttpResponse } from "@smithy/protocol-http";
import { describe, expect, it } from "vitest";
import { ObjectExistsError, ObjectNotFoundError, StoreError } from "../../src/errors.js";
import { S3Store, type S3StoreOptions } from "../../src/store/s3.js";

/** What the fake S3 answers: a status, headers and an XML body. */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A requestHandler for the real S3Client that records each request and answers from a script. */
class ScriptedHandler {
  readonly requests: HttpRequest[] = [];
  constructor(private readonly answer: (request: HttpRequest, index: number) => Answer) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const index = this.requests.push(request) - 1;
    const { status, headers = {}, body = "" } = this.answer(request, index);
    return {
      response: new HttpResponse({ statusCode: status, headers, body: Readable.from([Buffer.from(body)]) }),
    };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  header(index: number, name: string): string | undefined {
    const headers = this.requests[index]?.headers ?? {};
    const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
    return found?.[1];
  }
}

function s3Error(code: string, message = code): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>REQ1</RequestId></Error>`;
}

const OK: Answer = { status: 200, headers: { etag: '"abc"' } };

function storeWith(
  handler: ScriptedHandler,
  options: Partial<S3StoreOptions> & { maxAttempts?: number } = {},
): S3Store {
  const client = new S3Client({
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    forcePathStyle: true,
    maxAttempts: options.maxAttempts ?? 1,
    requestHandler: handler,
  });
  return new S3Store({ bucket: "evidence-bucket", prefix: "audit", ...options, client });
}

const body = Buffer.from('{"schema":"auditpack.evidence/v1"}');
const hex = createHash("sha256").update(body).digest("hex");
const base64 = Buffer.from(hex, "hex").toString("base64");

describe("S3Store.put", () => {
  it("sends a create-only PutObject with the record hash as x-amz-checksum-sha256 under the prefix", async () => {
    const handler = new ScriptedHandler(() => OK);
    const store = storeWith(handler);
    const result = await store.put("evidence/a.json", body, { sha256: hex, contentType: "application/json" });

    expect(result).toEqual({ key: "evidence/a.json", size: body.length });
    expect(handler.requests).toHaveLength(1);
    const request = handler.requests[0]!;
    expect(request.method).toBe("PUT");
    expect(request.path).toBe("/evidence-bucket/audit/evidence/a.json");
    expect(handler.header(0, "if-none-match")).toBe("*");
    expect(handler.header(0, "x-amz-checksum-sha256")).toBe(base64);
    expect(handler.header(0, "x-amz-sdk-checksum-algorithm")).toBe("SHA256");
    expect(handler.header(0, "content-type")).toBe("application/json");
    expect(handler.header(0, "x-amz-object-lock-mode")).toBeUndefined();
    expect(handler.header(0, "x-amz-server-side-encryption")).toBeUndefined();
  });

  it("computes the checksum when the caller gives none", async () => {
    const handler = new ScriptedHandler(() => OK);
    await storeWith(handler).put("k", body);
    expect(handler.header(0, "x-amz-checksum-sha256")).toBe(base64);
  });

  it("refuses a sha256 that does not match the body before sending anything", async () => {
    const handler = new ScriptedHandler(() => OK);
    await expect(storeWith(handler).put("k", body, { sha256: "0".repeat(64) })).rejects.toThrow(
      /does not match its body/,
    );
    expect(handler.requests).toHaveLength(0);
  });

  it("sets Object Lock mode and a retain-until date `days` ahead when objectLock is configured", async () => {
    const handler = new ScriptedHandler(() => OK);
    const store = storeWith(handler, { objectLock: { mode: "COMPLIANCE", days: 30 } });
    const before = Date.now();
    const result = await store.put("k", body, { sha256: hex });

    expect(handler.header(0, "x-amz-object-lock-mode")).toBe("COMPLIANCE");
    const retainUntil = Date.parse(handler.header(0, "x-amz-object-lock-retain-until-date") ?? "");
    const expected = before + 30 * 86_400_000;
    expect(retainUntil).toBeGreaterThanOrEqual(expected - 1000);
    expect(retainUntil).toBeLessThan(expected + 60_000);
    expect(result.lock?.mode).toBe("COMPLIANCE");
    expect(Math.abs(Date.parse(result.lock!.retainUntil) - retainUntil)).toBeLessThan(1000);
  });

  it("asks for SSE-KMS with the configured key", async () => {
    const handler = new ScriptedHandler(() => OK);
    await storeWith(handler, { kmsKeyId: "alias/auditpack" }).put("k", body);
    expect(handler.header(0, "x-amz-server-side-encryption")).toBe("aws:kms");
    expect(handler.header(0, "x-amz-server-side-encryption-aws-kms-key-id")).toBe("alias/auditpack");
  });

  it("maps 412 PreconditionFailed to ObjectExistsError without retrying", async () => {
    const handler = new ScriptedHandler(() => ({ status: 412, body: s3Error("PreconditionFailed") }));
    const error = await storeWith(handler, { maxAttempts: 3 })
      .put("k", body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectExistsError);
    expect((error as ObjectExistsError).key).toBe("k");
    expect(handler.requests).toHaveLength(1);
  });

  it("maps a 503 that outlasts the SDK's retries to a StoreError naming bucket, key and code", async () => {
    const handler = new ScriptedHandler(() => ({
      status: 503,
      body: s3Error("ServiceUnavailable", "Please retry"),
    }));
    const error = await storeWith(handler, { maxAttempts: 3 })
      .put("evidence/a.json", body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    const storeError = error as StoreError;
    expect(handler.requests).toHaveLength(3);
    expect(storeError.message).toContain("evidence-bucket");
    expect(storeError.message).toContain("audit/evidence/a.json");
    expect(storeError.message).toContain("ServiceUnavailable");
    expect(storeError.message).toContain("after 3 attempts");
    expect(storeError.hint).toMatch(/retry/);
  });

  it("retries a 409 ConditionalRequestConflict and succeeds", async () => {
    const handler = new ScriptedHandler((_request, index) =>
      index === 0 ? { status: 409, body: s3Error("ConditionalRequestConflict") } : OK,
    );
    await expect(storeWith(handler).put("k", body)).resolves.toMatchObject({ key: "k" });
    expect(handler.requests).toHaveLength(2);
  });

  it("reports ObjectExistsError when the racing writer won a 409 conflict, even with identical bytes", async () => {
    const handler = new ScriptedHandler((request, index) => {
      if (request.method === "HEAD") return { status: 200, headers: { "x-amz-checksum-sha256": base64 } };
      return index === 0
        ? { status: 409, body: s3Error("ConditionalRequestConflict") }
        : { status: 412, body: s3Error("PreconditionFailed") };
    });
    await expect(storeWith(handler).put("k", body)).rejects.toThrow(ObjectExistsError);
    expect(handler.requests.map((r) => r.method)).toEqual(["PUT", "PUT"]);
  });

  it("gives up on 409 after a bounded number of attempts with a StoreError", async () => {
    const handler = new ScriptedHandler(() => ({ status: 409, body: s3Error("ConditionalRequestConflict") }));
    await expect(storeWith(handler).put("k", body)).rejects.toThrow(StoreError);
    expect(handler.requests).toHaveLength(4);
  });

  it("treats a 412 after a retried attempt as success when the stored checksum is ours", async () => {
    const handler = new ScriptedHandler((request, index) => {
      if (request.method === "HEAD")
        return { status: 200, headers: { "content-length": "34", "x-amz-checksum-sha256": base64 } };
      return index === 0
        ? { status: 503, body: s3Error("ServiceUnavailable") }
        : { status: 412, body: s3Error("PreconditionFailed") };
    });
    await expect(storeWith(handler, { maxAttempts: 2 }).put("k", body)).resolves.toMatchObject({ key: "k" });
    expect(handler.requests.map((r) => r.method)).toEqual(["PUT", "PUT", "HEAD"]);
  });

  it("still reports ObjectExistsError after a retry when the stored object is someone else's", async () => {
    const other = Buffer.alloc(32, 7).toString("base64");
    const handler = new ScriptedHandler((request, index) => {
      if (request.method === "HEAD")
        return { status: 200, headers: { "content-length": "34", "x-amz-checksum-sha256": other } };
      return index === 0
        ? { status: 503, body: s3Error("ServiceUnavailable") }
        : { status: 412, body: s3Error("PreconditionFailed") };
    });
    await expect(storeWith(handler, { maxAttempts: 2 }).put("k", body)).rejects.toThrow(ObjectExistsError);
  });

  it("explains AccessDenied with the credentials and the IAM actions needed", async () => {
    const handler = new ScriptedHandler(() => ({
      status: 403,
      body: s3Error("AccessDenied", "Access Denied"),
    }));
    const store = storeWith(handler, { objectLock: { mode: "GOVERNANCE", days: 1 } });
    const error = (await store.put("k", body).catch((e: unknown) => e)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/AccessDenied.*HTTP 403/);
    expect(error.hint).toMatch(/credentials/);
    expect(error.hint).toContain("s3:PutObject, s3:PutObjectRetention");
  });
});

describe("S3Store reads", () => {
  it("maps NoSuchKey on get to ObjectNotFoundError", async () => {
    const handler = new ScriptedHandler(() => ({ status: 404, body: s3Error("NoSuchKey") }));
    await expect(storeWith(handler).get("missing")).rejects.toThrow(ObjectNotFoundError);
  });

  it("maps NoSuchBucket on get to a StoreError that names the bucket and says what to check", async () => {
    const handler = new ScriptedHandler(() => ({ status: 404, body: s3Error("NoSuchBucket") }));
    const error = (await storeWith(handler)
      .get("k")
      .catch((e: unknown) => e)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain("evidence-bucket");
    expect(error.hint).toMatch(/store\.bucket.*store\.region/);
  });

  it("head returns undefined for a bare 404 once the bucket is known to exist", async () => {
    const handler = new ScriptedHandler((request) =>
      request.path === "/evidence-bucket" || request.path === "/evidence-bucket/" ? OK : { status: 404 },
    );
    const store = storeWith(handler);
    expect(await store.head("a")).toBeUndefined();
    expect(await store.head("b")).toBeUndefined();
    // One HeadBucket for the first miss only.
    expect(handler.requests).toHaveLength(3);
  });

  it("head on a missing bucket is a StoreError, not a missing key", async () => {
    const handler = new ScriptedHandler(() => ({ status: 404 }));
    const error = (await storeWith(handler)
      .head("a")
      .catch((e: unknown) => e)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/HeadBucket.*evidence-bucket.*NoSuchBucket/);
  });

  it("head reports size, the hex SHA-256 and the Object Lock state", async () => {
    const handler = new ScriptedHandler(() => ({
      status: 200,
      headers: {
        "content-length": "34",
        "x-amz-checksum-sha256": base64,
        "x-amz-object-lock-mode": "GOVERNANCE",
        "x-amz-object-lock-retain-until-date": "2030-01-02T03:04:05.000Z",
        "last-modified": "Wed, 01 Jan 2025 00:00:00 GMT",
      },
    }));
    const info = await storeWith(handler).head("k");
    expect(handler.header(0, "x-amz-checksum-mode")).toBe("ENABLED");
    expect(info).toEqual({
      key: "k",
      size: 34,
      sha256: hex,
      lastModified: new Date("2025-01-01T00:00:00Z"),
      lock: { mode: "GOVERNANCE", retainUntil: "2030-01-02T03:04:05.000Z" },
    });
  });

  it("list follows continuation tokens and strips the store prefix from keys", async () => {
    const page = (keys: string[], next?: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>evidence-bucket</Name><Prefix>audit/e/</Prefix>` +
      `<KeyCount>${keys.length}</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>${next ? "true" : "false"}</IsTruncated>` +
      (next ? `<NextContinuationToken>${next}</NextContinuationToken>` : "") +
      keys.map((k) => `<Contents><Key>${k}</Key><Size>5</Size></Contents>`).join("") +
      "</ListBucketResult>";
    const handler = new ScriptedHandler((request) =>
      request.query["continuation-token"] === "t2"
        ? { status: 200, body: page(["audit/e/3"]) }
        : { status: 200, body: page(["audit/e/1", "audit/e/2"], "t2") },
    );
    const store = storeWith(handler, { prefix: "/audit", listPageSize: 2 });
    const keys: string[] = [];
    for await (const info of store.list("e/")) keys.push(info.key);
    expect(keys).toEqual(["e/1", "e/2", "e/3"]);
    expect(handler.requests[0]!.query).toMatchObject({ prefix: "audit/e/", "max-keys": "2" });
    expect(handler.requests).toHaveLength(2);
  });
});

describe("S3Store options", () => {
  it("normalises the prefix and reports its location", () => {
    const handler = new ScriptedHandler(() => OK);
    expect(storeWith(handler, { prefix: "audit" }).location).toBe("s3://evidence-bucket/audit");
    expect(storeWith(handler, { prefix: "audit/" }).prefix).toBe("audit/");
    expect(storeWith(handler, { prefix: "" }).location).toBe("s3://evidence-bucket/");
  });

  it("rejects a page size S3 would not accept, naming the option", () => {
    expect(() => storeWith(new ScriptedHandler(() => OK), { listPageSize: 5000 })).toThrow(/listPageSize/);
  });
});
