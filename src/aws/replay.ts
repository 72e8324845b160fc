import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { NormalizedSchema } from "@smithy/core/schema";
import type { HttpHandler, HttpHandlerOptions } from "@smithy/protocol-http";
import { type HttpRequest, HttpResponse } from "@smithy/protocol-http";
import { sleep } from "./rate-limit.js";
import { SERVICES, type ServiceName } from "./services.js";

/**
 * A replay transport: an SDK `requestHandler` that answers from recorded responses (docs/EVIDENCE.md,
 * "Fixture scenarios"), in AWS's own wire format, so the real SDK serialises requests and parses
 * real response bodies without any network.
 */

/** One recorded answer. `params` narrows which requests it answers (null = member absent). */
export type FixtureAnswer = {
  params?: Record<string, unknown>;
  response?: unknown;
  error?: { code: string; message?: string; status?: number };
  /** Used this many times, then the next matching answer applies; unlimited when absent. */
  times?: number;
};

/** Operation name -> ordered answers. */
export type ServiceFixture = Record<string, FixtureAnswer[]>;

export interface ReplayOptions {
  /** Delay before every answer, to model network latency (benchmarks, concurrency tests). */
  latencyMs?: number;
  onCall?: (operation: string, params: Record<string, unknown>) => void;
  /** Where the answers come from (a fixture file), named in mismatch errors. */
  source?: string;
  /**
   * Keep every request in `calls` (default true, for tests that inspect them). A long replay run
   * whose calls nobody reads turns it off, so memory does not grow with the number of calls.
   */
  recordCalls?: boolean;
}

export interface ReplayCall {
  operation: string;
  params: Record<string, unknown>;
}

/** A request the fixture has no answer for: a fixture or collector bug, never an AWS condition. */
export class ReplayMismatchError extends Error {
  constructor(
    readonly service: ServiceName,
    readonly operation: string,
    readonly params: Record<string, unknown>,
    available: FixtureAnswer[] | undefined,
    source?: string,
  ) {
    super(
      describeMismatch(service, operation, params, available) + (source ? `\n(answers from ${source})` : ""),
    );
    this.name = "ReplayMismatchError";
  }
}

/** Services whose SDK speaks the awsQuery protocol (form request, XML response). */
const isQuery = (service: ServiceName) => SERVICES[service].protocol === "query";
/** awsJson services that are awsQueryCompatible: errors also carry x-amzn-query-error. */
const isQueryCompatible = (service: ServiceName) => SERVICES[service].protocol === "json-query-compatible";

export class ReplayHandler implements HttpHandler<Record<string, never>> {
  readonly calls: ReplayCall[] = [];
  /** How many times each answer (by operation and index) has been used. */
  private readonly used = new Map<string, number>();
  private sequence = 0;

  constructor(
    readonly service: ServiceName,
    private readonly fixture: ServiceFixture,
    private readonly options: ReplayOptions = {},
  ) {}

  async handle(
    request: HttpRequest,
    handlerOptions: HttpHandlerOptions = {},
  ): Promise<{ response: HttpResponse }> {
    const signal = handlerOptions.abortSignal as AbortSignal | undefined;
    throwIfAborted(signal);
    const { operation, params } = this.parseRequest(request);
    if (this.options.recordCalls !== false) this.calls.push({ operation, params });
    this.options.onCall?.(operation, params);
    // An abort during the latency fails like the SDK's own handler does mid-request.
    if (this.options.latencyMs)
      await sleep(this.options.latencyMs, signal).catch(() => {
        throw abortError();
      });
    const answer = this.take(operation, params);
    const requestId = this.requestId(operation);
    return { response: this.render(operation, answer, requestId) };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}

  /** Operations and params sent so far for one operation. */
  callsOf(operation: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.operation === operation).map((c) => c.params);
  }

  private parseRequest(request: HttpRequest): ReplayCall {
    return parseWireRequest(this.service, request);
  }

  private take(operation: string, params: Record<string, unknown>): FixtureAnswer {
    const answers = this.fixture[operation];
    for (const [index, answer] of (answers ?? []).entries()) {
      if (!paramsMatch(answer.params, params)) continue;
      if (answer.times !== undefined) {
        const key = `${operation}#${index}`;
        const used = this.used.get(key) ?? 0;
        if (used >= answer.times) continue;
        this.used.set(key, used + 1);
      }
      return answer;
    }
    throw new ReplayMismatchError(this.service, operation, params, answers, this.options.source);
  }

  /** Deterministic request ids keep fixture runs reproducible (same records, same hashes). */
  private requestId(operation: string): string {
    const n = this.sequence++;
    const h = createHash("sha256").update(`${this.service}/${operation}/${n}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  private render(operation: string, answer: FixtureAnswer, requestId: string): HttpResponse {
    if (isQuery(this.service)) return this.renderQuery(operation, answer, requestId);
    const headers: Record<string, string> = {
      "content-type": "application/x-amz-json-1.1",
      "x-amzn-requestid": requestId,
    };
    if (answer.error) {
      const { code, message = code } = answer.error;
      const status = answer.error.status ?? 400;
      headers["x-amzn-errortype"] = code;
      if (isQueryCompatible(this.service)) {
        headers["x-amzn-query-error"] = `${code};${status >= 500 ? "Receiver" : "Sender"}`;
      }
      return response(status, headers, JSON.stringify({ __type: code, message }));
    }
    const body = toWireTimestamps(answer.response ?? {}, outputSchema(this.service, operation));
    return response(200, headers, JSON.stringify(body));
  }

  private renderQuery(operation: string, answer: FixtureAnswer, requestId: string): HttpResponse {
    const ns = SERVICES[this.service].xmlNamespace ?? "";
    const headers = { "content-type": "text/xml", "x-amzn-requestid": requestId };
    if (answer.error) {
      const { code, message = code } = answer.error;
      const status = answer.error.status ?? 400;
      const type = status >= 500 ? "Receiver" : "Sender";
      const xml =
        `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      return response(status, headers, xml);
    }
    const xml =
      `<${operation}Response xmlns="${ns}"><${operation}Result>${toXml(answer.response ?? {})}</${operation}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
    return response(200, headers, xml);
  }
}

/** The SDK module's exported `<Operation>$` schemas describe awsJson responses. */
function outputSchema(service: ServiceName, operation: string): unknown {
  if (isQuery(service)) return undefined;
  const op = SERVICES[service].sdk[`${operation}$`];
  // Operation schemas are [9, namespace, name, traits, input, output].
  return Array.isArray(op) && op[0] === 9 ? op[5] : undefined;
}

/**
 * awsJson sends timestamps as epoch seconds. Fixtures may write them as ISO 8601 strings for
 * readability; convert those at the members the SDK's own schema types as timestamps (and only
 * there: some string members, such as GetTrailStatus's LatestDeliveryAttemptTime, hold dates too).
 */
export function toWireTimestamps(value: unknown, schema: unknown): unknown {
  if (schema === undefined) return value;
  return convert(value, planFor(schema));
}

/** Where timestamps sit in a shape; undefined for a subtree that holds none (skipped entirely). */
type Plan =
  | { kind: "timestamp" }
  | { kind: "list" | "map"; member: Plan | undefined }
  | { kind: "struct"; members: Map<string, Plan | undefined> };

type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];
/** Plans by schema object: built once per shape, shared by every response (recursive shapes included). */
const plans = new Map<unknown, Plan | undefined>();

function planFor(schema: unknown): Plan | undefined {
  const ns = NormalizedSchema.of(schema as SchemaRef);
  if (ns.isTimestampSchema()) return { kind: "timestamp" };
  if (ns.isDocumentSchema()) return undefined;
  const key = ns.getSchema();
  if (typeof key !== "object" || key === null) return undefined; // scalars
  if (plans.has(key)) return plans.get(key);
  if (ns.isListSchema() || ns.isMapSchema()) {
    const plan: Plan = { kind: ns.isListSchema() ? "list" : "map", member: undefined };
    plans.set(key, plan); // before recursing: shapes may contain themselves
    plan.member = planFor(ns.getValueSchema());
    if (!plan.member) plans.set(key, undefined);
    return plans.get(key);
  }
  if (ns.isStructSchema()) {
    const plan: Plan = { kind: "struct", members: new Map() };
    plans.set(key, plan);
    for (const [name, member] of ns.structIterator()) {
      const memberPlan = planFor(member);
      if (memberPlan) plan.members.set(name, memberPlan);
    }
    if (plan.members.size === 0) plans.set(key, undefined);
    return plans.get(key);
  }
  return undefined;
}

function convert(value: unknown, plan: Plan | undefined): unknown {
  if (!plan || value === null || value === undefined) return value;
  switch (plan.kind) {
    case "timestamp": {
      if (typeof value !== "string") return value;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? value : ms / 1000;
    }
    // Copy-on-write: a subtree with nothing to convert (timestamps already numbers) is reused as is.
    case "list": {
      if (!Array.isArray(value)) return value;
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const converted = convert(value[i], plan.member);
        if (converted !== value[i]) {
          out ??= value.slice();
          out[i] = converted;
        }
      }
      return out ?? value;
    }
    case "map": {
      if (typeof value !== "object") return value;
      let out: Record<string, unknown> | undefined;
      for (const [key, member] of Object.entries(value)) {
        const converted = convert(member, plan.member);
        if (converted !== member) {
          out ??= { ...(value as Record<string, unknown>) };
          out[key] = converted;
        }
      }
      return out ?? value;
    }
    case "struct": {
      if (typeof value !== "object" || Array.isArray(value)) return value;
      const members = value as Record<string, unknown>;
      let out: Record<string, unknown> | undefined;
      for (const [name, memberPlan] of plan.members) {
        if (!(name in members)) continue;
        const converted = convert(members[name], memberPlan);
        if (converted !== members[name]) {
          out ??= { ...members };
          out[name] = converted;
        }
      }
      return out ?? value;
    }
  }
}

/** The operation and parameters of an SDK request, as the service would read them off the wire. */
export function parseWireRequest(service: ServiceName, request: HttpRequest): ReplayCall {
  const body = bodyText(request.body);
  if (isQuery(service)) {
    const form = new URLSearchParams(body);
    const operation = form.get("Action") ?? "";
    const params: Record<string, unknown> = {};
    for (const [key, value] of form) if (key !== "Action" && key !== "Version") params[key] = value;
    return { operation, params };
  }
  const target = headerValue(request.headers, "x-amz-target");
  if (!target) throw new Error(`replay ${service}: request has no x-amz-target header`);
  const operation = target.slice(target.lastIndexOf(".") + 1);
  const params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  return { operation, params };
}

/** True for services whose SDK speaks awsQuery (XML answers). */
export function isQueryService(service: ServiceName): boolean {
  return isQuery(service);
}

function response(statusCode: number, headers: Record<string, string>, body: string): HttpResponse {
  return new HttpResponse({ statusCode, headers, body: Buffer.from(body, "utf8") });
}

/** Every key in `expected` equals the request's member of that name; null means absent. */
export function paramsMatch(
  expected: Record<string, unknown> | undefined,
  actual: Record<string, unknown>,
): boolean {
  if (!expected) return true;
  for (const key of Object.keys(expected)) {
    const want = expected[key];
    const got = actual[key];
    if (want === null) {
      if (got !== undefined && got !== null) return false;
    } else if (typeof want !== "object" ? !Object.is(want, got) : !isDeepStrictEqual(want, got)) {
      return false;
    }
  }
  return true;
}

function describeMismatch(
  service: ServiceName,
  operation: string,
  params: Record<string, unknown>,
  available: FixtureAnswer[] | undefined,
): string {
  const head = `replay ${service}: no fixture answer for ${operation} ${JSON.stringify(params)}`;
  if (!available || available.length === 0) return `${head}; the fixture has no answers for ${operation}`;
  const lines = available.map((a, i) => {
    const kind = a.error ? `error ${a.error.code}` : "response";
    const times = a.times === undefined ? "" : ` x${a.times}`;
    return `  [${i}] params ${JSON.stringify(a.params ?? {})} -> ${kind}${times}`;
  });
  return `${head}; answers for ${operation} (those with times may be used up):\n${lines.join("\n")}`;
}

/** awsQuery result members as XML: objects nest, arrays become <member> lists. */
function toXml(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join("");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join("");
  }
  return escapeXml(String(value));
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  throw new Error("replay: streaming request bodies are not supported");
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function abortError(): Error {
  const error = new Error("Request aborted");
  error.name = "AbortError";
  return error;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}
