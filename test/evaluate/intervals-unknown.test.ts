import { describe, expect, it } from "vitest";
import { check } from "../../src/checks/logs/logs_log_group_retention_min.js";
import { judgeHistory } from "../../src/evaluate/intervals.js";
import type { Observation } from "../../src/state/history.js";
import type { LogGroupState } from "../../src/state/types.js";
import { withUnknown } from "../../src/state/unknown.js";

const group: LogGroupState = {
  account: "111122223333",
  region: "eu-west-1",
  id: "/trail",
  name: "/trail",
  observedAt: "2026-11-01T00:00:00Z",
  evidence: [],
  // No retentionInDays: "never expire", which passes any minimum.
  deliveredBy: ["arn:aws:cloudtrail:eu-west-1:111122223333:trail/t"],
};
const t = (iso: string) => Date.parse(iso);
const params = check.paramsSchema.parse({});
const judge = (s: LogGroupState) => check.evaluate(s, params);

describe("verdicts on reconstructed states", () => {
  it("a check that reads a field the evidence leaves unknown gives NOT_COVERED, never the PASS an undefined would give", () => {
    const observations: Observation<LogGroupState>[] = [
      {
        at: t("2026-11-01T00:00:00Z"),
        until: t("2026-11-02T00:00:00Z"),
        kind: "state",
        state: withUnknown(group, ["retentionInDays"]),
        evidence: [],
        basis: { kind: "inferred-from-activity" },
      },
      {
        at: t("2026-11-02T00:00:00Z"),
        until: t("2026-11-03T00:00:00Z"),
        kind: "state",
        state: group,
        evidence: [],
      },
    ];
    const { intervals } = judgeHistory(
      observations,
      { start: t("2026-11-01T00:00:00Z"), end: t("2026-11-03T00:00:00Z") },
      judge,
    );
    expect(intervals.map((i) => [i.status, i.basis?.kind])).toEqual([
      ["NOT_COVERED", undefined],
      ["PASS", "observed"],
    ]);
    expect(intervals[0]!.reason).toBe(
      "no evidence for 2026-11-01T00:00:00Z to 2026-11-02T00:00:00Z: retentionInDays unknown: auditpack was not collecting and AWS keeps no history of this setting",
    );
  });

  it("a field unknown but not read leaves the verdict standing", () => {
    const observations: Observation<LogGroupState>[] = [
      {
        at: t("2026-11-01T00:00:00Z"),
        until: t("2026-11-02T00:00:00Z"),
        kind: "state",
        state: withUnknown({ ...group, retentionInDays: 400 }, ["arn"]),
        evidence: [],
      },
    ];
    const { intervals } = judgeHistory(
      observations,
      { start: t("2026-11-01T00:00:00Z"), end: t("2026-11-02T00:00:00Z") },
      judge,
    );
    expect(intervals.map((i) => i.status)).toEqual(["PASS"]);
  });
});
