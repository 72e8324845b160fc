import { describe, expect, it } from "vitest";
import type { Findings, ResourceFinding } from "../../src/evaluate/types.js";
import { incidentsOf, mergeAdjacent, problemsOf } from "../../src/report/incidents.js";

const ev = (n: number) => ({ key: `evidence/a/r/c/${n}.json`, sha256: String(n).padStart(64, "0") });
const stop = {
  name: "StopLogging",
  at: "2026-08-14T21:47:13Z",
  principal: "gha-payments-infra",
  evidence: ev(1),
};
const start = { name: "StartLogging", at: "2026-08-15T22:05:41Z", principal: "priya", evidence: ev(3) };

const trail: ResourceFinding = {
  resource: "arn:trail/t",
  name: "t",
  account: "111122223333",
  region: "eu-west-1",
  status: "FAIL",
  reason: "",
  evidence: [],
  intervals: [
    {
      start: "2026-07-01T00:00:00Z",
      end: "2026-08-14T21:47:13Z",
      status: "PASS",
      reason: "logging",
      evidence: [ev(0)],
    },
    {
      start: "2026-08-14T21:47:13Z",
      end: "2026-08-14T21:53:38Z",
      status: "FAIL",
      reason: "not logging (per CloudTrail event)",
      evidence: [ev(1)],
      startEvent: stop,
    },
    {
      start: "2026-08-14T21:53:38Z",
      end: "2026-08-15T22:05:41Z",
      status: "FAIL",
      reason: "not logging",
      evidence: [ev(2)],
    },
    {
      start: "2026-08-15T22:05:41Z",
      end: "2026-10-01T00:00:00Z",
      status: "PASS",
      reason: "logging",
      evidence: [ev(3)],
      startEvent: start,
    },
  ],
};
const alarm: ResourceFinding = {
  resource: "111122223333/eu-west-1",
  account: "111122223333",
  region: "eu-west-1",
  status: "FAIL",
  reason: "",
  evidence: [],
  intervals: [
    {
      start: "2026-07-01T00:00:00Z",
      end: "2026-08-27T08:15:33Z",
      status: "PASS",
      reason: "ok",
      evidence: [],
    },
    {
      start: "2026-08-27T08:15:33Z",
      end: "2026-10-01T00:00:00Z",
      status: "FAIL",
      reason: "actions disabled",
      evidence: [ev(5)],
    },
  ],
};

const findings = {
  period: { start: "2026-07-01T00:00:00Z", end: "2026-10-01T00:00:00Z", label: "2026-Q3" },
  requirements: [
    {
      id: "10.2.1",
      title: "",
      status: "FAIL",
      checks: [{ id: "cloudtrail_logging_continuous", status: "FAIL", findings: [trail] }],
    },
    {
      id: "10.2.1.6",
      title: "",
      status: "FAIL",
      checks: [{ id: "cloudtrail_logging_continuous", status: "FAIL", findings: [trail] }],
    },
    {
      id: "10.4.1.1",
      title: "",
      status: "FAIL",
      checks: [{ id: "cloudwatch_security_event_alarms", status: "FAIL", findings: [alarm] }],
    },
  ],
} as unknown as Findings;

describe("incident cards", () => {
  it("merge adjacent failing intervals into one, with the reason in force at its end", () => {
    const merged = mergeAdjacent(trail.intervals);
    expect(merged.map((i) => [i.status, i.start, i.end])).toEqual([
      ["PASS", "2026-07-01T00:00:00Z", "2026-08-14T21:47:13Z"],
      ["FAIL", "2026-08-14T21:47:13Z", "2026-08-15T22:05:41Z"],
      ["PASS", "2026-08-15T22:05:41Z", "2026-10-01T00:00:00Z"],
    ]);
    expect(merged[1]!.reason).toBe("not logging");
    expect(merged[1]!.startEvent).toEqual(stop);
  });

  it("name the event and principal of each edge with the evidence proving it; one card for every requirement", () => {
    const cards = incidentsOf(findings, {
      severityOf: (id) => (id.startsWith("cloudtrail") ? "critical" : undefined),
    });
    expect(cards).toHaveLength(2);
    const outage = cards[0]!;
    expect(outage).toMatchObject({
      checkId: "cloudtrail_logging_continuous",
      severity: "critical",
      open: false,
      seconds: 87_508,
      reason: "not logging",
      requirements: ["10.2.1", "10.2.1.6"],
      start: { at: "2026-08-14T21:47:13Z", event: { principal: "gha-payments-infra" }, evidence: [ev(1)] },
      end: {
        at: "2026-08-15T22:05:41Z",
        event: { name: "StartLogging", principal: "priya" },
        evidence: [ev(3)],
      },
    });
  });

  it("leave a failure still in force at the period's end open, with no end edge", () => {
    const open = incidentsOf(findings).find((c) => c.checkId === "cloudwatch_security_event_alarms")!;
    expect(open.open).toBe(true);
    expect(open.end).toBeUndefined();
    expect(open.start.event).toBeUndefined(); // the evidence held no event at that second
  });
});

describe("the root-cause view", () => {
  it("groups failures by check and resource, each with every requirement it affects", () => {
    const problems = problemsOf(findings);
    expect(problems.map((p) => [p.checkId, p.requirements])).toEqual([
      ["cloudtrail_logging_continuous", ["10.2.1", "10.2.1.6"]],
      ["cloudwatch_security_event_alarms", ["10.4.1.1"]],
    ]);
    expect(problems[0]).toMatchObject({ incidents: 1, failingSeconds: 87_508, open: false });
    expect(problems[1]).toMatchObject({ open: true, lastFailure: "2026-10-01T00:00:00Z" });
  });

  it("is empty when nothing failed", () => {
    const clean = { ...findings, requirements: [] } as unknown as Findings;
    expect(problemsOf(clean)).toEqual([]);
    expect(incidentsOf(clean)).toEqual([]);
  });
});
