import { describe, expect, it } from "vitest";
import { collectorIds } from "../../src/collectors/registry.js";
import { type CollectOptions, type CollectSummary, collect } from "../../src/collectors/run.js";
import { parseConfig } from "../../src/config/load.js";
import { UsageError } from "../../src/errors.js";
import { parseManifestKey } from "../../src/evidence/ledger-format.js";
import { verifyLedger } from "../../src/evidence/verify-ledger.js";
import {
  DEFAULT_DAILY_CRON,
  DEFAULT_HOURLY_CRON,
  planSchedules,
  Scheduler,
  type SchedulerEvent,
  type SchedulerOptions,
} from "../../src/schedule/scheduler.js";
import type { EvidenceStore } from "../../src/store/types.js";
import { FakeClock, flushIo } from "./fake-clock.js";
import { scenarioFollowing, tempStoreAndSigner } from "./helpers.js";

type Schedules = { collector: string; cron: string }[];

type Env = Pick<Awaited<ReturnType<typeof tempStoreAndSigner>>, "store" | "signer">;

async function harness(
  schedules: Schedules,
  start: string,
  extra: Partial<SchedulerOptions> = {},
  env?: Env,
) {
  const { store, signer } = env ?? (await tempStoreAndSigner("sched"));
  const clock = new FakeClock(start);
  const events: SchedulerEvent[] = [];
  const scheduler = new Scheduler({
    store,
    signer,
    config: parseConfig({ schedules }, "test config"),
    clock,
    log: (e) => events.push(e),
    collectOptions: { fixtures: scenarioFollowing("empty", clock) },
    maxSleepMs: 24 * 3600_000,
    ...extra,
  });
  const settle = () => scheduler.idle().then(() => flushIo());
  return { store, signer, clock, events, scheduler, settle, env: { store, signer } };
}

const started = (events: SchedulerEvent[]) =>
  events
    .filter((e) => e.event === "run.started")
    .map((e) => ({ at: e.time, collectors: e.collectors, slot: e.slot, reason: e.reason }));

async function manifestKeys(store: EvidenceStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of store.list("ledger/manifests/"))
    if (parseManifestKey(info.key)) keys.push(info.key);
  return keys;
}

describe("planSchedules", () => {
  it("runs configuration collectors daily and CloudTrail activity hourly when nothing is configured", () => {
    const jobs = planSchedules(parseConfig({}, "x"));
    expect(jobs).toEqual([
      expect.objectContaining({
        cron: DEFAULT_DAILY_CRON,
        collectors: collectorIds.filter((c) => c !== "cloudtrail_activity"),
      }),
      expect.objectContaining({ cron: DEFAULT_HOURLY_CRON, collectors: ["cloudtrail_activity"] }),
    ]);
  });

  it("groups entries with the same cron expression into one run", () => {
    const jobs = planSchedules(
      parseConfig(
        {
          schedules: [
            { collector: "config_recorder", cron: "0 2 * * *" },
            { collector: "cloudtrail_activity", cron: "*/15 * * * *" },
            { collector: "cloudtrail_trails", cron: "0  2 * * *" },
          ],
        },
        "x",
      ),
    );
    expect(jobs.map((j) => [j.cron, j.collectors, j.origins])).toEqual([
      ["0 2 * * *", ["config_recorder", "cloudtrail_trails"], ["schedules[0]", "schedules[2]"]],
      ["*/15 * * * *", ["cloudtrail_activity"], ["schedules[1]"]],
    ]);
  });

  it("names every bad entry: invalid cron, unknown collector, a date that never comes", () => {
    const config = parseConfig(
      {
        schedules: [
          { collector: "config_recorder", cron: "0 * * * *" },
          { collector: "cloudtrail_activty", cron: "0 * * * *" },
          { collector: "cloudtrail_trails", cron: "61 * * * *" },
          { collector: "logs_log_groups", cron: "0 0 31 2 *" },
        ],
      },
      "x",
    );
    let error: unknown;
    try {
      planSchedules(config, "auditpack.config.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as UsageError).message;
    expect(message).toContain("invalid schedules in auditpack.config.yaml");
    expect(message).toMatch(
      /schedules\[1\]\.collector: unknown collector "cloudtrail_activty" \(.*cloudtrail_activity/,
    );
    expect(message).toMatch(
      /schedules\[2\]\.cron: "61 \* \* \* \*" is not a valid cron expression \(.*minute/,
    );
    expect(message).toContain('schedules[3].cron: "0 0 31 2 *" never fires');
    expect(message).not.toContain("schedules[0]");
    expect((error as UsageError).exitCode).toBe(2);
  });
});

describe("Scheduler", () => {
  it("runs each collector at its cron times and seals the ledger", async () => {
    const h = await harness(
      [
        { collector: "config_recorder", cron: "0 * * * *" },
        { collector: "cloudtrail_trails", cron: "15 3 * * *" },
      ],
      "2026-10-02T00:45:00Z",
    );
    await h.scheduler.start();
    await h.settle();
    // An empty store: both missed their last slot, and the ledger was never sealed.
    expect(started(h.events)).toHaveLength(2);
    expect(started(h.events)).toEqual(
      expect.arrayContaining([
        {
          at: "2026-10-02T00:45:00.000Z",
          collectors: ["config_recorder"],
          slot: "2026-10-02T00:00:00.000Z",
          reason: "catch-up",
        },
        {
          at: "2026-10-02T00:45:00.000Z",
          collectors: ["cloudtrail_trails"],
          slot: "2026-10-01T03:15:00.000Z",
          reason: "catch-up",
        },
      ]),
    );
    expect(h.events.find((e) => e.event === "seal.finished")).toMatchObject({ seq: 1, manifests: 2 });

    h.events.length = 0;
    await h.clock.advanceTo("2026-10-02T04:05:00Z", h.settle);
    expect(started(h.events).map((r) => [r.at, r.collectors])).toEqual([
      ["2026-10-02T01:00:00.000Z", ["config_recorder"]],
      ["2026-10-02T02:00:00.000Z", ["config_recorder"]],
      ["2026-10-02T03:00:00.000Z", ["config_recorder"]],
      ["2026-10-02T03:15:00.000Z", ["cloudtrail_trails"]],
      ["2026-10-02T04:00:00.000Z", ["config_recorder"]],
    ]);
    for (const r of started(h.events)) expect(r.slot).toBe(r.at);
    const finished = h.events.filter((e) => e.event === "run.finished");
    expect(finished).toHaveLength(5);
    for (const f of finished) {
      expect(f).toMatchObject({ status: "ok", errors: 0, accounts: 1, regions: 2 });
      expect(f.records).toBeGreaterThan(0);
      expect(typeof f.durationMs).toBe("number");
    }
    expect(await manifestKeys(h.store)).toHaveLength(7);
    await h.scheduler.stop();
    const verified = await verifyLedger(h.store);
    expect(verified).toMatchObject({ ok: true, errors: 0, manifests: 7, unsealedManifests: 5 });
  });

  it("catches up after downtime once per missed schedule, and not again after a quick restart", async () => {
    const schedules = [
      { collector: "config_recorder", cron: "0 * * * *" },
      { collector: "cloudtrail_trails", cron: "0 6 * * *" },
    ];
    const first = await harness(schedules, "2026-10-02T06:30:00Z");
    await first.scheduler.start();
    await first.settle();
    await first.scheduler.stop();
    expect(started(first.events)).toHaveLength(2);

    // Down for 30 hours: one run per collector at start, for its newest missed slot.
    const later = await harness(schedules, "2026-10-03T12:30:00Z", {}, first.env);
    await later.scheduler.start();
    await later.settle();
    expect(started(later.events)).toHaveLength(2);
    expect(started(later.events)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          collectors: ["config_recorder"],
          slot: "2026-10-03T12:00:00.000Z",
          reason: "catch-up",
        }),
        expect.objectContaining({
          collectors: ["cloudtrail_trails"],
          slot: "2026-10-03T06:00:00.000Z",
          reason: "catch-up",
        }),
      ]),
    );
    expect(later.events.find((e) => e.event === "seal.finished")).toMatchObject({ seq: 2 });
    await later.scheduler.stop();

    // Restarted ten minutes later: everything is current, nothing runs until the next fire time.
    const restart = await harness(schedules, "2026-10-03T12:40:00Z", {}, first.env);
    await restart.scheduler.start();
    await restart.settle();
    expect(started(restart.events)).toEqual([]);
    expect(restart.events.some((e) => e.event === "seal.finished")).toBe(false);
    await restart.clock.advanceTo("2026-10-03T13:00:00Z", restart.settle);
    expect(started(restart.events).map((r) => r.collectors)).toEqual([["config_recorder"]]);
    await restart.scheduler.stop();
    expect((await verifyLedger(restart.store)).ok).toBe(true);
  });

  it("never starts a collector while its previous run is still going", async () => {
    let active = 0;
    let maxActive = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const slowCollect = async (options: CollectOptions): Promise<CollectSummary> => {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        if (++calls === 1) await gate;
        return await collect(options);
      } finally {
        active--;
      }
    };
    const h = await harness(
      [{ collector: "config_recorder", cron: "*/10 * * * *" }],
      "2026-10-02T00:05:00Z",
      {
        collect: slowCollect,
        lockTtlMs: 15 * 60_000,
      },
    );
    await h.scheduler.start();
    await flushIo();
    expect(h.scheduler.runningCollectors).toEqual(["config_recorder"]);
    // Two fire times pass while the first run (the catch-up at start) is still going.
    await h.clock.advanceTo("2026-10-02T00:25:00Z", () => flushIo(20));
    const skipped = h.events.filter((e) => e.event === "run.skipped");
    expect(skipped.map((e) => [e.slot, e.reason])).toEqual([
      ["2026-10-02T00:10:00.000Z", "the previous run is still in progress"],
      ["2026-10-02T00:20:00.000Z", "the previous run is still in progress"],
    ]);
    release();
    await h.settle();
    await h.clock.advanceTo("2026-10-02T00:30:00Z", h.settle);
    expect(started(h.events).map((r) => r.slot)).toEqual([
      "2026-10-02T00:00:00.000Z",
      "2026-10-02T00:30:00.000Z",
    ]);
    expect(maxActive).toBe(1);
    expect(calls).toBe(2);
    await h.scheduler.stop();
    expect((await verifyLedger(h.store)).ok).toBe(true);
  });

  it("on stop takes no new work, lets the run in flight write its manifest, and the ledger verifies", async () => {
    const h0 = await tempStoreAndSigner("stop");
    const clock = new FakeClock("2026-10-02T00:45:00Z");
    const events: SchedulerEvent[] = [];
    const scheduler = new Scheduler({
      ...h0,
      config: parseConfig(
        {
          schedules: [
            "config_recorder",
            "config_rule_compliance",
            "cloudtrail_trails",
            "logs_log_groups",
            "cognito_user_pools",
          ].map((collector) => ({ collector, cron: "0 * * * *" })),
        },
        "x",
      ),
      clock,
      log: (e) => events.push(e),
      // Slow answers so that stop() arrives in the middle of the run.
      collectOptions: { fixtures: scenarioFollowing("empty", clock), replay: { latencyMs: 150 } },
      shutdownGraceMs: 0,
    });
    await scheduler.start();
    for (let i = 0; i < 400; i++) {
      let any = false;
      for await (const _ of h0.store.list("evidence/")) {
        any = true;
        break;
      }
      if (any) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(scheduler.runningCollectors.length).toBeGreaterThan(0);
    await scheduler.stop("SIGTERM");
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining([
        "scheduler.started",
        "run.started",
        "scheduler.stopping",
        "run.finished",
        "scheduler.stopped",
      ]),
    );
    const finished = events.find((e) => e.event === "run.finished")!;
    expect(finished.manifests).toHaveLength(1);
    expect(events.findIndex((e) => e.event === "scheduler.stopped")).toBe(events.length - 1);
    // Nothing more is scheduled: a fire time passing does nothing.
    await clock.advanceTo("2026-10-02T02:00:00Z");
    expect(events.filter((e) => e.event === "run.started")).toHaveLength(1);

    // Every record on disk is in a signed manifest: nothing unsigned, nothing missing.
    const summary = await verifyLedger(h0.store);
    expect(summary).toMatchObject({ ok: true, errors: 0, manifests: 1 });
    expect(summary.records).toBe(finished.records);
  });
});
