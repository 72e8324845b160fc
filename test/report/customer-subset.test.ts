import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { deriveCustomerPackage, isCustomerPackage } from "../../src/report/customer-subset.js";
import { type BuiltReport, buildReport } from "../../src/report/package.js";
import { verifyReportPackage } from "../../src/report/verify-report.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { fixtureCatalog, fixtureFindings } from "./fixture.js";

/** What `share` sends by default: the customer set of a full package, checksummed and signed anew. */

const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-customer-test-"));
let signer: Ed25519Signer;
let other: Ed25519Signer;
let full: BuiltReport;

beforeAll(async () => {
  signer = await Ed25519Signer.fromKeyFile(
    (await generateEd25519KeyFiles(path.join(work, "k1", "key.pem"))).keyFile,
  );
  other = await Ed25519Signer.fromKeyFile(
    (await generateEd25519KeyFiles(path.join(work, "k2", "key.pem"))).keyFile,
  );
  full = await buildReport({
    findings: fixtureFindings(),
    catalog: fixtureCatalog(),
    out: path.join(work, "full"),
    sign: { signer },
  });
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const fresh = (name: string) => {
  const dir = path.join(work, name);
  mkdirSync(dir);
  return dir;
};

describe("the customer set", () => {
  it("holds summary.pdf, OSCAL and OCSF, verifies with the same key, and a tampered file fails", async () => {
    expect(await isCustomerPackage(full.dir)).toBe(false);
    const out = fresh("customer");
    await deriveCustomerPackage(full.dir, out, async () => signer);
    expect(readdirSync(out).sort()).toEqual([
      "SHA256SUMS",
      "SHA256SUMS.sig",
      "VERIFY.txt",
      "findings.ocsf.jsonl",
      "oscal-assessment-plan.json",
      "oscal-assessment-results.json",
      "signing-key.pub.pem",
      "summary.pdf",
    ]);
    expect(await isCustomerPackage(out)).toBe(true);
    const verdict = await verifyReportPackage(out);
    expect(verdict.problems).toEqual([]);
    expect(verdict.signature?.keyId).toBe(full.keyId);
    expect(verdict.pdf).toMatchObject({ signed: true, valid: true });
    writeFileSync(path.join(out, "findings.ocsf.jsonl"), "{}\n");
    expect((await verifyReportPackage(out)).ok).toBe(false);
  });

  it("refuses another key than the one that signed the package, and a package without summary.pdf", async () => {
    await expect(deriveCustomerPackage(full.dir, fresh("wrong-key"), async () => other)).rejects.toThrow(
      /not the key that signed this package/,
    );
    const auditorOnly = await buildReport({
      findings: fixtureFindings(),
      out: path.join(work, "auditor"),
      sign: false,
      formats: ["json", "oscal"],
    });
    await expect(deriveCustomerPackage(auditorOnly.dir, fresh("none"), undefined)).rejects.toThrow(
      UsageError,
    );
  });
});
