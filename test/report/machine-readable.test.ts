import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltReport, buildReport } from "../../src/report/package.js";
import { verifyReportPackage } from "../../src/report/verify-report.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { countIntervals, fixtureCatalog, fixtureFindings } from "./fixture.js";

/** OSCAL Assessment Results/Plan validated against NIST's 1.0.6 schemas; OCSF against the class's required list. */

const ROOT = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-machine-test-"));
const findings = fixtureFindings();
let built: BuiltReport;

const required = JSON.parse(readFileSync(path.join(import.meta.dirname, "ocsf-required.json"), "utf8")) as {
  class_uid: number;
  category_uid: number;
  required: Record<string, string[]>;
  types: Record<string, string>;
  enums: Record<string, number[]>;
};

function validator(schemaFile: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "schemas/oscal", schemaFile), "utf8")));
}
const validateResults = validator("oscal_assessment-results_schema-1.0.6.json");
const validatePlan = validator("oscal_assessment-plan_schema-1.0.6.json");

function at(record: unknown, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>(
      (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      record,
    );
}

/** Problems of one OCSF record against the committed required-attribute list. */
function ocsfProblems(record: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const paths of Object.values(required.required))
    for (const p of paths)
      if (at(record, p) === undefined || at(record, p) === null) problems.push(`${p} missing`);
  for (const [p, type] of Object.entries(required.types)) {
    const v = at(record, p);
    if (v === undefined) continue;
    const ok =
      type === "integer"
        ? Number.isInteger(v)
        : type === "string"
          ? typeof v === "string" && v !== ""
          : Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string");
    if (!ok) problems.push(`${p} is not ${type}`);
  }
  for (const [p, values] of Object.entries(required.enums)) {
    const v = at(record, p);
    if (v !== undefined && !values.includes(v as number)) problems.push(`${p}=${String(v)} not in enum`);
  }
  if (record.class_uid !== required.class_uid) problems.push("class_uid is not 2003");
  if (record.category_uid !== required.category_uid) problems.push("category_uid is not 2");
  if (record.type_uid !== (record.class_uid as number) * 100 + (record.activity_id as number))
    problems.push("type_uid is not class_uid * 100 + activity_id");
  return problems;
}

beforeAll(async () => {
  const keys = await generateEd25519KeyFiles(path.join(work, "keys", "signing-key.pem"));
  const signer = await Ed25519Signer.fromKeyFile(keys.keyFile);
  built = await buildReport({
    findings,
    catalog: fixtureCatalog(),
    out: path.join(work, "pkg"),
    sign: { signer },
    formats: ["json", "oscal", "ocsf"],
  });
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const read = (name: string) => JSON.parse(readFileSync(path.join(built.dir, name), "utf8"));

describe("OSCAL assessment results and plan", () => {
  it("validate against NIST's OSCAL 1.0.6 JSON Schemas", () => {
    const ar = read("oscal-assessment-results.json");
    const ap = read("oscal-assessment-plan.json");
    expect(validateResults(ar), JSON.stringify(validateResults.errors?.slice(0, 5), null, 2)).toBe(true);
    expect(validatePlan(ap), JSON.stringify(validatePlan.errors?.slice(0, 5), null, 2)).toBe(true);
    expect(ar["assessment-results"].metadata["oscal-version"]).toBe("1.0.6");
    expect(ar["assessment-results"]["import-ap"].href).toBe("oscal-assessment-plan.json");
  });

  it("has one observation per finding interval, with its evidence as relevant-evidence", () => {
    const result = read("oscal-assessment-results.json")["assessment-results"].results[0];
    expect(result.observations).toHaveLength(countIntervals(findings));
    const first = findings.requirements
      .flatMap((r) => r.checks)
      .flatMap((c) => c.findings)
      .find((f) => f.intervals.length > 0)!;
    const obs = result.observations.find((o: { props: Array<{ name: string; value: string }> }) =>
      o.props.some((p) => p.name === "resource" && p.value === first.resource),
    );
    expect(obs["relevant-evidence"].map((e: { href: string }) => e.href)).toEqual(
      first.intervals[0]!.evidence.map((e) => e.key),
    );
  });

  it("has one finding per requirement: satisfied for PASS, not-satisfied for FAIL, the status in props", () => {
    const result = read("oscal-assessment-results.json")["assessment-results"].results[0];
    expect(result.findings).toHaveLength(findings.requirements.length);
    const observationIds = new Set(result.observations.map((o: { uuid: string }) => o.uuid));
    for (const req of findings.requirements) {
      const f = result.findings.find((x: { props: Array<{ name: string; value: string }> }) =>
        x.props.some((p) => p.name === "requirement-id" && p.value === req.id),
      );
      expect(f.props.find((p: { name: string }) => p.name === "status").value).toBe(req.status);
      expect(f.target.status.state).toBe(
        req.status === "PASS" || req.status === "NOT_APPLICABLE" ? "satisfied" : "not-satisfied",
      );
      for (const r of f["related-observations"] ?? [])
        expect(observationIds.has(r["observation-uuid"])).toBe(true);
    }
    expect(
      result.findings.some(
        (f: { target: { status: { state: string } } }) => f.target.status.state === "not-satisfied",
      ),
    ).toBe(true);
  });

  it("a schema-breaking change is caught by the validator (the test can fail)", () => {
    const ar = read("oscal-assessment-results.json");
    ar["assessment-results"].results[0].findings[0].target.status.state = "mostly-fine";
    expect(validateResults(ar)).toBe(false);
    const ar2 = read("oscal-assessment-results.json");
    delete ar2["assessment-results"].results[0].observations[0].collected;
    expect(validateResults(ar2)).toBe(false);
  });

  it("a tampered OSCAL file fails verify-report (it is listed in SHA256SUMS)", async () => {
    const copy = path.join(work, "tampered");
    cpSync(built.dir, copy, { recursive: true });
    const sums = readFileSync(path.join(copy, "SHA256SUMS"), "utf8");
    expect(sums).toContain("oscal-assessment-results.json");
    expect(sums).toContain("oscal-assessment-plan.json");
    expect(sums).toContain("findings.ocsf.jsonl");
    expect((await verifyReportPackage(copy)).ok).toBe(true);
    const file = path.join(copy, "oscal-assessment-results.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"satisfied"', '"not-satisfied"'));
    const verdict = await verifyReportPackage(copy);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.map((p) => p.file)).toContain("oscal-assessment-results.json");
  });
});

describe("OCSF Compliance Finding records", () => {
  const records = () =>
    readFileSync(path.join(built.dir, "findings.ocsf.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it("one record per finding, each with every attribute the class requires", () => {
    const all = records();
    const count = findings.requirements.flatMap((r) => r.checks).reduce((n, c) => n + c.findings.length, 0);
    expect(all).toHaveLength(count);
    for (const r of all) expect(ocsfProblems(r)).toEqual([]);
  });

  it("maps statuses: a FAIL is compliance status Fail, a waived finding is Suppressed", () => {
    const all = records();
    expect(all.some((r) => at(r, "compliance.status_id") === 3)).toBe(true);
    expect(all.some((r) => at(r, "compliance.status_id") === 1)).toBe(true);
    const waived = findings.requirements
      .flatMap((r) => r.checks)
      .flatMap((c) => c.findings)
      .find((f) => f.waiver)!;
    const w = all.find(
      (r) => (at(r, "resources") as Array<{ uid: string }>)[0]!.uid === waived.resource && r.status_id === 3,
    );
    expect(w).toBeDefined();
  });

  it("the required-attribute check rejects a record missing one (the test can fail)", () => {
    const r = records()[0]!;
    delete (r.finding_info as Record<string, unknown>).uid;
    r.class_uid = 2001;
    expect(ocsfProblems(r)).toEqual(
      expect.arrayContaining(["finding_info.uid missing", "class_uid is not 2003"]),
    );
  });
});
