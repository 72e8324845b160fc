import { describe, expect, it } from "vitest";
import type { CoverageEntry, Findings, ResourceFinding, StatusInterval } from "../../src/evaluate/types.js";
import { cappedCoverage, coverageSection, percentText, whenText } from "../../src/report/coverage.js";
import { buildReportModel } from "../../src/report/model.js";
import { loadReportTemplate } from "../../src/report/templates.js";
import { evidence, fixtureCatalog, fixtureFindings } from "./fixture.js";

/**
 * The report model's coverage section (issue 10): per account and region, the time each check
 * watched each resource, by how it is known, the NOT_COVERED stretches and the plain-words text.
 * A 10-day period keeps the arithmetic legible: one day is 10% of a finding's time.
 */

const START = "2026-10-01T00:00:00Z";
const END = "2026-10-11T00:00:00Z";
const day = (n: number, hh = "00") => `2026-10-${String(1 + n).padStart(2, "0")}T${hh}:00:00Z`;
const ref = evidence("cognito_user_pools", "eu-west-1", "2026-10-08T00:00:00Z");

function iv(start: string, end: string, status: StatusInterval["status"], basis?: StatusInterval["basis"]) {
  return { start, end, status, reason: status, evidence: [ref], ...(basis ? { basis } : {}) };
}

function finding(resource: string, region: string, intervals: StatusInterval[], account = "111122223333") {
  const f: ResourceFinding = {
    resource,
    account,
    region,
    status: intervals.some((i) => i.status === "FAIL") ? "FAIL" : "PASS",
    reason: "",
    evidence: [ref],
    intervals,
  };
  return f;
}

const sources = (region: string, over: Partial<CoverageEntry> = {}): CoverageEntry => ({
  account: "111122223333",
  region,
  snapshots: { count: 6, first: "2026-10-08T00:00:00Z", last: "2026-10-08T00:00:00Z" },
  activity: [{ start: START, end: day(7) }],
  configTimeline: { spans: [{ start: START, end: day(7) }], resourceTypes: ["AWS::Cognito::UserPool"] },
  failedRecords: 0,
  summary: "",
  ...over,
});

/** A first run on day 7: the pool is reconstructed before it, the trail's delivery is not covered. */
function firstRun(): Findings {
  const pool = finding("pool-1", "eu-west-1", [
    // Before the period: clipped away.
    iv("2026-09-25T00:00:00Z", day(0), "PASS", { kind: "config-timeline" }),
    iv(day(0), day(3), "PASS", { kind: "config-timeline" }),
    iv(day(3), day(7), "FAIL", {
      kind: "inferred-from-activity",
      events: [{ name: "UpdateUserPool", at: day(3) }],
      coverage: { start: START, end: day(7) },
    }),
    iv(day(7), END, "FAIL", { kind: "observed" }),
  ]);
  const delivery = finding("trail-1", "eu-west-1", [
    iv(day(0), day(7), "NOT_COVERED"),
    iv(day(7), END, "PASS", { kind: "observed" }),
  ]);
  const alarms = finding("alarms-1", "eu-west-1", [
    iv(day(0), day(7), "NOT_COVERED"),
    iv(day(7), END, "PASS", { kind: "observed" }),
  ]);
  const denied = finding("logs-1", "us-east-1", [iv(day(0), END, "ERROR")]);
  return fixtureFindings({
    period: { start: START, end: END, label: "2026-10-01..2026-10-10" },
    coverage: [
      sources("eu-west-1"),
      sources("us-east-1", { failedRecords: 2, configTimeline: { spans: [], resourceTypes: [] } }),
    ],
    requirements: [
      {
        id: "8.3.6",
        title: "Passwords",
        status: "FAIL",
        checks: [{ id: "cognito_user_pool_password_policy", status: "FAIL", findings: [pool] }],
      },
      {
        // The same check on the same resource under a second requirement is counted once.
        id: "8.3.7",
        title: "Passwords again",
        status: "FAIL",
        checks: [{ id: "cognito_user_pool_password_policy", status: "FAIL", findings: [pool] }],
      },
      {
        id: "10.2.1",
        title: "Audit logs",
        status: "NOT_COVERED",
        checks: [
          { id: "cloudtrail_trail_s3_delivery_current", status: "NOT_COVERED", findings: [delivery] },
          { id: "cloudwatch_security_event_alarms", status: "NOT_COVERED", findings: [alarms] },
          { id: "logs_log_group_retention_min", status: "ERROR", findings: [denied] },
        ],
      },
    ],
  });
}

describe("the report model's coverage section", () => {
  const model = buildReportModel({
    findings: firstRun(),
    catalog: fixtureCatalog(),
    template: loadReportTemplate("pci-dss-4.0.1"),
  });
  const [eu, us] = model.coverage.rows;

  it("measures each pair's finding time by basis, inside the period, each check on each resource once", () => {
    expect(model.coverage.rows.map((r) => `${r.account}/${r.region}`)).toEqual([
      "111122223333/eu-west-1",
      "111122223333/us-east-1",
    ]);
    const DAY = 86_400;
    // pool-1: 3 days Config, 4 days CloudTrail, 3 observed; trail-1 and alarms-1: 7 not covered, 3 observed.
    expect(eu!.findings).toBe(3);
    expect(eu!.seconds).toEqual({
      observed: 9 * DAY,
      "config-timeline": 3 * DAY,
      "inferred-from-activity": 4 * DAY,
      "not-covered": 14 * DAY,
      "not-read": 0,
      unstated: 0,
    });
    expect(eu!.percent.observed).toBeCloseTo(30, 10);
    expect(eu!.percent["not-covered"]).toBeCloseTo(46.667, 2);
    expect(eu!.notCoveredFindings).toBe(2);
    expect(us!.seconds["not-read"]).toBe(10 * DAY);
    expect(us!.percent["not-read"]).toBe(100);
    expect(model.coverage.total.findings).toBe(4);
    expect(model.coverage.total.percent["not-covered"]).toBeCloseTo(35, 10);
  });

  it("groups the NOT_COVERED stretches by when, naming the checks and how many resources", () => {
    expect(eu!.gaps).toEqual([
      {
        start: day(0),
        end: day(7),
        checks: [
          { checkId: "cloudtrail_trail_s3_delivery_current", resources: 1 },
          { checkId: "cloudwatch_security_event_alarms", resources: 1 },
        ],
      },
    ]);
    expect(us!.gaps).toEqual([]);
  });

  it("says in plain words what evidence covers the period, from when, and what nothing covers", () => {
    expect(eu!.sources?.snapshots.count).toBe(6);
    expect(eu!.text).toContain(
      "auditpack's first collection here was 2026-10-08 (6 record(s)); nothing earlier was collected",
    );
    expect(eu!.text).toContain("CloudTrail management events cover 2026-10-01 to 2026-10-08 completely");
    expect(eu!.text).toContain("AWS Config history covers 2026-10-01 to 2026-10-08 for Cognito user pools");
    expect(eu!.text).toContain(
      "Not covered: 46.7% of the finding time (2 check/resource pair(s) of 2 check(s)",
    );
    expect(us!.text).toContain("No AWS Config history");
    expect(us!.text).toContain("2 record(s) hold a collection error");
    expect(us!.text).toContain("Not read: 100% of the finding time");
    expect(model.coverage.statement).toBe(
      "Across 2 account/region pair(s), of the time each check watched each resource in the period, 22.5% observed by auditpack's own collections, 7.5% reconstructed from AWS Config history, 10.0% reconstructed from CloudTrail management events, 35.0% not covered, 25.0% not read. The stretches no evidence covers, in 2 check/resource pair(s), are reported NOT COVERED: never counted as a pass, and a requirement that holds one is never PASS.",
    );
  });

  it("carries each interval's basis to its finding row", () => {
    const rows = [...model.findingRows()].filter(
      (r) => r.resource === "pool-1" && r.requirementId === "8.3.6",
    );
    expect(rows.map((r) => r.basis?.kind)).toEqual([
      "config-timeline",
      "config-timeline",
      "inferred-from-activity",
      "observed",
    ]);
    expect(rows[2]!.basis?.events?.[0]?.name).toBe("UpdateUserPool");
  });

  it("a fully covered period says so; findings without a basis count as basis not recorded", () => {
    const covered = coverageSection(
      fixtureFindings({
        period: { start: START, end: END, label: "x" },
        requirements: [
          {
            id: "8.3.6",
            title: "Passwords",
            status: "PASS",
            checks: [
              {
                id: "c",
                status: "PASS",
                findings: [finding("p", "eu-west-1", [iv(START, END, "PASS", { kind: "observed" })])],
              },
            ],
          },
        ],
      }),
    );
    expect(covered.rows[0]!.text).toBe("Every second of the period is observed or reconstructed.");
    expect(covered.statement).toMatch(
      /100% observed .* Every second of the period is covered by evidence\.$/,
    );
    // The report fixture predates bases: its time is "basis not recorded", never "observed".
    const old = coverageSection(fixtureFindings());
    expect(old.total.percent.unstated).toBeGreaterThan(0);
    expect(old.total.seconds.observed).toBe(0);
    expect(old.statement).toContain("of unrecorded basis");
    expect(old.statement).not.toContain("Every second");
  });

  it("keeps the weakest pairs when capped and sums the others in one line", () => {
    const findings = fixtureFindings({
      period: { start: START, end: END, label: "x" },
      requirements: [
        {
          id: "8.3.6",
          title: "Passwords",
          status: "NOT_COVERED",
          checks: [
            {
              id: "c",
              status: "NOT_COVERED",
              findings: Array.from({ length: 10 }, (_, n) =>
                finding(
                  `p${n}`,
                  "eu-west-1",
                  [iv(START, day(n), "NOT_COVERED"), iv(day(n), END, "PASS", { kind: "observed" })],
                  String(100000000000 + n),
                ),
              ),
            },
          ],
        },
      ],
    });
    const rows = coverageSection(findings).rows;
    expect(rows).toHaveLength(10);
    const capped = cappedCoverage(rows, 3);
    // p9, p8 and p7 have the longest stretches not covered; order stays by account.
    expect(capped.rows.map((r) => r.account)).toEqual(["100000000007", "100000000008", "100000000009"]);
    expect(capped.rest?.pairs).toBe(7);
    expect(capped.rest?.findings).toBe(7);
    // Days not covered: 0 + 1 + ... + 6 = 21 of 70.
    expect(capped.rest?.percent["not-covered"]).toBeCloseTo(30, 10);
    expect(capped.rest?.text).toContain("30.0% of their finding time is not covered");
    expect(cappedCoverage(rows, 10).rest).toBeUndefined();
  });

  it("formats shares and instants for people", () => {
    expect([0, 0.01, 12.345, 37, 99.99, 100].map(percentText)).toEqual([
      "0%",
      "<0.1%",
      "12.3%",
      "37.0%",
      ">99.9%",
      "100%",
    ]);
    expect(whenText("2026-10-01T00:00:00Z")).toBe("2026-10-01");
    expect(whenText("2026-10-28T09:26:51Z")).toBe("2026-10-28 09:26:51 UTC");
    expect(whenText("2026-11-16T09:00:00Z")).toBe("2026-11-16 09:00 UTC");
  });
});
