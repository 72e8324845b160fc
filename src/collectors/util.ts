import type { Command, MetadataBearer } from "@smithy/types";
import type { EvidenceCall } from "../evidence/record.js";
import type { ServiceName } from "./types.js";

/** An SDK output as stored in evidence: no `$metadata`, timestamps as ISO 8601 strings. */
export type Evidence<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Evidence<U>[]
    : T extends object
      ? { [K in keyof T as K extends "$metadata" ? never : K]: Evidence<T[K]> }
      : T;

/**
 * Copy an SDK value into its evidence form (DESIGN.md: payloads keep AWS's shapes, timestamps as
 * ISO strings): drops `$metadata` and undefined members, turns Dates into ISO strings.
 */
export function toEvidence<T>(value: T): Evidence<T> {
  return plain(value) as Evidence<T>;
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (key === "$metadata" || member === undefined) continue;
    // defineProperty keeps a member named "__proto__" as data instead of changing the prototype.
    Object.defineProperty(out, key, {
      value: plain(member),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** SDK v3 clients as collectors use them. */
export interface SdkClient {
  // biome-ignore lint/suspicious/noExplicitAny: each client's send is typed by its own command union
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/** Names the operation on an SDK error, so the runner can write it into the error record. */
function withOperation(error: unknown, operation: string): unknown {
  if (error !== null && typeof error === "object" && !("operation" in error)) {
    Object.defineProperty(error, "operation", { value: operation, enumerable: false, configurable: true });
  }
  return error;
}

/**
 * Sends a collector's calls and remembers each one (operation, parameters, request id) for the
 * record's `calls`. Every page of a paginated operation is one call.
 */
export class CallLog {
  readonly calls: EvidenceCall[] = [];

  constructor(
    readonly service: ServiceName,
    private readonly signal?: AbortSignal,
  ) {}

  /** Send one command; the operation name is the command's class name without "Command". */
  async send<I extends object, O extends MetadataBearer>(
    client: SdkClient,
    // biome-ignore lint/suspicious/noExplicitAny: client input/output unions differ per SDK client
    command: Command<any, I, any, O, any>,
  ): Promise<O> {
    const operation = command.constructor.name.replace(/Command$/, "");
    const params = toEvidence(command.input) as Record<string, unknown>;
    let output: O;
    try {
      output = (await client.send(command, { abortSignal: this.signal })) as O;
    } catch (error) {
      throw withOperation(error, operation);
    }
    this.record(operation, params, output);
    return output;
  }

  /**
   * Iterate an SDK paginator (`paginateX`), logging each page. `input` is copied because the SDK's
   * paginators write the page token into the object they are given.
   */
  async *paginate<I extends object, P extends MetadataBearer>(
    operation: string,
    input: I,
    paginator: (input: I, options: { abortSignal?: AbortSignal }) => AsyncIterable<P>,
  ): AsyncGenerator<P> {
    const params = toEvidence(input) as Record<string, unknown>;
    const pages = paginator({ ...input }, { abortSignal: this.signal })[Symbol.asyncIterator]();
    while (true) {
      this.signal?.throwIfAborted();
      let next: IteratorResult<P>;
      try {
        next = await pages.next();
      } catch (error) {
        throw withOperation(error, operation);
      }
      if (next.done) return;
      this.record(operation, params, next.value);
      yield next.value;
    }
  }

  /** All pages' items of one member, e.g. `all("DescribeAlarms", input, p, (page) => page.MetricAlarms)`. */
  async all<I extends object, P extends MetadataBearer, T>(
    operation: string,
    input: I,
    paginator: (input: I, options: { abortSignal?: AbortSignal }) => AsyncIterable<P>,
    items: (page: P) => readonly T[] | undefined,
  ): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.paginate(operation, input, paginator)) out.push(...(items(page) ?? []));
    return out;
  }

  /** Move the calls logged so far out of this log (for per-record call lists). */
  take(): EvidenceCall[] {
    return this.calls.splice(0, this.calls.length);
  }

  private record(operation: string, params: Record<string, unknown>, output: MetadataBearer): void {
    const call: EvidenceCall = { service: this.service, operation };
    if (Object.keys(params).length > 0) call.params = params;
    const requestId = output.$metadata?.requestId;
    if (requestId) call.requestId = requestId;
    this.calls.push(call);
  }
}

/** Split a list into chunks of at most `size` (APIs that cap how many names one call takes). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
