/**
 * Client-side rate limits for APIs whose quotas AWS documents as a fixed request rate, so a run
 * spaces its own calls instead of provoking throttling. Applied as SDK middleware: collectors never
 * see it.
 */

import { setTimeout as wait } from "node:timers/promises";
import { iamAction, SERVICE_NAMES, SERVICES } from "./services.js";

/** Documented request-rate quotas, per account and region, by IAM action (from aws/services.ts). */
export const DOCUMENTED_RATE_LIMITS: Readonly<Record<string, { perSecond: number; burst: number }>> =
  Object.fromEntries(
    SERVICE_NAMES.flatMap((service) =>
      Object.entries(SERVICES[service].rateLimits ?? {}).map(([op, limit]) => [
        iamAction(service, op),
        limit,
      ]),
    ),
  );

/**
 * A token bucket that reserves: each `take` claims a token now or at the time one will exist, so
 * waiters are served in order and the rate holds exactly however many callers queue.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0) || !(burst >= 1))
      throw new RangeError("a token bucket needs perSecond > 0 and burst >= 1");
    this.tokens = burst;
    this.last = clock();
  }

  /** Milliseconds the caller must wait before its request may go (0 = now); the token is already taken. */
  reserve(): number {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.perSecond) * 1000;
  }

  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}

export interface RateLimitOptions {
  /** Override or extend the documented limits ("service:Operation" -> rate). */
  limits?: Record<string, { perSecond: number; burst: number }>;
  /** Aborts waiting callers (the run's signal). */
  signal?: AbortSignal;
}

/** One bucket per (account, region, service:operation) that has a limit. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly limits: Record<string, { perSecond: number; burst: number }>;
  /** Calls that had to wait, and for how long in total (for diagnostics and the benchmark). */
  waits = 0;
  waitedMs = 0;

  constructor(private readonly options: RateLimitOptions = {}) {
    this.limits = { ...DOCUMENTED_RATE_LIMITS, ...options.limits };
  }

  limitFor(service: string, operation: string): { perSecond: number; burst: number } | undefined {
    return this.limits[`${service}:${operation}`];
  }

  async acquire(account: string, region: string, service: string, operation: string): Promise<void> {
    const limit = this.limitFor(service, operation);
    if (!limit) return;
    const key = `${account}/${region}/${service}:${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit.perSecond, limit.burst);
      this.buckets.set(key, bucket);
    }
    const wait = bucket.reserve();
    if (wait > 0) {
      this.waits++;
      this.waitedMs += wait;
      await sleep(wait, this.options.signal);
    }
  }
}

/** The part of an SDK client the middleware needs. */
export interface MiddlewareClient {
  middlewareStack: {
    add(
      // biome-ignore lint/suspicious/noExplicitAny: smithy middleware signatures are generic over every command
      middleware: (next: any, context: any) => (args: any) => Promise<any>,
      options: { step: "finalizeRequest"; name: string; priority: "low"; override?: boolean },
    ): void;
  };
}

/**
 * Wait for the limiter before every attempt (finalizeRequest, after the retry middleware, so
 * retries are spaced too).
 */
export function applyRateLimit(
  client: MiddlewareClient,
  limiter: RateLimiter,
  scope: { account: string; region: string; service: string },
): void {
  client.middlewareStack.add(
    (next, context: { commandName?: string }) => async (args) => {
      const operation = (context.commandName ?? "").replace(/Command$/, "");
      await limiter.acquire(scope.account, scope.region, scope.service, operation);
      return next(args);
    },
    { step: "finalizeRequest", name: "auditpackRateLimit", priority: "low", override: true },
  );
}

/** Resolve after `ms`; if `signal` aborts first, reject with its reason (e.g. the run's own error). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return wait(ms, undefined, { signal }).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });
}
