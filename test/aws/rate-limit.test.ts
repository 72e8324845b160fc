import { CloudTrailClient, DescribeTrailsCommand, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { describe, expect, it } from "vitest";
import { applyRateLimit, RateLimiter, TokenBucket } from "../../src/aws/rate-limit.js";
import { ReplayHandler } from "../../src/aws/replay.js";

describe("TokenBucket", () => {
  it("lets a burst through, then spaces callers at the rate, in order", () => {
    let now = 0;
    const bucket = new TokenBucket(2, 2, () => now);
    expect([bucket.reserve(), bucket.reserve()]).toEqual([0, 0]);
    expect(bucket.reserve()).toBe(500);
    expect(bucket.reserve()).toBe(1000);
    now = 1000; // two tokens refilled, both already promised
    expect(bucket.reserve()).toBe(500);
  });

  it("refuses nonsense rates", () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
  });
});

describe("rate limiting as SDK middleware", () => {
  it("holds CloudTrail LookupEvents to 2 requests per second per account and region, and leaves other calls alone", async () => {
    const limiter = new RateLimiter();
    const handler = new ReplayHandler("cloudtrail", {
      LookupEvents: [{ response: { Events: [] } }],
      DescribeTrails: [{ response: { trailList: [] } }],
    });
    const make = (region: string) => {
      const c = new CloudTrailClient({
        region,
        credentials: { accessKeyId: "a", secretAccessKey: "b" },
        requestHandler: handler,
      });
      applyRateLimit(c, limiter, { account: "111122223333", region, service: "cloudtrail" });
      return c;
    };
    const eu = make("eu-west-1");
    const us = make("us-east-1");
    // Wall-clock upper bounds would be flaky on a loaded machine: count the waits instead, and check
    // only that the limiter really delays (a lower bound holds however slow the machine is).
    await Promise.all([1, 2, 3, 4, 5].map(() => eu.send(new DescribeTrailsCommand({}))));
    expect(limiter.waits).toBe(0);

    const t = performance.now();
    await Promise.all([1, 2, 3].map(() => eu.send(new LookupEventsCommand({}))));
    expect(performance.now() - t).toBeGreaterThanOrEqual(950); // 3 calls at 2/s: 0, 500, 1000 ms
    expect(limiter.waits).toBe(2);

    // Another region has its own bucket: its first call does not wait.
    await us.send(new LookupEventsCommand({}));
    expect(limiter.waits).toBe(2);
  });

  it("aborts waiting callers with the run's signal", async () => {
    const controller = new AbortController();
    const limiter = new RateLimiter({
      limits: { "x:Op": { perSecond: 0.1, burst: 1 } },
      signal: controller.signal,
    });
    await limiter.acquire("a", "r", "x", "Op");
    const waiting = limiter.acquire("a", "r", "x", "Op");
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });
});
