import { spawnSync } from "node:child_process";
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Ledger } from "../../src/evidence/ledger.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { newSigner, steppingClock, tempStore, writeRun } from "../evidence/ledger-helpers.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";

async function sealedStore() {
  const store = tempStore();
  const signer = newSigner();
  const ledger = new Ledger(store, signer, { now: steppingClock() });
  const records = await writeRun(ledger, [1, 2, 3]);
  await ledger.seal();
  return { store, signer, records };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("auditpack verify", () => {
  it("exits 0 for an intact store", async () => {
    const { store } = await sealedStore();
    const result = await runCliInProcess(["verify", store.root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ledger intact");
    const json = await runCliInProcess(["--json", "verify", store.root]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      problems: [],
      summary: { records: 3, seals: 1 },
    });
  });

  it("exits 1 and names each damaged item, one line each and in --json", async () => {
    const { store, records } = await sealedStore();
    const altered = store.pathOf(records[0]!);
    writeFileSync(altered, `${readFileSync(altered, "utf8")} `);
    unlinkSync(store.pathOf(records[2]!));
    const result = await runCliInProcess(["verify", store.root]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines.find((l) => l.startsWith("altered:"))).toContain(records[0]);
    expect(lines.find((l) => l.startsWith("missing:"))).toContain(records[2]);
    const json = await runCliInProcess(["--json", "verify", store.root]);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as {
      ok: boolean;
      problems: { kind: string; key: string; message: string }[];
    };
    expect(doc.ok).toBe(false);
    expect(doc.problems.map((p) => [p.kind, p.key]).sort()).toEqual(
      [
        ["altered", records[0]],
        ["missing", records[2]],
      ].sort(),
    );
  });

  it("works against --store too, and honours --public-key", async () => {
    const { store, signer } = await sealedStore();
    const dir = path.dirname(store.root);
    writeFileSync(path.join(dir, "mine.pub.pem"), await signer.publicKeyPem());
    writeFileSync(path.join(dir, "other.pub.pem"), await newSigner().publicKeyPem());
    expect((await runCliInProcess(["--store", store.root, "verify"])).code).toBe(0);
    expect(
      (await runCliInProcess(["verify", store.root, "--public-key", path.join(dir, "mine.pub.pem")])).code,
    ).toBe(0);
    const other = await runCliInProcess([
      "verify",
      store.root,
      "--public-key",
      path.join(dir, "other.pub.pem"),
    ]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("unknown-key:");
  });

  it("exits 2 for bad dates and paths", async () => {
    const { store } = await sealedStore();
    for (const args of [
      ["verify", store.root, "--since", "2026-02-30"],
      ["verify", store.root, "--until", "yesterday"],
      ["verify", store.root, "--since", "2026-08-01", "--until", "2026-07-01"],
      ["verify", path.join(store.root, "no-such-dir")],
      ["verify", store.root, "--public-key", "/no/such/key.pem"],
    ]) {
      const result = await runCliInProcess(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/error: .*(date|directory|not before|public-key)/);
    }
  });

  it("restricts records to --since/--until", async () => {
    const { store } = await sealedStore();
    const json = await runCliInProcess(["--json", "verify", store.root, "--since", "2026-08-01"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).summary).toMatchObject({ records: 0, seals: 1, manifests: 1 });
  });

  it("gives the same exit codes as a separate process", async () => {
    const { store, records } = await sealedStore();
    unlinkSync(store.pathOf(records[1]!));
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
        cwd: PACKAGE_ROOT,
        encoding: "utf8",
      });
    const failed = run(["verify", store.root]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`missing: record ${records[1]}`);
    expect(run(["verify", store.root, "--since", "nope"]).status).toBe(2);
  }, 60_000);
});
