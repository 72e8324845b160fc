import { describe, expect, it } from "vitest";
import { collect } from "../../src/collectors/run.js";
import { parseConfig } from "../../src/config/load.js";
import { Ledger } from "../../src/evidence/ledger.js";
import {
  decodeRecord,
  type EvidenceRecord,
  encodeRecord,
  parseEvidenceKey,
} from "../../src/evidence/record.js";
import type { FsStore } from "../../src/store/fs.js";
import { newSigner, tempStore } from "../evidence/ledger-helpers.js";

const config = parseConfig({}, "(test)");
const ACCOUNT = "111122223333";
const REGION = "eu-west-1";

async function activityDays(store: FsStore): Promise<string[]> {
  const days: string[] = [];
  for await (const info of store.list(`evidence/${ACCOUNT}/${REGION}/cloudtrail_activity/`)) {
    const record = decodeRecord(await store.get(info.key), parseEvidenceKey(info.key)?.sha256);
    if (record.period && !record.error) days.push(record.period.start.slice(0, 10));
  }
  return [...new Set(days)].sort();
}

/** A cloudtrail_activity day dated 2027, as someone without the key (or a broken clock) would leave it. */
function futureRecord(): EvidenceRecord {
  return {
    schema: "auditpack.evidence/v1",
    collector: "cloudtrail_activity",
    source: "fixture",
    scenario: "demo",
    account: ACCOUNT,
    region: REGION,
    collectedAt: "2027-01-02T00:00:00.000Z",
    period: { start: "2027-01-01T00:00:00.000Z", end: "2027-01-02T00:00:00.000Z" },
    calls: [],
    payload: { eventNames: [], events: [] },
  };
}

async function collectActivity(store: FsStore, signer: ReturnType<typeof newSigner>, clock: string) {
  return collect({
    store,
    signer,
    config,
    collectors: ["cloudtrail_activity"],
    accounts: [ACCOUNT],
    regions: [REGION],
    fixtures: "demo",
    now: () => new Date(clock),
  });
}

describe("incremental positions come from manifests only", () => {
  it("a future-dated record no manifest lists does not stop CloudTrail collection", async () => {
    const store = tempStore();
    const signer = newSigner();
    await collectActivity(store, signer, "2026-09-10T06:00:00Z");
    expect((await activityDays(store)).at(-1)).toBe("2026-09-10");
    const { key, bytes, sha256 } = encodeRecord(futureRecord());
    await store.put(key, bytes, { sha256 });

    const next = await collectActivity(store, signer, "2026-10-01T06:00:00Z");
    expect(next.results[0]!.records).toBeGreaterThan(15);
    const days = await activityDays(store);
    expect(days).toContain("2026-09-20");
    expect(days).toContain("2026-09-30");
  }, 120_000);

  it("(control) the same record listed by a signed manifest does move the position", async () => {
    const store = tempStore();
    const signer = newSigner();
    await collectActivity(store, signer, "2026-09-10T06:00:00Z");
    const run = new Ledger(store, signer).beginRun({ scope: { test: true } });
    await run.writeRecord(futureRecord());
    await run.finish();
    const next = await collectActivity(store, signer, "2026-10-01T06:00:00Z");
    expect(await activityDays(store)).not.toContain("2026-09-20");
    expect(next.results[0]!.records).toBeLessThan(3);
  }, 120_000);
});
