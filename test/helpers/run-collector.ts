import type { HttpHandler, HttpHandlerOptions, HttpRequest, HttpResponse } from "@smithy/protocol-http";
import {
  type ReplayCall,
  ReplayHandler,
  type ReplayOptions,
  type ServiceFixture,
} from "../../src/aws/replay.js";
import type {
  ClientConstructor,
  CollectContext,
  Collector,
  CollectWindow,
} from "../../src/collectors/types.js";
import { canonicalJson } from "../../src/evidence/canonical.js";
import type { EvidenceCall, EvidencePeriod } from "../../src/evidence/record.js";

/** What a collector handed to `ctx.emit`, after the JSON round trip the store would apply. */
export interface EmittedRecord<P = unknown> {
  payload: P;
  calls: EvidenceCall[];
  period?: EvidencePeriod;
}

export interface RunCollectorOptions {
  /**
   * Replay these recorded answers (the collector's own service). With `endpoint` too, only the
   * operations the fixture names are replayed and the rest go to the endpoint: moto for what it
   * implements, recordings for its gaps.
   */
  fixture?: ServiceFixture;
  replay?: ReplayOptions;
  /** Talk to this endpoint (moto_server). */
  endpoint?: string;
  account?: string;
  region?: string;
  now?: Date;
  window?: CollectWindow;
  /** Raw options, validated by the collector's schema as the runner would. */
  options?: unknown;
  lastPeriodEnd?: Date;
  maxAttempts?: number;
  /** Called at each emit, with the calls the transport had seen by then. */
  onEmit?: (record: EmittedRecord, callsSoFar: number) => void;
  /** Keep emitted records in the result (default true; false for volume tests). */
  keepRecords?: boolean;
}

export interface CollectorRun<P = unknown> {
  records: EmittedRecord<P>[];
  /** Requests that reached the replay transport (none of those sent to an endpoint). */
  calls: ReplayCall[];
  /** What `collect` threw, if anything. */
  error?: unknown;
  progress: { done: number; total?: number }[];
}

interface SdkClient {
  config: { requestHandler: HttpHandler<Record<string, never>> };
  destroy(): void;
}

/** Sends the operations a fixture answers to replay, everything else to the live endpoint. */
class SplitHandler implements HttpHandler<Record<string, never>> {
  constructor(
    private readonly live: HttpHandler<Record<string, never>>,
    private readonly replay: ReplayHandler,
    private readonly replayed: ReadonlySet<string>,
  ) {}

  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const target =
      Object.entries(request.headers).find(([k]) => k.toLowerCase() === "x-amz-target")?.[1] ?? "";
    const operation = target.slice(target.lastIndexOf(".") + 1);
    return (this.replayed.has(operation) ? this.replay : this.live).handle(request, options);
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    this.live.destroy?.();
  }
}

const DEFAULT_NOW = new Date("2026-09-30T23:00:00Z");
const DEFAULT_WINDOW = { start: new Date("2026-07-01T00:00:00Z"), end: DEFAULT_NOW };

/** Run one collector without the real runner, through replay or against an endpoint. */
export async function runCollector<O, P = unknown>(
  collector: Collector<O>,
  run: RunCollectorOptions,
): Promise<CollectorRun<P>> {
  if (!run.fixture && !run.endpoint) throw new Error("runCollector needs a fixture or an endpoint");
  const region = run.region ?? "us-east-1";
  const handler = run.fixture ? new ReplayHandler(collector.service, run.fixture, run.replay) : undefined;
  const clients = new Map<unknown, SdkClient>();
  const records: EmittedRecord<P>[] = [];
  const progress: CollectorRun["progress"] = [];
  const options = (
    collector.optionsSchema ? collector.optionsSchema.parse(run.options) : (run.options ?? {})
  ) as O;

  const ctx: CollectContext<O> = {
    account: run.account ?? "111122223333",
    region,
    client<C>(ctor: ClientConstructor<C>): C {
      let client = clients.get(ctor);
      if (!client) {
        const base = {
          region,
          credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
          maxAttempts: run.maxAttempts ?? (run.endpoint ? 1 : 3),
        };
        if (!run.endpoint) {
          client = new ctor({ ...base, requestHandler: handler }) as SdkClient;
        } else if (!handler) {
          client = new ctor({ ...base, endpoint: run.endpoint }) as SdkClient;
        } else {
          // The SDK's own HTTP handler, taken from a client built the ordinary way.
          const live = (new ctor({ ...base, endpoint: run.endpoint }) as SdkClient).config.requestHandler;
          const requestHandler = new SplitHandler(live, handler, new Set(Object.keys(run.fixture!)));
          client = new ctor({ ...base, endpoint: run.endpoint, requestHandler }) as SdkClient;
        }
        clients.set(ctor, client);
      }
      return client as C;
    },
    now: () => run.now ?? DEFAULT_NOW,
    window: run.window ?? DEFAULT_WINDOW,
    options,
    lastPeriodEnd: async () => run.lastPeriodEnd,
    async emit(record) {
      // The store keeps canonical JSON, so what a test sees is what would be stored.
      const stored = JSON.parse(canonicalJson(record)) as EmittedRecord<P>;
      run.onEmit?.(stored, handler?.calls.length ?? 0);
      if (run.keepRecords !== false) records.push(stored);
    },
    progress(done, total) {
      progress.push(total === undefined ? { done } : { done, total });
    },
    signal: new AbortController().signal,
  };

  let error: unknown;
  try {
    await collector.collect(ctx);
  } catch (e) {
    error = e;
  } finally {
    for (const client of clients.values()) client.destroy();
  }
  return { records, calls: handler?.calls ?? [], error, progress };
}
