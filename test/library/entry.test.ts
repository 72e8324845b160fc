import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

/**
 * The published entry (`import ... from "auditpack"`, resolved through package.json "exports" to the
 * built dist/) works for a user: write a record through the ledger into a disk store and verify it.
 */
const script = `
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as auditpack from "auditpack";
const dir = mkdtempSync(path.join(tmpdir(), "auditpack-lib-"));
const store = new auditpack.FsStore(path.join(dir, "store"));
const signer = await auditpack.openSigner({ type: "ed25519", keyFile: path.join(dir, "key.pem") }, dir, {
  createIfMissing: true, log: () => {} });
const ledger = new auditpack.Ledger(store, signer);
const run = ledger.beginRun({ scope: { accounts: ["111122223333"], regions: ["eu-west-1"] } });
const written = await run.writeRecord({ schema: auditpack.EVIDENCE_SCHEMA, collector: "manual_note",
  source: "manual", account: "111122223333", region: "eu-west-1", collectedAt: "2026-09-30T12:00:00.000Z",
  calls: [], payload: { note: "hello" } });
await run.finish();
await ledger.seal({ now: new Date() });
const summary = await auditpack.verifyLedger(store, {});
const period = auditpack.parsePeriod("2026-Q3");
console.log(JSON.stringify({ ok: summary.ok, records: summary.records, sha: written.sha256,
  frameworks: auditpack.listFrameworks().map((f) => f.id ?? f), period: [period.start, period.end],
  collectors: auditpack.collectorIds.length, checks: auditpack.checks.length }));
`;

/** Run a module script against the built package (cwd: the checkout) and parse its last line as JSON. */
function runThroughEntry(source: string) {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", source], {
    cwd: PACKAGE_ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

describe("the library entry", () => {
  it.skipIf(!existsSync(path.join(PACKAGE_ROOT, "dist/index.js")))(
    "imports as `auditpack` from the built package and round-trips evidence through the ledger",
    () => {
      const result = runThroughEntry(script);
      expect(result.ok).toBe(true);
      expect(result.records).toBe(1);
      expect(result.sha).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(result.frameworks)).toContain("pci-dss-4.0.1");
      expect(result.collectors).toBe(8);
      expect(result.checks).toBeGreaterThanOrEqual(21);
    },
  );
});

/** The findings of a (nearly empty) store rendered into a package while they are read back from the spill. */
const reportScript = `
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as auditpack from "auditpack";
const dir = mkdtempSync(path.join(tmpdir(), "auditpack-lib-report-"));
const store = new auditpack.FsStore(path.join(dir, "store"));
const catalog = auditpack.loadCatalog("pci-dss-4.0.1");
const built = await auditpack.evaluateStreaming(
  { store, catalog, requirements: ["8.3.6"], period: auditpack.parsePeriod("2026-Q3"),
    now: new Date("2026-10-02T00:00:00Z"), scope: { accounts: ["111122223333"], regions: ["eu-west-1"] } },
  (findings) => auditpack.buildReport({ findings, catalog, out: path.join(dir, "pkg"), formats: ["json", "csv"], sign: false }),
);
const json = JSON.parse(readFileSync(path.join(built.dir, "findings.json"), "utf8"));
console.log(JSON.stringify({ files: built.files.map((f) => f.name), requirements: json.requirements.map((r) => r.id) }));
`;

describe("the library entry renders a package from streamed findings", () => {
  it.skipIf(!existsSync(path.join(PACKAGE_ROOT, "dist/index.js")))(
    "evaluateStreaming hands buildReport findings read back from its spill",
    () => {
      const result = runThroughEntry(reportScript);
      expect(result.files).toEqual(expect.arrayContaining(["findings.json", "findings.csv", "VERIFY.txt"]));
      expect(result.requirements).toEqual(["8.3.6"]);
    },
  );
});

describe("the Lambda entry", () => {
  it.skipIf(!existsSync(path.join(PACKAGE_ROOT, "dist/lambda.js")))(
    'imports as "auditpack/lambda" (package.json exports), with the three handlers the stack names',
    () => {
      const out = execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          'const l = await import("auditpack/lambda"); console.log(JSON.stringify(["collectHandler","sealHandler","planHandler"].map((h) => typeof l[h])));',
        ],
        { cwd: PACKAGE_ROOT, encoding: "utf8" },
      );
      expect(JSON.parse(out.trim())).toEqual(["function", "function", "function"]);
    },
  );
});
