import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/aws/fixtures.js";
import {
  type ReplayScenarioOptions,
  replayScenario,
  scheduledClocks,
} from "../../src/collectors/replay-scenario.js";
import { parseConfig } from "../../src/config/load.js";
import { UsageError } from "../../src/errors.js";
import { verifyLedger } from "../../src/evidence/verify-ledger.js";
import { Ed25519Signer } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";

const PROD = "111122223333";
const EU = "eu-west-1";
const SECURITY_GROUP = "/aws/cloudtrail/payments-org-audit";

function fresh() {
  const store = new FsStore(mkdtempSync(path.join(tmpdir(), "auditpack-replay-")));
  const signer = new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);
  return { store, signer, config: parseConfig({}, "(test)") };
}

/** The demo scenario in payments-prod eu-west-1 only, into a fresh store. */
function replayDemo(options: Partial<ReplayScenarioOptions> & { collectors: string[] }) {
  const { store, signer, config } = fresh();
  const summary = replayScenario({
    store,
    signer,
    config,
    fixtures: "demo",
    accounts: [PROD],
    regions: [EU],
    ...options,
  });
  return { store, summary };
}

async function retentionByRun(store: FsStore): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  for await (const info of store.list(`evidence/${PROD}/${EU}/logs_log_groups/`)) {
    const record = JSON.parse((await store.get(info.key)).toString()) as {
      collectedAt: string;
      payload: { logGroups: { logGroupName: string; retentionInDays?: number }[] };
    };
    const group = record.payload.logGroups.find((g) => g.logGroupName === SECURITY_GROUP);
    out.set(record.collectedAt, group?.retentionInDays);
  }
  return out;
}

describe("replayScenario", () => {
  it("replays the demo's daily schedule: one run per day at its own clock, as the estate stood then", async () => {
    const runs: string[] = [];
    const replay = replayDemo({
      collectors: ["logs_log_groups"],
      seal: true,
      onRun: (run) => runs.push(`${run.index + 1}/${run.total} ${run.clock.toISOString()}`),
    });
    const { store } = replay;
    const summary = await replay.summary;
    expect(summary.runs).toHaveLength(94);
    expect(runs[0]).toBe("1/94 2026-06-30T06:00:00.000Z");
    expect(runs.at(-1)).toBe("94/94 2026-10-01T06:00:00.000Z");
    expect(summary.manifests).toHaveLength(94);
    expect(summary.totals.records).toBe(94);
    expect(summary.status).toBe("ok");

    const retention = await retentionByRun(store);
    const cut = [...retention].filter(([, days]) => days === 30).map(([at]) => at.slice(0, 10));
    // PutRetentionPolicy 30 at 2026-09-03T10:12:55Z, back to 365 at 2026-09-10T16:40:02Z: the 06:00 runs in between.
    expect(cut).toEqual([
      "2026-09-04",
      "2026-09-05",
      "2026-09-06",
      "2026-09-07",
      "2026-09-08",
      "2026-09-09",
      "2026-09-10",
    ]);
    expect(retention.get("2026-10-01T06:00:00.000Z")).toBe(365);

    const verified = await verifyLedger(store);
    expect(verified).toMatchObject({ ok: true, seals: 94, manifests: 94, records: 94, unsealedManifests: 0 });
  }, 120_000);

  it("runs a collector the schedule does not name once, at the scenario clock", async () => {
    const summary = await replayDemo({ collectors: ["config_resource_timeline"] }).summary;
    expect(summary.runs).toEqual([
      expect.objectContaining({
        clock: "2026-10-01T06:00:00.000Z",
        collectors: ["config_resource_timeline"],
      }),
    ]);
  });

  it("replays only the scheduled runs from --since on", async () => {
    const summary = await replayDemo({
      collectors: ["cloudtrail_trails"],
      since: new Date("2026-09-28T00:00:00Z"),
    }).summary;
    expect(summary.runs.map((r) => r.clock)).toEqual([
      "2026-09-28T06:00:00.000Z",
      "2026-09-29T06:00:00.000Z",
      "2026-09-30T06:00:00.000Z",
      "2026-10-01T06:00:00.000Z",
    ]);
  });

  it("lists the clocks from schedule.first, every intervalHours, before the scenario clock", () => {
    const demo = loadScenario("demo");
    const clocks = scheduledClocks(demo);
    expect(clocks).toHaveLength(93);
    expect(clocks.at(-1)?.toISOString()).toBe("2026-09-30T06:00:00.000Z");
  });

  it("names scenario.json when its schedule lists an unknown collector", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditpack-replay-bad-"));
    mkdirSync(path.join(dir, "s"));
    writeFileSync(
      path.join(dir, "s", "scenario.json"),
      JSON.stringify({
        description: "t",
        clock: "2026-09-30T23:00:00Z",
        accounts: [PROD],
        regions: [EU],
        window: { start: "2026-09-01T00:00:00Z", end: "2026-09-30T00:00:00Z" },
        schedule: { collectors: ["logs_log_group"], first: "2026-09-01T00:00:00Z", intervalHours: 24 },
      }),
    );
    const { store, signer, config } = fresh();
    const run = replayScenario({ store, signer, config, fixtures: "s", fixturesRoot: dir });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/s\/scenario\.json: schedule\.collectors: .*logs_log_groups/);
  });
});
