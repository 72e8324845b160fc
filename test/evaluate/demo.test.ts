import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load.js";
import { runCli } from "../../src/cli/program.js";
import { attachFile } from "../../src/evaluate/attach.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod, rangePeriod } from "../../src/evaluate/period.js";
import { pullControl } from "../../src/evaluate/pull.js";
import type { Findings, StatusInterval } from "../../src/evaluate/types.js";
import { Ledger } from "../../src/evidence/ledger.js";
import { verifyLedger } from "../../src/evidence/verify-ledger.js";
import type { Ed25519Signer } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";
import { demoStore } from "./demo-store.js";

const NOW = new Date("2026-10-01T06:00:00Z");
let store: FsStore;
let signer: Ed25519Signer;
let findings: Findings;

/** Merge touching intervals of one status into [start, end) spans. */
function spans(intervals: StatusInterval[], status: string): string[][] {
  const out: string[][] = [];
  for (const i of intervals.filter((x) => x.status === status)) {
    const last = out[out.length - 1];
    if (last && last[1] === i.start) last[1] = i.end;
    else out.push([i.start, i.end]);
  }
  return out;
}

function finding(requirement: string, check: string, resource: RegExp) {
  const r = findings.requirements.find((x) => x.id === requirement)!;
  const c = r.checks.find((x) => x.id === check)!;
  return c.findings.find((f) => resource.test(f.resource))!;
}

beforeAll(async () => {
  ({ store, signer } = await demoStore());
  findings = await evaluate({
    store,
    catalog: loadCatalog("pci-dss-4.0"),
    requirements: ["8", "10", "11"],
    period: parsePeriod("2026-Q3"),
    now: NOW,
  });
}, 300_000);

describe("2026-Q3 on the demo fixtures (evidence-fixtures/demo/DRIFT.md)", () => {
  it("is marked as demonstration data", () => {
    expect(findings.provenance).toMatchObject({ demonstration: true, scenarios: ["demo"] });
  });

  it("finds MFA off on payments-customers from SetUserPoolMfaConfig to SetUserPoolMfaConfig, to the second", () => {
    const f = finding("8.4.2", "cognito_user_pool_mfa_required", /eu-west-1_Kq7PmC2xR$/);
    expect(f.status).toBe("FAIL");
    expect(spans(f.intervals, "FAIL")).toEqual([["2026-07-22T14:03:27Z", "2026-07-29T09:41:52Z"]]);
    expect(f.reason).toContain("has MFA OFF");
  });

  it("finds the trail stopped from StopLogging to StartLogging", () => {
    const f = finding("10.2.1", "cloudtrail_logging_continuous", /trail\/payments-org-audit$/);
    expect(spans(f.intervals, "FAIL")).toEqual([["2026-08-14T21:47:13Z", "2026-08-15T22:05:41Z"]]);
    const set = finding("10.2.1", "cloudtrail_multi_region_trail_logging", /^111122223333\/eu-west-1$/);
    expect(spans(set.intervals, "FAIL")).toEqual([["2026-08-14T21:47:13Z", "2026-08-15T22:05:41Z"]]);
  });

  it("finds the security log group's retention cut to 30 days between the two PutRetentionPolicy calls", () => {
    const r = findings.requirements.find((x) =>
      x.checks.some((c) => c.id === "logs_log_group_retention_min"),
    )!;
    const f = r.checks
      .find((c) => c.id === "logs_log_group_retention_min")!
      .findings.find((x) => x.resource.includes("/aws/cloudtrail/payments-org-audit"))!;
    expect(spans(f.intervals, "FAIL")).toEqual([["2026-09-03T10:12:55Z", "2026-09-10T16:40:02Z"]]);
    expect(f.reason).toContain("keeps events 30 days; 365 required");
  });

  it("finds alarm actions disabled on the sign-in failure alarm from DisableAlarmActions to the end of the quarter", () => {
    const f = finding("10.4.1.1", "cloudwatch_security_event_alarms", /^111122223333\/eu-west-1$/);
    expect(spans(f.intervals, "FAIL")).toEqual([["2026-08-27T08:15:33Z", "2026-10-01T00:00:00Z"]]);
    expect(f.reason).toContain("signin_failures: alarm cis-console-auth-failures has actions disabled");
  });

  it("finds the security-group alarm deleted from DeleteAlarms on (the NACL alarm does not stand in for it)", () => {
    const f = finding("11.5.2", "cloudwatch_security_event_alarms", /^111122223333\/eu-west-1$/);
    expect(spans(f.intervals, "FAIL")).toEqual([["2026-09-22T13:31:08Z", "2026-10-01T00:00:00Z"]]);
    expect(f.reason).toContain("security_group_changes: filter cis-security-group-changes has no alarm");
  });

  it("finds the Config delivery channel failing from the first daily snapshot that saw it", () => {
    const f = finding("10.7.1", "config_delivery_channel_healthy", /^111122223333\/us-east-1$/);
    expect(spans(f.intervals, "FAIL")).toEqual([["2026-09-13T06:00:00Z", "2026-10-01T00:00:00Z"]]);
  });

  it("has evidence for every check, account and region all quarter (the daily snapshots leave no gap)", () => {
    const errors = findings.requirements.flatMap((r) =>
      r.checks.flatMap((c) =>
        c.findings.filter((f) => f.status === "ERROR").map((f) => `${c.id} ${f.resource}`),
      ),
    );
    expect(errors).toEqual([]);
  });

  it("never passes what it has no evidence for", () => {
    for (const r of findings.requirements) {
      for (const c of r.checks) {
        for (const f of c.findings) {
          if (f.status === "PASS") expect(f.intervals.every((i) => i.status === "PASS")).toBe(true);
          expect(f.intervals.length).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe("attach and pull", () => {
  it("attaches a file as evidence that a MANUAL requirement then lists", async () => {
    const without = await evaluate({
      store,
      catalog: loadCatalog("pci-dss-4.0"),
      requirements: ["11.3.2"],
      period: parsePeriod("2026-Q3"),
      now: NOW,
    });
    expect(without.requirements[0]!.reason).toContain("no evidence is attached");
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "attach-")), "asv-scan-2026-q3.pdf");
    writeFileSync(file, "%PDF-1.4 passing ASV scan\n");
    const ledger = new Ledger(store, signer, { now: () => NOW });
    const result = await attachFile({
      store,
      ledger,
      control: "pci-dss-4.0:11.3.2",
      file,
      note: "external ASV scan, passing",
      validFrom: new Date("2026-07-01T00:00:00Z"),
      validTo: new Date("2026-09-30T23:59:59Z"),
      attachedBy: "alice",
      now: NOW,
    });
    expect((await store.get(result.fileKey)).toString()).toContain("passing ASV scan");
    const after = await evaluate({
      store,
      catalog: loadCatalog("pci-dss-4.0"),
      requirements: ["11.3.2"],
      period: parsePeriod("2026-Q3"),
      now: NOW,
    });
    const req = after.requirements.find((r) => r.id === "11.3.2")!;
    expect(req.status).toBe("MANUAL");
    expect(req.attachments).toEqual([
      expect.objectContaining({
        fileName: "asv-scan-2026-q3.pdf",
        attachedBy: "alice",
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        note: "external ASV scan, passing",
      }),
    ]);
    // Another quarter is not covered by it.
    const q4 = await evaluate({
      store,
      catalog: loadCatalog("pci-dss-4.0"),
      requirements: ["11.3.2"],
      period: parsePeriod("2026-Q4"),
      now: NOW,
    });
    expect(q4.requirements.find((r) => r.id === "11.3.2")!.attachments).toBeUndefined();
    const summary = await verifyLedger(store);
    expect(summary.errors).toBe(0);
  });

  it("pulls a control's evidence into a folder whose hashes verify, and a tampered file does not", async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "pull-")), "pull-8.4.2");
    const result = await pullControl({
      store,
      control: "pci-dss-4.0:8.4.2",
      period: rangePeriod("2026-07-01", "2026-09-30"),
      out,
      now: NOW,
    });
    expect(result.records).toBeGreaterThan(0);
    expect(result.manifests).toBeGreaterThan(0);
    const index = JSON.parse(readFileSync(path.join(out, "index.json"), "utf8"));
    expect(index.records.length).toBe(result.records);
    expect(readFileSync(path.join(out, "index.csv"), "utf8").split("\n")[0]).toBe(
      "key,sha256,collector,collectedAt,requirement,check",
    );
    expect(execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: out }).toString()).toBe("");
    // `auditpack verify <dir>` checks the pull offline: chain, manifests, and every pulled record.
    // The store's published key is only a candidate: pin the signer's.
    const pin = ["--public-key", path.join(path.dirname(out), "signer.pub.pem")];
    writeFileSync(pin[1]!, await signer.publicKeyPem());
    const intact = await runCli(["--json", "verify", out, ...pin]);
    expect(intact).toBe(0);
    const victim = index.records[0].key as string;
    writeFileSync(
      path.join(out, ...victim.split("/")),
      readFileSync(path.join(out, ...victim.split("/")), "utf8").replace(/"/, ' "'),
    );
    const problems: string[] = [];
    const summary = await verifyLedger(new FsStore(out), {
      excerpt: { records: new Set(index.records.map((r: { key: string }) => r.key)) },
      onProblem: (p) => p.severity === "error" && problems.push(`${p.kind} ${p.key}`),
    });
    expect(summary.ok).toBe(false);
    expect(problems).toEqual([`altered ${victim}`]);
    expect(await runCli(["verify", out, ...pin])).toBe(1);
    expect(() =>
      execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: out, stdio: "pipe" }),
    ).toThrow();
    await expect(
      pullControl({
        store,
        control: "pci-dss-4.0:8.4.2",
        period: rangePeriod("2026-07-01", "2026-09-30"),
        out,
        now: NOW,
      }),
    ).rejects.toThrow(/is not empty/);
    await expect(
      pullControl({
        store,
        control: "pci-dss-4.0:8.4.22",
        period: rangePeriod("2026-07-01", "2026-09-30"),
        out: `${out}-x`,
        now: NOW,
      }),
    ).rejects.toThrow(/no requirement "8.4.22"/);
  });
});
