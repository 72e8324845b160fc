import { NodeHttpHandler } from "@smithy/node-http-handler";
import { UsageError } from "../errors.js";

/**
 * Connection and request timeouts for every AWS SDK client auditpack creates. The SDK sets none by
 * default, so an endpoint that accepts a connection and never answers (a broken proxy, a blackholed
 * VPC endpoint) hangs a run forever. Each attempt is bounded; the SDK's retries still apply, so a
 * stalled call fails after at most maxAttempts x (connect + request) seconds plus backoff.
 */
export interface AwsTimeouts {
  /** Seconds to establish the TCP (and TLS) connection (aws.timeouts.connect, --connect-timeout). */
  connect: number;
  /** Seconds for a request and its whole response (aws.timeouts.request, --read-timeout). */
  request: number;
}

export const DEFAULT_TIMEOUTS: AwsTimeouts = { connect: 5, request: 60 };

/** The SDK transport with both timeouts set; a breach rejects with a TimeoutError the SDK retries. */
export function timeoutHandler(timeouts: AwsTimeouts = DEFAULT_TIMEOUTS): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: Math.round(timeouts.connect * 1000),
    requestTimeout: Math.round(timeouts.request * 1000),
    // Without it a request timeout is only logged as a warning and the call keeps waiting.
    throwOnRequestTimeout: true,
  });
}

/** SDK client config entries that apply the timeouts (spread into a client's constructor config). */
export function timeoutConfig(timeouts: AwsTimeouts = DEFAULT_TIMEOUTS): { requestHandler: NodeHttpHandler } {
  return { requestHandler: timeoutHandler(timeouts) };
}

/** "60 s" / "0.5 s": how messages name a timeout. */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

/** Parse a --connect-timeout / --read-timeout value: seconds, more than 0 and at most 3600. */
export function parseTimeoutSeconds(option: string, value: string): number {
  const n = Number(value.trim());
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0 && n <= 3600)) {
    throw new UsageError(`${option}: "${value}" is not a number of seconds between 0 and 3600`, {
      hint: `e.g. ${option} 30`,
    });
  }
  return n;
}
