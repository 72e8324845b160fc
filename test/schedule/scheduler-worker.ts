import { appendFileSync } from "node:fs";
import { type CollectOptions, collect } from "../../src/collectors/run.js";
import { parseConfig } from "../../src/config/load.js";
import { jsonLineLogger, Scheduler } from "../../src/schedule/scheduler.js";
import { Ed25519Signer } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";
import { FakeClock } from "./fake-clock.js";
import { scenarioFollowing } from "./helpers.js";

/**
 * One of two scheduler processes sharing a disk store (test/schedule/two-schedulers.test.ts). Each
 * follows its own fake clock through six hours; every collect() appends "start"/"end" lines per
 * collector to a shared log so the parent can check that no collector ever ran twice at once.
 */
const [storeDir, keyFile, logFile, id, startAt] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const clock = new FakeClock("2026-10-02T00:45:00Z");
const log = jsonLineLogger(process.stdout);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const scheduler = new Scheduler({
  store: new FsStore(storeDir),
  signer: await Ed25519Signer.fromKeyFile(keyFile),
  config: parseConfig(
    {
      schedules: [
        { collector: "config_recorder", cron: "0 * * * *" },
        { collector: "cloudtrail_trails", cron: "30 * * * *" },
      ],
    },
    "worker config",
  ),
  clock,
  // The two fake clocks drift apart; leases must outlive that drift.
  lockTtlMs: 24 * 3600_000,
  owner: id,
  log: (event) => log({ worker: id, ...event }),
  collectOptions: { fixtures: scenarioFollowing("empty", clock) },
  collect: async (options: CollectOptions) => {
    const names = (options.collectors ?? []).map(String);
    for (const c of names) appendFileSync(logFile, `start ${c} ${id}\n`);
    try {
      await pause(Math.random() * 30);
      return await collect(options);
    } finally {
      for (const c of names) appendFileSync(logFile, `end ${c} ${id}\n`);
    }
  },
});

const settle = () => scheduler.idle();
// Both processes begin at the same wall-clock moment, so that they contend from the first slot.
await pause(Math.max(0, Number(startAt) - Date.now()));
await scheduler.start();
await settle();
for (let hour = 1; hour <= 6; hour++) {
  await clock.advanceTo(`2026-10-02T0${hour}:45:00Z`, settle);
}
await scheduler.stop("done");
