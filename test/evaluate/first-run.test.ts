import { beforeAll, describe, expect, it } from "vitest";
import { FIRST_RUN_TIMES as T } from "../../evidence-fixtures/_generator/first-run.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import type { Findings, StatusInterval } from "../../src/evaluate/types.js";
import { scenarioStore } from "./demo-store.js";

/** An hour after the scenario's single collection (evidence-fixtures/first-run/FIRST-RUN.md). */
const NOW = new Date("2026-11-16T10:00:00Z");
let findings: Findings;

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
  const f = c.findings.find((x) => resource.test(x.resource));
  if (!f) throw new Error(`no finding of ${check} for ${resource}`);
  return f;
}

beforeAll(async () => {
  const { store } = await scenarioStore("first-run");
  findings = await evaluate({
    store,
    catalog: loadCatalog("pci-dss-4.0.1"),
    requirements: ["8", "10", "11"],
    period: parsePeriod("2026-Q4"),
    now: NOW,
  });
}, 300_000);

describe("a first run mid-quarter reconstructs 2026-Q4 so far from AWS's own history", () => {
  it("FAILs the trail for exactly the 26 hours it was stopped, naming the stop and who made it", () => {
    const f = finding("10.2.1", "cloudtrail_logging_continuous", /trail\/payments-org-audit$/);
    expect(f.status).toBe("FAIL");
    expect(spans(f.intervals, "FAIL")).toEqual([[T.trailStopped, T.trailStarted]]);
    const stopped = f.intervals.find((i) => i.status === "FAIL")!;
    expect(stopped.reason).toContain(`StopLogging at ${T.trailStopped} by arn:aws:`);
    expect(stopped.basis?.kind).toBe("inferred-from-activity");
    expect(stopped.basis?.events?.map((e) => e.name)).toEqual(
      expect.arrayContaining(["StopLogging", "StartLogging"]),
    );
    // Logging before the stop and after the start: proven by the activity, back to the quarter's start.
    expect(spans(f.intervals, "PASS")).toEqual([
      ["2026-10-01T00:00:00Z", T.trailStopped],
      [T.trailStarted, "2026-11-16T10:00:00Z"],
    ]);
    expect(f.intervals.filter((i) => i.status === "PASS").at(-1)!.basis?.kind).toBe("observed");
    const set = finding("10.2.1", "cloudtrail_multi_region_trail_logging", /^111122223333\/eu-west-1$/);
    expect(spans(set.intervals, "FAIL")).toEqual([[T.trailStopped, T.trailStarted]]);
  });

  it("finds the minimum password length lowered at the UpdateUserPool, to the second", () => {
    const f = finding("8.3.6", "cognito_user_pool_password_min_length", /eu-west-1_Kq7PmC2xR$/);
    expect(spans(f.intervals, "PASS")).toEqual([["2026-10-01T00:00:00Z", T.poolUpdated]]);
    expect(spans(f.intervals, "FAIL")).toEqual([[T.poolUpdated, "2026-11-16T10:00:00Z"]]);
    expect(f.intervals[0]!.basis).toEqual({ kind: "config-timeline" });
    expect(f.intervals.find((i) => i.status === "FAIL")!.reason).toContain(
      `UpdateUserPool at ${T.poolUpdated}`,
    );
  });

  it("finds the security log group's retention cut at the PutRetentionPolicy", () => {
    const f = finding("10.5.1", "logs_log_group_retention_min", /payments-org-audit/);
    expect(spans(f.intervals, "PASS")).toEqual([["2026-10-01T00:00:00Z", T.retentionCut]]);
    expect(spans(f.intervals, "FAIL")).toEqual([[T.retentionCut, "2026-11-16T10:00:00Z"]]);
  });

  it("FAILs the deleted alarm from DeleteAlarms on, and calls its unrecorded configuration before that NOT_COVERED", () => {
    const f = finding("11.5.2", "cloudwatch_security_event_alarms", /^111122223333\/eu-west-1$/);
    expect(spans(f.intervals, "FAIL")).toEqual([[T.alarmDeleted, "2026-11-16T10:00:00Z"]]);
    expect(spans(f.intervals, "NOT_COVERED")).toEqual([["2026-10-01T00:00:00Z", T.alarmDeleted]]);
    expect(f.intervals[0]!.reason).toMatch(/^no evidence for 2026-10-01T00:00:00Z to 2026-10-28T09:26:51Z: /);
    expect(f.status).toBe("FAIL");
  });

  it("has no ERROR (every collection succeeded) and NOT_COVERED only where no history exists", () => {
    const all = findings.requirements.flatMap((r) =>
      r.checks.flatMap((c) => c.findings.map((f) => ({ c, f }))),
    );
    expect(all.filter(({ f }) => f.status === "ERROR").map(({ c, f }) => `${c.id} ${f.resource}`)).toEqual(
      [],
    );
    for (const { f } of all) {
      for (const i of f.intervals) {
        if (i.status === "NOT_COVERED") expect(i.basis).toBeUndefined();
        else
          expect(i.basis?.kind, `${f.resource} ${i.start}`).toMatch(
            /observed|config-timeline|inferred-from-activity/,
          );
      }
      if (f.status === "PASS")
        expect(f.intervals.every((i) => i.status === "PASS" || i.status === "NOT_APPLICABLE")).toBe(true);
    }
  });

  it("says what it could prove, per account and region, and from when", () => {
    const eu = findings.coverage!.find((c) => c.region === "eu-west-1")!;
    expect(eu.snapshots.first).toBe("2026-11-16T09:00:00Z");
    expect(eu.activity).toEqual([{ start: "2026-10-01T00:00:00Z", end: "2026-11-16T09:00:00Z" }]);
    expect(eu.configTimeline.resourceTypes).toEqual(["AWS::Cognito::UserPool", "AWS::Logs::LogGroup"]);
    expect(eu.failedRecords).toBe(0);
    expect(eu.summary).toContain("snapshots from 2026-11-16T09:00:00Z (auditpack's first collection");
    expect(findings.coverage!.map((c) => c.region).sort()).toEqual(["eu-west-1", "us-east-1"]);
  });
});
