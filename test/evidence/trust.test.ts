import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Ledger } from "../../src/evidence/ledger.js";
import { rotateKey } from "../../src/evidence/rotate.js";
import { resolveTrust } from "../../src/evidence/trust.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";
import { newSigner, steppingClock, tempStore, verify, writeRun } from "./ledger-helpers.js";

afterEach(() => {
  process.exitCode = undefined;
});

/** Old key: a sealed run; rotation at 2026-07-02; new key: a sealed run after it. */
async function rotatedStore() {
  const store = tempStore();
  const [oldKey, newKey] = [newSigner(), newSigner()];
  const before = new Ledger(store, oldKey, { now: steppingClock("2026-07-01T00:00:00Z") });
  await writeRun(before, [1, 2]);
  await before.seal();
  await rotateKey(store, oldKey, newKey, { at: new Date("2026-07-02T00:00:00Z"), reason: "test" });
  const after = new Ledger(store, newKey, { now: steppingClock("2026-07-03T00:00:00Z") });
  await writeRun(after, [3]);
  await after.seal();
  const anchor = async (s: typeof oldKey, source: string) => ({ pem: await s.publicKeyPem(), source });
  return { store, oldKey, newKey, anchor };
}

describe("key rotation: a signed key transition in the ledger", () => {
  it("is followed forward from the old key and backward from the new one", async () => {
    const { store, oldKey, newKey, anchor } = await rotatedStore();
    const fromOld = await verify(store, { anchors: [await anchor(oldKey, "old")] });
    expect(fromOld.errors).toEqual([]);
    expect(fromOld.summary.trust.trusted.map((k) => k.keyId)).toEqual([
      await oldKey.keyId(),
      await newKey.keyId(),
    ]);
    expect(fromOld.summary.trust.trusted[0]!.retiredAt).toBe("2026-07-02T00:00:00.000Z");
    const fromNew = await verify(store, { anchors: [await anchor(newKey, "new")] });
    expect(fromNew.errors).toEqual([]);
    expect(fromNew.summary.records).toBe(3);
  });

  it("does not trust what the retired key signs after the transition", async () => {
    const { store, oldKey, newKey, anchor } = await rotatedStore();
    const late = new Ledger(store, oldKey, { now: steppingClock("2026-07-04T00:00:00Z") });
    await writeRun(late, [4]);
    const result = await verify(store, { anchors: [await anchor(newKey, "new")] });
    expect(result.errors.map((e) => e.kind)).toEqual(["unknown-key"]);
    expect(result.errors[0]!.message).toContain(
      "was retired by a key transition at 2026-07-02T00:00:00.000Z",
    );
  });

  it("is not followed when neither key is trusted (an attacker's own transition)", async () => {
    const { store, oldKey, anchor } = await rotatedStore();
    const [a1, a2] = [newSigner(), newSigner()];
    await rotateKey(store, a1, a2, { at: new Date("2026-07-05T00:00:00Z") });
    const trust = await resolveTrust(store, { anchors: [await anchor(oldKey, "old")] });
    const a2Id = await a2.keyId();
    expect(trust.keys.has(a2Id)).toBe(false);
    expect(trust.transitions.find((x) => x.to === a2Id)).toMatchObject({ applied: false });
    expect(trust.candidates.map((c) => c.keyId)).toContain(a2Id);
  });

  it("`keys rotate` writes the transition with the configured key; verify pinned to the old key passes", async () => {
    const store = tempStore();
    const dir = path.dirname(store.root);
    const config = path.join(dir, "auditpack.yaml");
    writeFileSync(config, "signing:\n  type: ed25519\n  keyFile: ./old.pem\n");
    const base = ["--config", config, "--store", store.root];
    expect(
      (await runCliInProcess([...base, "keys", "generate", "--p12", path.join(dir, "p.p12")])).code,
    ).toBe(0);
    expect(
      (await runCliInProcess([...base, "collect", "--fixtures", "demo", "--collectors", "cloudtrail_trails"]))
        .code,
    ).toBe(0);
    const rotated = await runCliInProcess([
      ...base,
      "--json",
      "keys",
      "rotate",
      "--new-key-file",
      path.join(dir, "new.pem"),
    ]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout).key).toMatch(/^ledger\/transitions\//);
    writeFileSync(config, "signing:\n  type: ed25519\n  keyFile: ./new.pem\n");
    expect((await runCliInProcess([...base, "seal"])).code).toBe(0);
    const ok = await runCliInProcess([...base, "verify", "--public-key", path.join(dir, "old.pub.pem")]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/--public-key .*old.pub.pem, retired /);
    const same = await runCliInProcess([
      ...base,
      "keys",
      "rotate",
      "--new-key-file",
      path.join(dir, "new.pem"),
    ]);
    expect(same.code).toBe(2);
  }, 120_000);
});
