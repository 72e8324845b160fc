import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import { loadWaivers } from "../../src/evaluate/waivers.js";
import { ACCOUNT, catalogOf, putAll, REGION, record, tempStore, userPool } from "./helpers.js";

const Q3 = parsePeriod("2026-Q3");
const scope = { accounts: [ACCOUNT], regions: [REGION] };

function waiversFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "waivers-")), "waivers.yaml");
  writeFileSync(file, text);
  return file;
}

async function lockoutFindings(expires: string) {
  const store = tempStore();
  const records = [];
  for (let d = 0; d < 93; d++) {
    const at = new Date(Date.parse("2026-06-30T12:00:00Z") + d * 86_400_000).toISOString();
    records.push(
      record("cognito_user_pools", at, {
        userPools: [userPool({ UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" } })],
      }),
    );
  }
  await putAll(store, records);
  const waivers = loadWaivers(
    waiversFile(`- id: W-001
  target: "pci-dss-4.0.1:8.3.4"
  resource: "arn:aws:cognito-idp:*:userpool/eu-west-1_*"
  reason: "pre-authentication Lambda locks accounts for 30 minutes after 6 failures"
  approver: "ciso@payments.example.com"
  expires: "${expires}"
`),
    { explicit: true },
  );
  const f = await evaluate({
    store,
    catalog: catalogOf([{ req: "8.3.4", id: "cognito_user_pool_lockout" }]),
    period: Q3,
    now: new Date("2026-11-01T00:00:00Z"),
    scope,
    waivers,
  });
  return f.requirements[0]!;
}

describe("waivers", () => {
  it("keeps a waived finding, shown as waived with its original status", async () => {
    const req = await lockoutFindings("2026-12-31");
    const finding = req.checks[0]!.findings[0]!;
    expect(finding.waiver).toMatchObject({
      id: "W-001",
      originalStatus: "FAIL",
      approver: "ciso@payments.example.com",
    });
    expect(finding.status).toBe("NOT_APPLICABLE");
    expect(finding.reason).toMatch(/^waived by W-001 .*originally FAIL: user pool payments-customers/);
    expect(finding.intervals.some((i) => i.status === "FAIL")).toBe(true);
    expect(req.status).toBe("NOT_APPLICABLE");
  });

  it("does not apply a waiver that expired before the period ended, and says so", async () => {
    const req = await lockoutFindings("2026-09-15");
    const finding = req.checks[0]!.findings[0]!;
    expect(finding.waiver).toBeUndefined();
    expect(finding.status).toBe("FAIL");
    expect(finding.reason).toContain(
      "waiver W-001 expired 2026-09-16T00:00:00Z, before the period ended; not applied",
    );
    expect(req.status).toBe("FAIL");
  });

  it("rejects a malformed file naming the file and the field", () => {
    const file = waiversFile(
      `- id: W-1\n  target: "8.3.4"\n  reason: r\n  approver: a\n  expires: "next year"\n`,
    );
    let error: UsageError | undefined;
    try {
      loadWaivers(file, { explicit: true });
    } catch (e) {
      error = e as UsageError;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error!.message).toContain(file);
    expect(error!.message).toContain("[0].target");
    expect(error!.message).toContain("[0].expires");
    expect(() => loadWaivers(waiversFile("- id: [unclosed"), { explicit: true })).toThrow(/not valid YAML/);
    expect(() => loadWaivers("/nonexistent/waivers.yaml", { explicit: true })).toThrow(/not found/);
    expect(loadWaivers("/nonexistent/waivers.yaml", { explicit: false })).toEqual([]);
  });
});
