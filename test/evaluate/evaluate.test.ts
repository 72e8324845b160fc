import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { type Period, parsePeriod, pointInTime } from "../../src/evaluate/period.js";
import type { EvidenceRecord } from "../../src/evidence/record.js";
import { ACCOUNT, catalogOf, DAY_MS, iso, putAll, REGION, record, tempStore, userPool } from "./helpers.js";

const Q3 = parsePeriod("2026-Q3");
const START = Q3.start.getTime();
const NOW = new Date("2026-11-01T00:00:00Z");
const scope = { accounts: [ACCOUNT], regions: [REGION] };

/** Daily snapshots at 12:00 for every day of the quarter, with a per-day pool. */
function dailyPools(pool: (day: number) => unknown, skip: (day: number) => boolean = () => false) {
  const out = [];
  for (let d = -1; d < 92; d++) {
    if (skip(d)) continue;
    out.push(
      record("cognito_user_pools", iso(START + d * DAY_MS + 12 * 3_600_000), { userPools: [pool(d)] }),
    );
  }
  return out;
}

const MFA_REQUIRED = [{ req: "8.4.2", id: "cognito_user_pool_mfa_required" }];

/** Evaluate `records`, put in a fresh store, against 8.4.2's MFA check over Q3 unless told otherwise. */
async function evaluateRecords(
  records: EvidenceRecord[],
  options: { period?: Period; requirements?: Parameters<typeof catalogOf>[0] } = {},
) {
  const store = tempStore();
  await putAll(store, records);
  return evaluate({
    store,
    catalog: catalogOf(options.requirements ?? MFA_REQUIRED),
    period: options.period ?? Q3,
    now: NOW,
    scope,
  });
}

/** The first finding of the first check of the first requirement. */
const firstFinding = (f: Awaited<ReturnType<typeof evaluate>>) => f.requirements[0]!.checks[0]!.findings[0]!;

describe("evaluate over a period", () => {
  it("passes when every daily snapshot passes with no gap", async () => {
    const f = await evaluateRecords(dailyPools(() => userPool()));
    const finding = firstFinding(f);
    expect(f.requirements[0]!.status).toBe("PASS");
    expect(finding.intervals).toEqual([
      expect.objectContaining({ start: "2026-07-01T00:00:00Z", end: "2026-10-01T00:00:00Z", status: "PASS" }),
    ]);
    // Findings v2: the stretch cites the snapshots that start and end it; all 93 are in the table.
    expect(finding.evidence.length).toBe(2);
    expect(f.evidence).toHaveLength(93);
    expect(f.ledger?.records).toBe(93);
    const cited = new Set(finding.evidence.map((e) => e.key));
    expect(f.evidence!.filter((e) => cited.has(e.key))).toHaveLength(2);
    expect(f.evidence!.every((e) => e.collector === "cognito_user_pools")).toBe(true);
    expect(finding.evidence[0]).toMatchObject({
      key: expect.stringMatching(/^evidence\//),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(f.provenance.demonstration).toBe(false);
  });

  it("reports the failing interval to the second from the snapshots that saw it", async () => {
    // MFA OFF as seen by the snapshots of days 10..14 (12:00 each): FAIL from day 10 12:00 until the day-15 snapshot.
    const f = await evaluateRecords(dailyPools((d) => userPool({}, d >= 10 && d <= 14 ? "OFF" : "ON")));
    const finding = firstFinding(f);
    expect(finding.status).toBe("FAIL");
    expect(finding.intervals.map((i) => [i.status, i.start, i.end])).toEqual([
      ["PASS", "2026-07-01T00:00:00Z", "2026-07-11T12:00:00Z"],
      ["FAIL", "2026-07-11T12:00:00Z", "2026-07-16T12:00:00Z"],
      ["PASS", "2026-07-16T12:00:00Z", "2026-10-01T00:00:00Z"],
    ]);
    expect(finding.reason).toContain("has MFA OFF");
    expect(finding.reason).toContain("failing for 5d in 1 interval");
    // The first and the last of the five snapshots that saw it; all five are in the table.
    const failing = new Set(finding.intervals[1]!.evidence.map((e) => e.key));
    expect(f.evidence!.filter((e) => failing.has(e.key)).map((e) => e.collectedAt)).toEqual([
      "2026-07-11T12:00:00.000Z",
      "2026-07-15T12:00:00.000Z",
    ]);
    expect(
      f.evidence!.filter((e) => e.collectedAt >= "2026-07-11T12" && e.collectedAt < "2026-07-16T12"),
    ).toHaveLength(5);
  });

  it("turns a gap longer than the schedule into NOT_COVERED naming it, never PASS", async () => {
    const f = await evaluateRecords(
      dailyPools(
        () => userPool(),
        (d) => d >= 20 && d <= 24,
      ),
    );
    const finding = firstFinding(f);
    expect(finding.status).toBe("NOT_COVERED");
    const gap = finding.intervals.find((i) => i.status === "NOT_COVERED")!;
    // The day-19 snapshot holds for 24h + 2h slack; the next one is day 25 at 12:00.
    expect([gap.start, gap.end]).toEqual(["2026-07-21T14:00:00Z", "2026-07-26T12:00:00Z"]);
    expect(gap.reason).toMatch(
      /^no evidence for 2026-07-21T14:00:00Z to 2026-07-26T12:00:00Z: auditpack was not collecting/,
    );
    expect(gap.basis).toBeUndefined();
    expect(finding.intervals.find((i) => i.status === "PASS")!.basis).toEqual({ kind: "observed" });
  });

  it("keeps an observed FAIL even where coverage elsewhere is missing", async () => {
    const f = await evaluateRecords(
      dailyPools(
        (d) => userPool({}, d === 50 ? "OPTIONAL" : "ON"),
        (d) => d >= 60 && d <= 70,
      ),
    );
    const finding = firstFinding(f);
    expect(finding.status).toBe("FAIL");
    expect(finding.intervals.some((i) => i.status === "NOT_COVERED")).toBe(true);
    expect(f.requirements[0]!.status).toBe("FAIL");
  });

  it("makes error records ERROR with the AWS error, and an empty scope ERROR", async () => {
    const f = await evaluateRecords([
      record(
        "cognito_user_pools",
        "2026-07-01T00:00:00.000Z",
        {},
        {
          error: {
            code: "AccessDeniedException",
            message: "not authorized to perform cognito-idp:ListUserPools",
          },
        },
      ),
    ]);
    const finding = firstFinding(f);
    expect(finding.status).toBe("ERROR");
    expect(finding.intervals[0]).toMatchObject({
      status: "ERROR",
      start: "2026-07-01T00:00:00Z",
      end: "2026-07-02T02:00:00Z",
    });
    expect(finding.intervals[0]!.reason).toContain("AccessDeniedException");
    expect(finding.intervals[1]!.reason).toMatch(/^no evidence for/);
    // ERROR (a collection failed) outranks NOT_COVERED (nothing was collected).
    expect(finding.intervals[1]!.status).toBe("NOT_COVERED");

    const empty = await evaluateRecords([]);
    expect(empty.requirements[0]!.status).toBe("NOT_COVERED");
    expect(firstFinding(empty).reason).toContain("no evidence from cognito_user_pools");
  });

  it("is NOT_APPLICABLE when snapshots show no resources, and says why", async () => {
    const f = await evaluateRecords(
      dailyPools(() => undefined).map((r) => ({ ...r, payload: { userPools: [] } })),
    );
    const finding = firstFinding(f);
    expect(finding.status).toBe("NOT_APPLICABLE");
    expect(finding.reason).toContain("no Cognito user pools here");
  });

  it("evaluates one instant with --at", async () => {
    const f = await evaluateRecords(
      dailyPools((d) => userPool({}, d === 91 ? "OFF" : "ON")),
      { period: pointInTime("2026-09-30") },
    );
    const finding = firstFinding(f);
    expect(finding.status).toBe("FAIL");
    expect(finding.intervals).toHaveLength(1);
    expect(f.period).toMatchObject({ start: "2026-09-30T23:59:59Z", end: "2026-09-30T23:59:59Z" });
  });

  it("lists MANUAL requirements plainly without attachments and marks fixture provenance", async () => {
    const f = await evaluateRecords(
      dailyPools(() => userPool()).map((r) => ({ ...r, source: "fixture" as const, scenario: "demo" })),
      { requirements: [{ req: "11.3.2" }, ...MFA_REQUIRED] },
    );
    expect(f.requirements[0]).toMatchObject({ id: "11.3.2", status: "MANUAL", checks: [] });
    expect(f.requirements[0]!.reason).toContain("no evidence is attached");
    expect(f.provenance).toMatchObject({ demonstration: true, scenarios: ["demo"], sources: ["fixture"] });
    expect(f.summary).toMatchObject({ MANUAL: 1, PASS: 1 });
  });
});
