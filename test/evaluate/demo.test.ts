import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load.js";
import { DEMO_ASSESSMENT } from "../../src/cli/demo-assessment.js";
import { runCli } from "../../src/cli/program.js";
import { AssessmentSchema } from "../../src/config/assessment.js";
import { attachFile } from "../../src/evaluate/attach.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod, rangePeriod } from "../../src/evaluate/period.js";
import { pullControl } from "../../src/evaluate/pull.js";
import type { Findings, StatusInterval } from "../../src/evaluate/types.js";
import { Ledger } from "../../src/evidence/ledger.js";
import { verifyLedger } from "../../src/evidence/verify-ledger.js";
import { incidentsOf, problemsOf } from "../../src/report/incidents.js";
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
    catalog: loadCatalog("pci-dss-4.0.1"),
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

  it("judges the multi-region trail homed in eu-west-1 for us-east-1 too, never 'no CloudTrail trails here'", () => {
    const f = finding("10.3.4", "cloudtrail_trail_log_file_validation_enabled", /trail\/payments-org-audit$/);
    const usEast = findings.requirements
      .find((r) => r.id === "10.3.4")!
      .checks.find((c) => c.id === "cloudtrail_trail_log_file_validation_enabled")!
      .findings.filter((x) => x.region === "us-east-1" && x.account === "111122223333");
    expect(f.status).toBe("PASS");
    expect(usEast.map((x) => [x.status, x.reason.includes("homed in eu-west-1, judged there")])).toEqual([
      ["PASS", true],
    ]);
  });

  it("reads trail delivery health from GetTrailStatus (fresh in the demo)", () => {
    const f = finding("10.3.3", "cloudtrail_trail_s3_delivery_current", /trail\/payments-org-audit$/);
    expect(f.status).toBe("PASS");
    expect(f.reason).toContain("latest S3 delivery at most 24 h old when read");
    // PASS for the whole quarter; intervals split only where the basis changes (observed, Config, activity).
    expect(f.intervals.every((i) => i.status === "PASS")).toBe(true);
    expect(f.intervals[0]!.start).toBe("2026-07-01T00:00:00Z");
    expect(f.intervals.at(-1)!.end).toBe("2026-10-01T00:00:00Z");
    for (let i = 1; i < f.intervals.length; i++) expect(f.intervals[i]!.start).toBe(f.intervals[i - 1]!.end);
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
          // Out of scope for a while (e.g. MFA off: no factor to judge) is covered, not a gap.
          if (f.status === "PASS")
            expect(f.intervals.every((i) => i.status === "PASS" || i.status === "NOT_APPLICABLE")).toBe(true);
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
      catalog: loadCatalog("pci-dss-4.0.1"),
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
      control: "pci-dss-4.0.1:11.3.2",
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
      catalog: loadCatalog("pci-dss-4.0.1"),
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
      catalog: loadCatalog("pci-dss-4.0.1"),
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
      control: "pci-dss-4.0.1:8.4.2",
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
        control: "pci-dss-4.0.1:8.4.2",
        period: rangePeriod("2026-07-01", "2026-09-30"),
        out,
        now: NOW,
      }),
    ).rejects.toThrow(/is not empty/);
    await expect(
      pullControl({
        store,
        control: "pci-dss-4.0.1:8.4.22",
        period: rangePeriod("2026-07-01", "2026-09-30"),
        out: `${out}-x`,
        now: NOW,
      }),
    ).rejects.toThrow(/no requirement "8.4.22"/);
  });
});

describe("2026-Q3 with the demo's assessment scope (src/cli/demo-assessment.ts)", () => {
  let scoped: Findings;
  const req = (id: string) => scoped.requirements.find((r) => r.id === id)!;
  const CONSUMER_POOLS = /payments-(staging-)?customers(-dr)?$/;

  beforeAll(async () => {
    scoped = await evaluate({
      store,
      catalog: loadCatalog("pci-dss-4.0.1"),
      requirements: ["8", "10", "11"],
      period: parsePeriod("2026-Q3"),
      now: NOW,
      assessment: AssessmentSchema.parse(DEMO_ASSESSMENT),
    });
  }, 300_000);

  it("states the scope: entity type, CDE, accounts and regions with reasons, every pool's role", () => {
    const statement = scoped.scope.assessment!;
    expect(statement.entityType).toBe("service-provider");
    expect(statement.cde).toContain("payments-prod");
    expect(statement.accounts.map((a) => a.id)).toEqual(["111122223333", "444455556666"]);
    expect(statement.regions.map((r) => r.region)).toEqual(["eu-west-1", "us-east-1"]);
    const roleOf = (name: string) => statement.roles.find((r) => r.name === name)?.role;
    expect(roleOf("payments-workforce")).toBe("workforce");
    expect(roleOf("payments-customers")).toBe("consumer");
    expect(roleOf("payments-customers-dr")).toBe("consumer");
    expect(roleOf("payments-staging-customers")).toBe("consumer");
    expect(roleOf("payments-prod-cardholder-data-111122223333")).toBe("cardholder-data");
    expect(roleOf("payments-prod-cloudtrail-111122223333")).toBe("log-archive");
    expect(statement.emptyRoleRules).toEqual([]);
  });

  it("does not fail consumer pools under workforce-only requirements (8.2.4, 8.3.6, 8.4.2 ...)", () => {
    for (const r of scoped.requirements.filter((x) => x.population === "workforce")) {
      for (const c of r.checks) {
        const judged = c.findings.filter((f) => CONSUMER_POOLS.test(f.name ?? ""));
        expect(judged, `${r.id} ${c.id}`).toEqual([]);
      }
    }
    const signup = req("8.2.4").checks.find((c) => c.id === "cognito_user_pool_admin_only_signup")!;
    expect(signup.status).toBe("PASS"); // only the workforce pool, which is admin-only
    expect(signup.findings.map((f) => f.name)).toContain("payments-workforce");
    const length = req("8.3.6").checks.find((c) => c.id === "cognito_user_pool_password_min_length")!;
    expect(length.findings.filter((f) => f.status === "FAIL").map((f) => f.name)).toEqual([
      "payments-workforce",
    ]);
  });

  it("holds 8.3.10.1 to customer pools only: none here, a stated empty population naming the role", () => {
    const r = req("8.3.10.1");
    expect(r.status).toBe("NOT_APPLICABLE");
    const reasons = r.checks.flatMap((c) => c.findings.map((f) => f.reason)).join(" ");
    expect(reasons).toContain("no Cognito user pools in the role customer");
    expect(r.assessment!.finding).toBe("Not Applicable");
  });

  it("8.3.10 follows 8.3.10.1 and 10.4.1 follows its failing 10.4.1.1, with the child's reason", () => {
    // 8.3.10 (manual) never reads better than what is under it; nothing is attached, so Not Tested.
    expect(req("8.3.10").status).toBe("MANUAL");
    expect(req("8.3.10").assessment!.finding).toBe("Not Tested");
    expect(req("10.4.1.1").status).toBe("FAIL");
    expect(req("10.4.1").status).toBe("FAIL");
    expect(req("10.4.1").reason).toMatch(/^FAIL through 10\.4\.1\.1 \(10\.4\.1\.1: /);
    expect(req("10.4.1").assessment!.finding).toBe("Not in Place");
  });

  it("11.5.1 is not In Place: its only check is supporting, not sufficient, and nothing is attached", () => {
    for (const id of ["11.5.1", "11.5.1.1"]) {
      expect(req(id).status, id).toBe("MANUAL");
      expect(req(id).assessment!.finding, id).toBe("Not Tested");
      expect(req(id).checks.every((c) => c.supporting)).toBe(true);
    }
    expect(req("11.5.1").reason).toContain("supporting, not sufficient");
  });

  it("no parent contradicts its children, and every heading carries a reason", () => {
    for (const r of scoped.requirements) {
      const children = scoped.requirements.filter(
        (c) => c.id.startsWith(`${r.id}.`) && c.id.split(".").length === r.id.split(".").length + 1,
      );
      if (r.status === "FAIL") {
        const own = r.checks.some((c) => c.status === "FAIL");
        expect(own || children.some((c) => c.status === "FAIL"), r.id).toBe(true);
      }
      if (children.some((c) => c.status === "FAIL")) expect(r.status, r.id).toBe("FAIL");
      expect(r.reason, r.id).toBeTruthy();
      expect(r.assessment, r.id).toBeDefined();
    }
  });

  it("keeps the cardholder-data bucket out of 10.3.2 (log files), which judges the log archive", () => {
    const rule = req("10.3.2").checks[0]!;
    const resources = rule.findings.map((f) => f.resource).join(" ");
    expect(resources).not.toContain("cardholder-data");
    expect(resources).toContain("payments-prod-cloudtrail-111122223333");
  });

  it("names the principals of the trail outage: one incident from StopLogging to StartLogging", () => {
    const trail = incidentsOf(scoped).filter(
      (i) => i.checkId === "cloudtrail_logging_continuous" && i.resource.endsWith("trail/payments-org-audit"),
    );
    expect(trail).toHaveLength(1);
    const [outage] = trail;
    expect(outage!.start.at).toBe("2026-08-14T21:47:13Z");
    expect(outage!.end?.at).toBe("2026-08-15T22:05:41Z");
    expect(outage!.start.event).toMatchObject({ name: "StopLogging", principal: "gha-payments-infra" });
    expect(outage!.end?.event).toMatchObject({
      name: "StartLogging",
      principal: "priya.raman@payments.example.com",
    });
    expect(outage!.start.evidence.some((e) => e.key.includes("/cloudtrail_activity/"))).toBe(true);
    expect(outage!.requirements).toEqual(expect.arrayContaining(["10.2.1", "10.2.1.2", "10.2.1.6"]));
  });

  it("groups the failing findings into distinct problems, each with every requirement it affects", () => {
    const failingRows = scoped.requirements.flatMap((r) =>
      r.checks.flatMap((c) => c.findings.filter((f) => f.status === "FAIL")),
    ).length;
    const problems = problemsOf(scoped);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.length).toBeLessThan(failingRows);
    const keys = problems.map((p) => `${p.checkId}|${p.account}|${p.region}|${p.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
    const trail = problems.find((p) => p.checkId === "cloudtrail_logging_continuous")!;
    expect(trail.requirements.length).toBeGreaterThan(1);
    const alarm = incidentsOf(scoped).find(
      (i) => i.checkId === "cloudwatch_security_event_alarms" && i.start.at === "2026-08-27T08:15:33Z",
    )!;
    expect(alarm.open).toBe(true);
    expect(alarm.end).toBeUndefined();
    expect(alarm.start.event).toMatchObject({
      name: "DisableAlarmActions",
      principal: "tom.oconnor@payments.example.com",
    });
  });
});

describe("the same evidence assessed for a merchant", () => {
  it("makes the service-provider-only requirements NOT_APPLICABLE with the reason, without running their checks", async () => {
    const merchant = await evaluate({
      store,
      catalog: loadCatalog("pci-dss-4.0.1"),
      requirements: ["8.3", "10.7", "11.5"],
      period: parsePeriod("2026-Q3"),
      now: NOW,
      assessment: AssessmentSchema.parse({ ...DEMO_ASSESSMENT, entityType: "merchant" }),
    });
    const get = (id: string) => merchant.requirements.find((r) => r.id === id)!;
    for (const id of ["8.3.10", "8.3.10.1", "10.7.1", "11.5.1.1"]) {
      expect(get(id).status, id).toBe("NOT_APPLICABLE");
      expect(get(id).reason, id).toContain("service providers only");
      expect(get(id).assessment!.finding, id).toBe("Not Applicable");
      expect(get(id).checks, id).toEqual([]);
    }
    expect(get("10.7.2").status).toBe("FAIL"); // applies to every entity
    expect(merchant.scope.assessment!.notApplicable).toEqual(["8.3.10", "8.3.10.1", "10.7.1", "11.5.1.1"]);
  });
});

describe("attachments made under the retired pci-dss-4.0 id", () => {
  it("still count for the same requirement of pci-dss-4.0.1, and cover the period: In Place pending review", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "attach-")), "internal-scans-q3.pdf");
    writeFileSync(file, "%PDF-1.4 internal scans\n");
    await attachFile({
      store,
      ledger: new Ledger(store, signer, { now: () => NOW }),
      control: "pci-dss-4.0:11.4.1",
      file,
      validFrom: new Date("2026-07-01T00:00:00Z"),
      validTo: new Date("2026-09-30T23:59:59Z"),
      attachedBy: "alice",
      now: NOW,
    });
    const after = await evaluate({
      store,
      catalog: loadCatalog("pci-dss-4.0.1"),
      requirements: ["11.4.1"],
      period: parsePeriod("2026-Q3"),
      now: NOW,
    });
    const r = after.requirements.find((x) => x.id === "11.4.1")!;
    expect(r.attachments?.map((a) => a.fileName)).toEqual(["internal-scans-q3.pdf"]);
    expect(r.status).toBe("MANUAL");
    expect(r.assessment).toMatchObject({ finding: "In Place", pendingReview: true });
  });
});
