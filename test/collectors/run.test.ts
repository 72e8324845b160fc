import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCollector } from "../../src/collectors/define.js";
import { type CollectProgress, collect } from "../../src/collectors/run.js";
import { type Collector, DAILY } from "../../src/collectors/types.js";
import { CallLog, toEvidence } from "../../src/collectors/util.js";
import { parseConfig } from "../../src/config/load.js";
import { UsageError } from "../../src/errors.js";
import { decodeRecord, type EvidenceRecord, parseEvidenceKey } from "../../src/evidence/record.js";
import { pseudonym } from "../../src/evidence/redact.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import type { FsStore } from "../../src/store/fs.js";
import { newSigner, tempStore, verify } from "../evidence/ledger-helpers.js";

const ACCOUNT = "111122223333";
const CLOCK = "2026-09-30T23:00:00Z";
const SECRET = "tiny-fixture-secret-DO-NOT-LEAK-9";

/** A fixture scenario on disk: files maps "<account>/<region>/<service>" to answers. */
function scenario(files: Record<string, unknown>, regions = ["eu-west-1", "us-east-1"]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-scenario-"));
  const meta = {
    description: "runner test",
    clock: CLOCK,
    accounts: [ACCOUNT],
    regions,
    window: { start: "2026-09-01T00:00:00Z", end: "2026-10-01T00:00:00Z" },
  };
  writeFileSync(path.join(dir, "scenario.json"), JSON.stringify(meta));
  for (const [where, answers] of Object.entries(files)) {
    const file = path.join(dir, `${where}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(answers));
  }
  return dir;
}

/** The declaration fields these runner tests do not exercise. */
const SNAPSHOT_TEST = {
  cadence: "snapshot",
  schedule: DAILY,
  resourceTypes: [],
  state: { mode: "record", kinds: [], add() {} },
} as const;

/** A tiny collector: DescribeTrails, one record with the trails. */
const fakeTrails = defineCollector({
  id: "fake_trails",
  service: "cloudtrail",
  title: "test",
  operations: ["DescribeTrails"],
  ...SNAPSHOT_TEST,
  async collect(ctx) {
    const log = new CallLog("cloudtrail", ctx.signal);
    const out = await log.send(
      ctx.client(CloudTrailClient),
      new DescribeTrailsCommand({ includeShadowTrails: true }),
    );
    await ctx.emit({ payload: { trails: toEvidence(out.trailList ?? []) }, calls: log.take() });
  },
});

/** Emits one record per day of its window, continuing from lastPeriodEnd; options are validated. */
const fakeDaily = defineCollector<{ days: number }>({
  id: "fake_daily",
  service: "cloudtrail",
  title: "test",
  operations: [],
  ...SNAPSHOT_TEST,
  optionsSchema: z.strictObject({ days: z.number().int().min(1).default(2) }).prefault({}),
  async collect(ctx) {
    const start = (await ctx.lastPeriodEnd()) ?? ctx.window.start;
    for (let i = 0; i < ctx.options.days; i++) {
      const s = new Date(start.getTime() + i * 86_400_000);
      const e = new Date(s.getTime() + 86_400_000);
      await ctx.emit({
        payload: {
          day: s.toISOString(),
          Username: "alice",
          userArn: `arn:aws:iam::${ctx.account}:user/ops/alice`,
        },
        calls: [],
        period: { start: s.toISOString(), end: e.toISOString() },
      });
    }
  },
});

/** Emits, then fails on a later page. */
const fakeFailsLater = defineCollector({
  id: "fake_fails_later",
  service: "cloudtrail",
  title: "test",
  operations: ["DescribeTrails"],
  ...SNAPSHOT_TEST,
  async collect(ctx) {
    await ctx.emit({ payload: { page: 1 }, calls: [] });
    const log = new CallLog("cloudtrail", ctx.signal);
    await log.send(ctx.client(CloudTrailClient), new DescribeTrailsCommand({ trailNameList: ["page-2"] }));
  },
});

async function storedRecords(store: FsStore): Promise<EvidenceRecord[]> {
  const out: EvidenceRecord[] = [];
  for await (const info of store.list("evidence/")) {
    out.push(decodeRecord(await store.get(info.key), parseEvidenceKey(info.key)?.sha256));
  }
  return out;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

const config = (collectors: Record<string, Record<string, unknown>> = {}) =>
  parseConfig({ collectors }, "test");

describe("collect (runner)", () => {
  it("writes an error record for a failing account and region and goes on; the run is partial", async () => {
    const dir = scenario({
      [`${ACCOUNT}/eu-west-1/cloudtrail`]: {
        DescribeTrails: [{ response: { trailList: [{ Name: "main", HomeRegion: "eu-west-1" }] } }],
      },
      [`${ACCOUNT}/us-east-1/cloudtrail`]: {
        DescribeTrails: [
          { error: { code: "AccessDeniedException", status: 400, message: "not authorized" } },
        ],
      },
    });
    const store = tempStore();
    const events: CollectProgress[] = [];
    const summary = await collect({
      store,
      signer: newSigner(),
      config: config(),
      collectors: [fakeTrails],
      fixtures: dir,
      onProgress: (e) => events.push(e),
    });
    expect(summary.status).toBe("partial");
    expect(summary.source).toBe("fixture");
    const byRegion = Object.fromEntries(summary.results.map((r) => [r.region, r]));
    expect(byRegion["eu-west-1"]).toMatchObject({ status: "ok", records: 1, errors: 0 });
    expect(byRegion["us-east-1"]).toMatchObject({
      status: "error",
      records: 1,
      errors: 1,
      error: { code: "AccessDeniedException", operation: "DescribeTrails" },
    });
    expect(summary.totals).toMatchObject({ records: 2, errors: 1 });
    expect(summary.totals.bytes).toBeGreaterThan(0);

    const records = await storedRecords(store);
    const failed = records.find((r) => r.region === "us-east-1")!;
    expect(failed.error).toMatchObject({
      code: "AccessDeniedException",
      message: "not authorized",
      operation: "DescribeTrails",
    });
    expect(failed.error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed).toMatchObject({
      source: "fixture",
      collector: "fake_trails",
      account: ACCOUNT,
      collectedAt: "2026-09-30T23:00:00.000Z",
    });
    const ok = records.find((r) => r.region === "eu-west-1")!;
    expect(ok.payload).toEqual({ trails: [{ Name: "main", HomeRegion: "eu-west-1" }] });
    expect(ok.calls).toEqual([
      expect.objectContaining({
        service: "cloudtrail",
        operation: "DescribeTrails",
        params: { includeShadowTrails: true },
      }),
    ]);
    expect(ok.scenario).toBe(path.basename(dir));

    // Both records are in a signed manifest that verifies.
    const { errors } = await verify(store);
    expect(errors).toEqual([]);
    expect(summary.manifests.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === "finish")).toHaveLength(2);
  });

  it("keeps records emitted before a failed page and says how many in the error record", async () => {
    const dir = scenario(
      {
        [`${ACCOUNT}/eu-west-1/cloudtrail`]: {
          DescribeTrails: [{ error: { code: "InternalFailure", status: 500, message: "boom" } }],
        },
      },
      ["eu-west-1"],
    );
    const store = tempStore();
    const summary = await collect({
      store,
      signer: newSigner(),
      config: parseConfig({ aws: { maxAttempts: 1 } }, "test"),
      collectors: [fakeFailsLater],
      fixtures: dir,
    });
    expect(summary.status).toBe("partial");
    const records = await storedRecords(store);
    expect(records).toHaveLength(2);
    const error = records.find((r) => r.error)!;
    expect(error.error?.code).toBe("InternalFailure");
    expect(error.payload).toEqual({ recordsBeforeError: 1 });
  });

  it("is ok with status ok when everything answers, and continues from the last stored period", async () => {
    const dir = scenario({}, ["eu-west-1"]);
    const store = tempStore();
    const signer = newSigner();
    const first = await collect({ store, signer, config: config(), collectors: [fakeDaily], fixtures: dir });
    expect(first.status).toBe("ok");
    expect(first.results[0]).toMatchObject({ records: 2, errors: 0 });
    const second = await collect({
      store,
      signer,
      config: config({ fake_daily: { days: 1 } }),
      collectors: [fakeDaily],
      fixtures: dir,
    });
    expect(second.status).toBe("ok");
    const days = (await storedRecords(store)).map((r) => r.period?.start).sort();
    expect(days).toEqual([
      "2026-09-01T00:00:00.000Z",
      "2026-09-02T00:00:00.000Z",
      "2026-09-03T00:00:00.000Z",
    ]);
  });

  it("validates collector options and config keys before any call, naming the field", async () => {
    const dir = scenario({}, ["eu-west-1"]);
    const base = { store: tempStore(), signer: newSigner(), fixtures: dir };
    await expect(
      collect({ ...base, config: config({ fake_daily: { days: 0 } }), collectors: [fakeDaily] }),
    ).rejects.toThrow(/collectors\.fake_daily\.days/);
    await expect(
      collect({ ...base, config: config({ fake_daily: { dayz: 1 } }), collectors: [fakeDaily] }),
    ).rejects.toThrow(/dayz/);
    await expect(collect({ ...base, config: config({ cloudtrail_trial: {} }) })).rejects.toThrow(
      /did you mean cloudtrail_trails/,
    );
    await expect(
      collect({ ...base, config: config(), collectors: ["cognito_pools"] }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(
      collect({ ...base, config: config(), regions: ["ap-south-1"], collectors: [fakeDaily] }),
    ).rejects.toThrow(/--regions: ap-south-1 is not in scenario/);
    await expect(
      collect({
        ...base,
        config: config(),
        since: new Date("2026-12-01T00:00:00Z"),
        collectors: [fakeDaily],
      }),
    ).rejects.toThrow(/--since/);
  });

  it("pseudonymises user names with a keyed hash when asked, and needs a key for it", async () => {
    const dir = scenario({}, ["eu-west-1"]);
    const cfg = config({ fake_daily: { days: 1, pseudonymizeUsers: true } });
    await expect(
      collect({
        store: tempStore(),
        signer: newSigner(),
        config: cfg,
        collectors: [fakeDaily],
        fixtures: dir,
        pseudonymizeKey: "",
      }),
    ).rejects.toThrow(/AUDITPACK_PSEUDONYMIZE_KEY/);
    const store = tempStore();
    await collect({
      store,
      signer: newSigner(),
      config: cfg,
      collectors: [fakeDaily],
      fixtures: dir,
      pseudonymizeKey: "k1",
    });
    const [record] = await storedRecords(store);
    expect(record?.payload).toMatchObject({
      Username: pseudonym("alice", "k1"),
      userArn: `arn:aws:iam::${ACCOUNT}:user/ops/${pseudonym("alice", "k1")}`,
    });
    expect(record?.redactions).toEqual(["(user names pseudonymized with HMAC-SHA256)"]);
  });

  it("redacts secrets in payloads before they are stored", async () => {
    const event = {
      eventName: "CreateAccessKey",
      responseElements: { accessKey: { secretAccessKey: SECRET, accessKeyId: "AKIA1" } },
    };
    const leaky: Collector = {
      ...fakeTrails,
      id: "fake_leaky",
      async collect(ctx) {
        await ctx.emit({
          payload: {
            clients: [{ ClientId: "c1", ClientSecret: SECRET }],
            events: [{ CloudTrailEvent: JSON.stringify(event) }],
          },
          calls: [{ service: "cloudtrail", operation: "X", params: { Password: SECRET } }],
        });
      },
    };
    const store = tempStore();
    await collect({
      store,
      signer: newSigner(),
      config: config(),
      collectors: [leaky],
      fixtures: scenario({}, ["eu-west-1"]),
    });
    const [record] = await storedRecords(store);
    expect(record?.redactions).toEqual([
      "clients[0].ClientSecret (secret-name)",
      "events[0].CloudTrailEvent.responseElements.accessKey.secretAccessKey (secret-name)",
      "calls[0].params.Password (secret-name)",
    ]);
    for (const file of allFiles(store.root)) expect(readFileSync(file).includes(SECRET)).toBe(false);
  });

  it("stores no secret from the demo fixtures anywhere (every stored byte is searched)", async () => {
    const store = tempStore();
    const summary = await collect({
      store,
      signer: newSigner(),
      config: config(),
      collectors: ["cognito_user_pools", "cloudtrail_activity"],
      fixtures: "demo",
      // The fixture event carrying a temporary password is on 2026-09-09 (eu-west-1).
      since: new Date("2026-09-08T00:00:00Z"),
      regions: ["eu-west-1"],
    });
    expect(summary.status).toBe("ok");
    const demoFiles = allFiles(path.join(PACKAGE_ROOT, "evidence-fixtures", "demo"));
    const planted = new Set<string>();
    for (const file of demoFiles) {
      for (const m of readFileSync(file, "utf8").matchAll(/fixture-[a-z-]+-DO-NOT-LEAK-\d+/g))
        planted.add(m[0]);
    }
    expect(planted.size).toBeGreaterThanOrEqual(3);
    const stored = allFiles(store.root);
    expect(stored.length).toBeGreaterThan(20);
    for (const file of stored) {
      const bytes = readFileSync(file);
      expect(bytes.includes("DO-NOT-LEAK"), file).toBe(false);
      for (const secret of planted) expect(bytes.includes(secret), file).toBe(false);
    }
    const records = await storedRecords(store);
    const redacted = records.flatMap((r) => r.redactions ?? []);
    expect(redacted.some((p) => p.endsWith(".ClientSecret (secret-name)"))).toBe(true);
    expect(redacted.some((p) => p.includes("CloudTrailEvent.requestParameters.temporaryPassword"))).toBe(
      true,
    );
  }, 60_000);
});
