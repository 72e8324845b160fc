import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { type HttpHandler, type HttpRequest, HttpResponse } from "@smithy/protocol-http";
import type { HttpHandlerOptions } from "@smithy/types";
import { UsageError } from "../errors.js";
import type { CallerIdentity } from "../evidence/ledger-format.js";
import { GLOBAL_REGION } from "../evidence/record.js";
import { type RedactOptions, redact } from "../evidence/redact.js";
import { type FixtureAnswer, isQueryService, parseWireRequest, type ServiceFixture } from "./replay.js";
import { CALLER_IDENTITY, type ServiceName } from "./services.js";

/**
 * `collect --record-fixtures <dir>`: keeps what a live run saw on the wire, redacted, in the fixture
 * format, so `collect --fixtures <dir>` replays it offline (to reproduce a problem without AWS).
 */
export class FixtureRecorder {
  private readonly files = new Map<string, ServiceFixture>();
  private readonly identities = new Map<string, CallerIdentity>();

  constructor(
    readonly dir: string,
    private readonly redaction: RedactOptions = {},
  ) {}

  /** Refuse to mix a recording into an existing, non-empty directory. */
  static check(dir: string): void {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new UsageError(`--record-fixtures ${dir}: the directory is not empty`, {
        hint: "name a new or empty directory; recordings are never merged into an existing scenario",
      });
    }
  }

  /** The transport wrapper for one client. */
  wrap(inner: HttpHandler, scope: { account: string; region: string; service: ServiceName }): HttpHandler {
    return new RecordingHandler(inner, scope.service, (answer, operation) => {
      if (isQueryService(scope.service)) return; // STS: identities are recorded from parsed output instead.
      this.add(scope.account, scope.region, scope.service, operation, answer);
    });
  }

  addCallerIdentity(account: string, identity: CallerIdentity): void {
    this.identities.set(account, identity);
  }

  add(account: string, region: string, service: ServiceName, operation: string, answer: FixtureAnswer): void {
    const file = path.join(account, region, `${service}.json`);
    let fixture = this.files.get(file);
    if (!fixture) {
      fixture = {};
      this.files.set(file, fixture);
    }
    const clean: FixtureAnswer = { ...answer };
    if (answer.params) clean.params = firstPageExplicit(redact(answer.params, this.redaction).value);
    if (answer.response !== undefined) clean.response = redact(answer.response, this.redaction).value;
    const answers = fixture[operation] ?? [];
    answers.push(clean);
    fixture[operation] = answers;
  }

  /** Write scenario.json and the service files. */
  write(meta: {
    description: string;
    clock: Date;
    accounts: string[];
    regions: string[];
    window: { start: Date; end: Date };
  }): string[] {
    for (const [account, identity] of this.identities) {
      const response = { Account: identity.account, Arn: identity.arn, UserId: identity.userId };
      this.add(account, GLOBAL_REGION, CALLER_IDENTITY.service, CALLER_IDENTITY.operation, { response });
    }
    mkdirSync(this.dir, { recursive: true });
    const scenario = {
      description: meta.description,
      clock: meta.clock.toISOString(),
      accounts: meta.accounts,
      regions: meta.regions,
      window: { start: meta.window.start.toISOString(), end: meta.window.end.toISOString() },
    };
    const written = [path.join(this.dir, "scenario.json")];
    writeFileSync(written[0]!, `${JSON.stringify(scenario, null, 2)}\n`, { flag: "wx" });
    for (const [file, fixture] of this.files) {
      const full = path.join(this.dir, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, `${JSON.stringify(fixture, null, 2)}\n`, { flag: "wx" });
      written.push(full);
    }
    return written;
  }
}

/** Passes requests to the real transport and reports each answer in fixture form. */
export class RecordingHandler implements HttpHandler<Record<string, never>> {
  constructor(
    private readonly inner: HttpHandler,
    private readonly service: ServiceName,
    private readonly onAnswer: (answer: FixtureAnswer, operation: string) => void,
  ) {}

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const { operation, params } = parseWireRequest(this.service, request);
    const { response } = await this.inner.handle(request, options);
    const body = await readBody(response.body);
    // The SDK reads the body after us: hand it the bytes already read.
    const copy = new HttpResponse({ statusCode: response.statusCode, headers: response.headers, body });
    if (!isQueryService(this.service)) this.onAnswer(toAnswer(params, response, body), operation);
    return { response: copy };
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): Record<string, never> {
    return this.inner.httpHandlerConfigs() as Record<string, never>;
  }

  destroy(): void {
    this.inner.destroy?.();
  }
}

/** Pagination cursors of the services auditpack reads. */
const PAGE_TOKENS = ["NextToken", "nextToken", "PaginationToken"];

/**
 * A first page's answer must not also answer later pages: its params say the cursor is absent
 * (null), since an answer constrains only the members it names.
 */
function firstPageExplicit(params: Record<string, unknown>): Record<string, unknown> {
  if (PAGE_TOKENS.some((t) => t in params)) return params;
  return { ...params, ...Object.fromEntries(PAGE_TOKENS.map((t) => [t, null])) };
}

function toAnswer(params: Record<string, unknown>, response: HttpResponse, body: Buffer): FixtureAnswer {
  let json: Record<string, unknown> = {};
  try {
    json = body.length > 0 ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  if (response.statusCode < 300) return { params, response: json };
  const header = (name: string) => {
    for (const [k, v] of Object.entries(response.headers)) if (k.toLowerCase() === name) return v;
    return undefined;
  };
  // awsQueryCompatible services name the query error code first; otherwise x-amzn-errortype or __type.
  const raw =
    header("x-amzn-query-error")?.split(";")[0] ?? header("x-amzn-errortype") ?? String(json.__type ?? "");
  const code = raw.split(":")[0]!.split("#").pop() || `HTTP${response.statusCode}`;
  const message = String(json.message ?? json.Message ?? "");
  // A failed attempt is kept once, so a replay sees the same retry sequence.
  return { params, error: { code, ...(message ? { message } : {}), status: response.statusCode }, times: 1 };
}

async function readBody(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
