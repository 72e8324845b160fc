import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Ledger } from "../../src/evidence/ledger.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { newSigner, steppingClock, tempStore, writeRun } from "../evidence/ledger-helpers.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";

/** A sealed store and the --public-key option that pins its signer (the store's own keys are only candidates). */
async function sealedStore() {
  const store = tempStore();
  const signer = newSigner();
  const ledger = new Ledger(store, signer, { now: steppingClock() });
  const records = await writeRun(ledger, [1, 2, 3]);
  await ledger.seal();
  const keyFile = path.join(path.dirname(store.root), "mine.pub.pem");
  writeFileSync(keyFile, await signer.publicKeyPem());
  return { store, signer, records, ledger, pin: ["--public-key", keyFile] };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("auditpack verify", () => {
  it("exits 0 for an intact store", async () => {
    const { store, pin } = await sealedStore();
    const result = await runCliInProcess(["verify", store.root, ...pin]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ledger intact");
    const json = await runCliInProcess(["--json", "verify", store.root, ...pin]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      problems: [],
      summary: { records: 3, seals: 1 },
    });
  });

  it("exits 1 and names each damaged item, one line each and in --json", async () => {
    const { store, records, pin } = await sealedStore();
    const altered = store.pathOf(records[0]!);
    writeFileSync(altered, `${readFileSync(altered, "utf8")} `);
    unlinkSync(store.pathOf(records[2]!));
    const result = await runCliInProcess(["verify", store.root, ...pin]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines.find((l) => l.startsWith("altered:"))).toContain(records[0]);
    expect(lines.find((l) => l.startsWith("missing:"))).toContain(records[2]);
    const json = await runCliInProcess(["--json", "verify", store.root, ...pin]);
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
    const { store, pin } = await sealedStore();
    const dir = path.dirname(store.root);
    writeFileSync(path.join(dir, "other.pub.pem"), await newSigner().publicKeyPem());
    expect((await runCliInProcess(["--store", store.root, "verify", ...pin])).code).toBe(0);
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

  it("exits 2 for bad dates, paths, keys and heads", async () => {
    const { store } = await sealedStore();
    const notAKey = path.join(path.dirname(store.root), "not-a-key.pem");
    writeFileSync(notAKey, "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n");
    for (const args of [
      ["verify", store.root, "--since", "2026-02-30"],
      ["verify", store.root, "--until", "yesterday"],
      ["verify", store.root, "--since", "2026-08-01", "--until", "2026-07-01"],
      ["verify", path.join(store.root, "no-such-dir")],
      ["verify", store.root, "--public-key", "/no/such/key.pem"],
      ["verify", store.root, "--public-key", notAKey],
      ["--store", path.join(store.root, "nonexistent"), "verify"],
      ["verify", store.root, "--expect-head", "1:nothex"],
      ["verify", store.root, "--min-seq", "0"],
      ["verify", store.root, "--anchor", path.join(store.root, "no-such-anchor")],
    ]) {
      const result = await runCliInProcess(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(
        /error: .*(date|directory|not before|public-key|does not exist|expect-head|min-seq)/,
      );
    }
  });

  it("restricts records to --since/--until", async () => {
    const { store, pin } = await sealedStore();
    const json = await runCliInProcess(["--json", "verify", store.root, "--since", "2026-08-01", ...pin]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).summary).toMatchObject({ records: 0, seals: 1, manifests: 1 });
  });

  it("gives the same exit codes as a separate process", async () => {
    const { store, records, pin } = await sealedStore();
    unlinkSync(store.pathOf(records[1]!));
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
        cwd: PACKAGE_ROOT,
        encoding: "utf8",
      });
    const failed = run(["verify", store.root, ...pin]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`missing: record ${records[1]}`);
    expect(run(["verify", store.root, "--since", "nope"]).status).toBe(2);
  }, 60_000);
});

describe("verify: trust anchors and rollback evidence", () => {
  it("trusts no key the store publishes: the attacker's re-signed ledger fails, naming the unknown key", async () => {
    const { store, records, pin } = await sealedStore();
    // The attacker rebuilds the whole ledger (records of their choosing) with a key of their own and publishes it.
    const attacker = newSigner();
    expect(records).toHaveLength(3);
    rmSync(path.join(store.root, "ledger"), { recursive: true });
    rmSync(path.join(store.root, "evidence"), { recursive: true });
    await writeRun(new Ledger(store, attacker, { now: steppingClock() }), [1, 2, 3]);
    await new Ledger(store, attacker, { now: steppingClock("2026-07-02T00:00:00Z") }).seal();
    const attackerId = await attacker.keyId();

    const result = await runCliInProcess(["--json", "verify", store.root, ...pin]);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(
      doc.problems.some(
        (p: { kind: string; message: string }) => p.kind === "unknown-key" && p.message.includes(attackerId),
      ),
    ).toBe(true);
    expect(doc.summary.trust.candidates.map((c: { keyId: string }) => c.keyId)).toContain(attackerId);
    const text = await runCliInProcess(["verify", store.root, ...pin]);
    expect(text.stdout).toContain(`candidate key (published in the store, not trusted): ${attackerId}`);
  });

  it("prints the head; --expect-head and --min-seq fail when the newest seal is deleted", async () => {
    const { store, ledger, pin } = await sealedStore();
    await writeRun(ledger, [4]);
    await ledger.seal();
    const json = JSON.parse((await runCliInProcess(["--json", "verify", store.root, ...pin])).stdout);
    expect(json.head).toMatchObject({ seq: 2, key: "ledger/seals/000000000002.json" });
    expect(json.head.sha256).toMatch(/^[0-9a-f]{64}$/);
    const head = `${json.head.seq}:${json.head.sha256}`;
    const text = await runCliInProcess([
      "verify",
      store.root,
      ...pin,
      "--expect-head",
      head,
      "--min-seq",
      "2",
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`head: seal #2 ledger/seals/000000000002.json sha256 ${json.head.sha256}`);

    unlinkSync(store.pathOf("ledger/seals/000000000002.json"));
    // Without pinning, deleting the newest seal leaves a shorter chain that is itself consistent.
    const rolledBack = await runCliInProcess(["verify", store.root, ...pin, "--expect-head", head]);
    expect(rolledBack.code).toBe(1);
    expect(rolledBack.stderr).toMatch(
      /rollback: --expect-head 2: seal #2 \(ledger\/seals\/000000000002.json\) is missing/,
    );
    const minSeq = await runCliInProcess(["verify", store.root, ...pin, "--min-seq", "2"]);
    expect(minSeq.code).toBe(1);
    expect(minSeq.stderr).toContain("seal #2");
  });

  it("--expect-head fails on a different chain with the same length", async () => {
    const { store, pin } = await sealedStore();
    const wrong = `1:${"0".repeat(64)}`;
    const result = await runCliInProcess(["verify", store.root, ...pin, "--expect-head", wrong]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rollback: .*seal #1 has sha256 [0-9a-f]{64}, expected 0{64}/);
  });

  it("seal --anchor writes each head to a second store; verify --anchor finds the newest N seals and their manifests deleted", async () => {
    const { store, pin } = await sealedStore();
    const dir = path.dirname(store.root);
    const anchor = path.join(dir, "anchor");
    mkdirSync(anchor);
    const config = path.join(dir, "auditpack.yaml");
    writeFileSync(config, `signing:\n  type: ed25519\n  keyFile: ./signing-key.pem\n`);
    const base = ["--config", config, "--store", store.root];
    // The configured key signs the next runs and seals; pin both keys.
    const created = await generateEd25519KeyFiles(path.join(dir, "signing-key.pem"));
    const cliKey = created.publicKeyFile;
    const cli = await runCliInProcess([...base, "--json", "seal", "--anchor", anchor]);
    expect(cli.code, cli.stderr).toBe(0);
    const ledger = new Ledger(store, await Ed25519Signer.fromKeyFile(created.keyFile), {
      now: steppingClock("2026-07-03T00:00:00Z"),
    });
    for (const n of [5, 6, 7]) {
      await writeRun(ledger, [n]);
      expect((await runCliInProcess([...base, "seal", "--anchor", anchor])).code).toBe(0);
    }
    const anchored = readdirSync(path.join(anchor, "ledger-anchors"));
    expect(anchored).toEqual([
      "000000000001.json",
      "000000000002.json",
      "000000000003.json",
      "000000000004.json",
    ]);
    const ok = await runCliInProcess([...base, "verify", ...pin, "--public-key", cliKey, "--anchor", anchor]);
    expect(ok.code, ok.stderr).toBe(0);

    // Delete the newest two seals with the manifests and records they sealed.
    for (const seq of [3, 4]) {
      const sealFile = store.pathOf(`ledger/seals/00000000000${seq}.json`);
      const seal = JSON.parse(readFileSync(sealFile, "utf8"));
      for (const m of seal.manifests) {
        const manifest = JSON.parse(readFileSync(store.pathOf(m.key), "utf8"));
        for (const r of manifest.records) rmSync(store.pathOf(r.key), { force: true });
        unlinkSync(store.pathOf(m.key));
      }
      unlinkSync(sealFile);
    }
    const plain = await runCliInProcess([...base, "verify", ...pin, "--public-key", cliKey]);
    expect(plain.code).toBe(0); // what the issue reported: a consistent, shorter chain
    const checked = await runCliInProcess([
      ...base,
      "verify",
      ...pin,
      "--public-key",
      cliKey,
      "--anchor",
      anchor,
    ]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(
      /rollback: anchor .*000000000003\.json: seal #3 .* is missing: the chain ends at #2/,
    );
    expect(checked.stderr).toMatch(/rollback: anchor .*000000000004\.json: seal #4/);
  }, 60_000);

  it("does not crash on a seal with a non-hex digest: it is named and the rest is verified", async () => {
    const { store, records, pin } = await sealedStore();
    const sealFile = store.pathOf("ledger/seals/000000000001.json");
    const seal = JSON.parse(readFileSync(sealFile, "utf8"));
    seal.manifests[0].sha256 = "zz".repeat(32);
    writeFileSync(sealFile, JSON.stringify(seal));
    unlinkSync(store.pathOf(records[1]!));
    const result = await runCliInProcess(["verify", store.root, ...pin]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("seal ledger/seals/000000000001.json is damaged: manifests is malformed");
    expect(result.stderr).toContain(`missing: record ${records[1]}`);
  });
});
