import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Ledger } from "../../src/evidence/ledger.js";
import { encodeRecord } from "../../src/evidence/record.js";
import { RECOVERY_PART_BASE, recoverInterrupted } from "../../src/evidence/recover.js";
import { flushInterruptedRuns } from "../../src/evidence/run-writer.js";
import { newSigner, record, steppingClock, tempStore, verify } from "./ledger-helpers.js";

const SCOPE = { accounts: ["111122223333"], regions: ["eu-west-1"], collectors: ["cloudtrail.trails"] };
const LATER = new Date("2026-07-02T00:00:00Z");

/** A run that "crashes" after three records: part 1 (records 1-2) is flushed, record 3 is listed nowhere. */
async function crashedRun() {
  const store = tempStore();
  const signer = newSigner();
  const ledger = new Ledger(store, signer, { now: steppingClock(), partSize: 2 });
  const run = ledger.beginRun({ scope: SCOPE });
  const keys: string[] = [];
  for (const n of [1, 2, 3]) keys.push((await run.writeRecord({ ...record(n), runId: run.runId })).key);
  // The third write triggered no flush (parts are flushed when the next record arrives).
  await new Promise((r) => setTimeout(r, 50));
  return { store, signer, ledger, run, keys };
}

describe("recovery of interrupted runs", () => {
  it("adopts the records a crashed run left unlisted; verify then passes and reports them as recovered", async () => {
    const { store, signer, run, keys } = await crashedRun();
    const before = await verify(store);
    expect(before.errors.map((e) => [e.kind, e.key])).toEqual([["unsigned", keys[2]]]);

    const result = await recoverInterrupted(store, { signer, now: LATER });
    expect(result).toMatchObject({ unlisted: 1, rejected: [] });
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]!).toMatchObject({ runId: run.runId, records: [{ key: keys[2] }] });
    expect(result.runs[0]!.manifest!.key).toMatch(new RegExp(`_${run.runId}_${RECOVERY_PART_BASE}\\.json$`));

    const after = await verify(store);
    expect(after.errors).toEqual([]);
    expect(after.summary.recovered).toBe(1);
    expect(after.warnings.find((w) => w.kind === "recovered")!.message).toContain(run.runId);
    // Running it again finds nothing more.
    expect(await recoverInterrupted(store, { signer, now: LATER })).toMatchObject({ unlisted: 0, runs: [] });
  });

  it("never adopts a record whose envelope does not match an interrupted run of this signer", async () => {
    const { store, signer, ledger, keys, run } = await crashedRun();
    const finished = ledger.beginRun({ scope: SCOPE });
    await finished.writeRecord({ ...record(10), runId: finished.runId });
    await finished.finish();
    const other = newSigner();
    const foreign = new Ledger(store, other, { now: steppingClock() }).beginRun({ scope: SCOPE });
    await foreign.writeRecord({ ...record(20), runId: foreign.runId }); // the other signer's run start
    const cases = {
      noRun: record(30),
      unknownRun: { ...record(31), runId: randomBytes(8).toString("hex") },
      finishedRun: { ...record(32), runId: finished.runId },
      otherSigner: { ...record(33), runId: foreign.runId },
      outOfScope: {
        ...record(34, "2026-07-01T12:00:00.000Z", "999988887777"),
        runId: run.runId,
      },
      beforeStart: { ...record(35, "2026-06-01T00:00:00.000Z"), runId: run.runId },
    };
    const injected = new Map<string, string>();
    for (const [name, r] of Object.entries(cases)) {
      const { key, bytes, sha256 } = encodeRecord(r);
      await store.put(key, bytes, { sha256 });
      injected.set(key, name);
    }
    const result = await recoverInterrupted(store, { signer, now: LATER });
    // Only the crashed run's own record (and the other signer's unlisted record is refused).
    expect(result.runs.flatMap((r) => r.records.map((e) => e.key))).toEqual([keys[2]]);
    const reasons = Object.fromEntries(result.rejected.map((r) => [injected.get(r.key) ?? r.key, r.reason]));
    expect(reasons.noRun).toMatch(/names no run/);
    expect(reasons.unknownRun).toMatch(/no run start signed by a trusted key/);
    expect(reasons.finishedRun).toMatch(/finished normally/);
    expect(reasons.otherSigner).toMatch(/no run start signed by a trusted key/);
    expect(reasons.outOfScope).toMatch(/did not set out to collect/);
    expect(reasons.beforeStart).toMatch(/before run .* started/);
    expect((await verify(store)).errors.length).toBe(result.rejected.length);
  });

  it("leaves a run that may still be running alone, and --dry-run writes nothing", async () => {
    const { store, signer, keys } = await crashedRun();
    const young = await recoverInterrupted(store, { signer, now: new Date("2026-07-01T00:01:00Z") });
    expect(young.runs).toEqual([]);
    expect(young.rejected[0]).toMatchObject({
      key: keys[2],
      reason: expect.stringMatching(/may still be running/),
    });
    const dry = await recoverInterrupted(store, { signer, now: LATER, dryRun: true });
    expect(dry.runs[0]!.manifest).toBeUndefined();
    expect((await verify(store)).errors).toHaveLength(1);
  });

  it("a signal flushes a signed partial manifest marked interrupted; the records it lists need no recovery", async () => {
    const store = tempStore();
    const signer = newSigner();
    const run = new Ledger(store, signer, { now: steppingClock() }).beginRun({ scope: SCOPE });
    for (const n of [1, 2, 3]) await run.writeRecord({ ...record(n), runId: run.runId });
    const flushed = (await flushInterruptedRuns("SIGTERM")).find((r) => r.runId === run.runId);
    expect(flushed).toMatchObject({ runId: run.runId, records: 3 });
    await expect(run.writeRecord(record(4))).rejects.toThrow(/finished/);
    const result = await verify(store);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.kind)).toContain("interrupted");
  });
});
