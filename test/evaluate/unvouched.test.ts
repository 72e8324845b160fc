import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load.js";
import { replayScenario } from "../../src/collectors/replay-scenario.js";
import { parseConfig } from "../../src/config/load.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import type { Findings } from "../../src/evaluate/types.js";
import { Ledger } from "../../src/evidence/ledger.js";
import {
  decodeRecord,
  type EvidenceRecord,
  encodeRecord,
  parseEvidenceKey,
} from "../../src/evidence/record.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";

const NOW = new Date("2026-10-01T06:00:00Z");
const Q3 = parsePeriod("2026-Q3");
let dir: string;
let store: FsStore;
let signer: Ed25519Signer;
let pem: string;
let config: string;
let injected: EvidenceRecord[];

/** The demo store, signed with a key file the CLI can use (the configured signer). */
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "auditpack-unvouched-"));
  const keys = await generateEd25519KeyFiles(path.join(dir, "keys", "signing-key.pem"));
  signer = await Ed25519Signer.fromKeyFile(keys.keyFile);
  pem = await signer.publicKeyPem();
  store = new FsStore(path.join(dir, "store"));
  await replayScenario({ store, signer, config: parseConfig({}, "(test)"), fixtures: "demo", seal: true });
  config = path.join(dir, "auditpack.yaml");
  writeFileSync(config, "signing:\n  type: ed25519\n  keyFile: ./keys/signing-key.pem\n");
  injected = await forgedRecords(store);
}, 300_000);

afterEach(() => {
  process.exitCode = undefined;
});

/**
 * Four records as someone without the key would write them: each account and region's newest
 * config rule compliance of the quarter, an hour later, every rule NON_COMPLIANT.
 */
async function forgedRecords(from: FsStore): Promise<EvidenceRecord[]> {
  const newest = new Map<string, string>();
  for await (const info of from.list("evidence/")) {
    const parsed = parseEvidenceKey(info.key);
    if (parsed?.collector !== "config_rule_compliance" || !parsed.stamp.startsWith("2026-09-")) continue;
    newest.set(`${parsed.account}/${parsed.region}`, info.key);
  }
  const out: EvidenceRecord[] = [];
  for (const key of [...newest.values()].sort()) {
    const record = decodeRecord(await from.get(key));
    const text = JSON.stringify(record.payload).replace(
      /"ComplianceType":"COMPLIANT"/g,
      '"ComplianceType":"NON_COMPLIANT"',
    );
    const { runId: _runId, ...rest } = record;
    out.push({
      ...rest,
      collectedAt: new Date(Date.parse(record.collectedAt) + 3_600_000).toISOString(),
      payload: JSON.parse(text),
    });
  }
  expect(out).toHaveLength(4);
  return out;
}

const statuses = (f: Findings) =>
  f.requirements.map((r) => [r.id, r.status, r.checks.map((c) => c.status).join(",")]);

const evaluateQ3 = (s: FsStore) =>
  evaluate({
    store: s,
    catalog: loadCatalog("pci-dss-4.0.1"),
    requirements: ["8", "10", "11"],
    period: Q3,
    now: NOW,
    trustedKeys: [{ pem, source: "test" }],
  });

function copyOfStore(): FsStore {
  const copy = path.join(mkdtempSync(path.join(os.tmpdir(), "auditpack-unvouched-copy-")), "store");
  cpSync(store.root, copy, { recursive: true });
  return new FsStore(copy);
}

describe("records no trusted manifest lists", () => {
  it("would change verdicts if they counted: the same records through the ledger turn 11.5.1's Config rule check from PASS to FAIL", async () => {
    const copy = copyOfStore();
    const before = await evaluateQ3(copy);
    const run = new Ledger(copy, signer).beginRun({ scope: { test: "vouched" } });
    for (const r of injected) await run.writeRecord(r);
    await run.finish();
    const after = await evaluateQ3(copy);
    // 11.5.1 rests on a supporting Config rule check plus a manual part (MANUAL until an assessor
    // attaches the IDS evidence); the forged NON_COMPLIANT answers would fail the check, and with it 11.5.1.
    const ruleCheck = (f: Findings) =>
      f.requirements
        .find((r) => r.id === "11.5.1")!
        .checks.find((c) => c.id === "config_managed_rule_compliant")!;
    expect(ruleCheck(before).status).toBe("PASS");
    expect(before.requirements.find((r) => r.id === "11.5.1")!.status).toBe("MANUAL");
    expect(ruleCheck(after).status).toBe("FAIL");
    expect(after.requirements.find((r) => r.id === "11.5.1")!.status).toBe("FAIL");
  }, 120_000);

  it("injected into the store, they change no verdict and the warning names each of them", async () => {
    const copy = copyOfStore();
    const before = await evaluateQ3(copy);
    const keys: string[] = [];
    for (const r of injected) {
      const { key, bytes, sha256 } = encodeRecord(r);
      await copy.put(key, bytes, { sha256 });
      keys.push(key);
    }
    const after = await evaluateQ3(copy);
    expect(statuses(after)).toEqual(statuses(before));
    expect(after.ledger).toMatchObject({
      verified: false,
      trust: "pinned",
      warning: "4 records not vouched for by the ledger were ignored",
    });
    expect(after.ledger!.ignored.map((i) => i.key)).toEqual([...keys].sort());
    expect(after.ledger!.ignored[0]!.reason).toBe("listed in no manifest");
    expect(before.ledger).toMatchObject({ verified: true, ignored: [] });
  }, 120_000);
});

describe("report, evaluate and pull on a store with injected records", () => {
  let base: string[];
  beforeAll(async () => {
    const copy = copyOfStore();
    for (const r of injected) {
      const { key, bytes, sha256 } = encodeRecord(r);
      await copy.put(key, bytes, { sha256 });
    }
    base = ["--config", config, "--store", copy.root];
  }, 120_000);

  it("evaluate prints the warning section (text and --json)", async () => {
    const text = await runCliInProcess([
      ...base,
      "evaluate",
      "--framework",
      "pci-dss-4.0.1",
      "--requirements",
      "11",
      "--period",
      "2026-Q3",
    ]);
    expect(text.code).toBe(0);
    expect(text.stderr).toContain("4 records not vouched for by the ledger were ignored");
    expect(text.stderr).toContain(encodeRecord(injected[0]!).key);
    expect(text.stdout).toMatch(/11\.5\.1\s+MANUAL/);
    const json = await runCliInProcess([
      ...base,
      "--json",
      "evaluate",
      "--framework",
      "pci-dss-4.0.1",
      "--requirements",
      "11",
      "--period",
      "2026-Q3",
    ]);
    expect(JSON.parse(json.stdout).ledger.ignored).toHaveLength(4);
  }, 120_000);

  it("report refuses to sign, and writes nothing", async () => {
    const out = path.join(dir, "refused");
    const result = await runCliInProcess([
      ...base,
      "report",
      "--framework",
      "pci-dss-4.0.1",
      "--requirements",
      "11",
      "--period",
      "2026-Q3",
      "--out",
      out,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "refusing to sign a report whose evidence does not verify: 4 records not vouched for by the ledger were ignored",
    );
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it("report --allow-unverified signs a package marked UNVERIFIED on every page and in findings.json", async () => {
    const out = path.join(dir, "unverified");
    const result = await runCliInProcess([
      ...base,
      "report",
      "--framework",
      "pci-dss-4.0.1",
      "--requirements",
      "11",
      "--period",
      "2026-Q3",
      "--out",
      out,
      "--format",
      "pdf,json",
      "--allow-unverified",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(path.join(out, "findings.json"), "utf8")) as Findings;
    expect(findings.ledger).toMatchObject({ verified: false, unverifiedAllowed: true });
    expect(findings.requirements.find((r) => r.id === "11.5.1")!.status).toBe("MANUAL"); // unchanged by the ignored records;
    const pages = execFileSync("pdftotext", ["-layout", path.join(out, "report.pdf"), "-"])
      .toString()
      .split("\f");
    const real = pages.filter((p) => p.trim().length > 0);
    expect(real.length).toBeGreaterThan(1);
    for (const page of real) expect(page).toContain("UNVERIFIED EVIDENCE");
    // The cover's warning section names the ignored records.
    expect(real[0]).toContain("records not vouched for by the ledger were ignored: 4 record(s)");
    for (const r of injected) expect(real[0]).toContain(encodeRecord(r).sha256);
  }, 180_000);

  it("pull names the ignored records in its index", async () => {
    const out = path.join(dir, "pull-11.5.1");
    const result = await runCliInProcess([
      ...base,
      "pull",
      "--control",
      "pci-dss-4.0.1:11.5.1",
      "--from",
      "2026-07-01",
      "--to",
      "2026-09-30",
      "--out",
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const index = JSON.parse(readFileSync(path.join(out, "index.json"), "utf8"));
    expect(index.warning).toMatch(/records? not vouched for by the ledger (was|were) ignored/);
    expect(
      index.records.every((r: { key: string }) => !injected.some((i) => encodeRecord(i).key === r.key)),
    ).toBe(true);
  }, 120_000);
});
