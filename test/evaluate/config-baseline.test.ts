import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import {
  ACCOUNT,
  catalogOf,
  putAll,
  REGION,
  tempStore,
  USER_POOL_ID,
  userPoolConfigItem,
  userPoolTimelineRecord,
} from "./helpers.js";

const Q3 = parsePeriod("2026-Q3");
const poolItem = (at: string, mfa: string) =>
  userPoolConfigItem(at, mfa, { configuration: { EnabledMfas: ["SOFTWARE_TOKEN_MFA"] } });

/** The MFA finding over 2026-Q3 from one Config timeline record (no snapshots). */
async function mfaFinding(payload: Record<string, unknown>) {
  const store = tempStore();
  await putAll(store, [userPoolTimelineRecord(payload)]);
  const f = await evaluate({
    store,
    catalog: catalogOf([{ req: "8.4.2", id: "cognito_user_pool_mfa_required" }]),
    period: Q3,
    now: new Date("2026-10-01T06:00:00Z"),
    scope: { accounts: [ACCOUNT], regions: [REGION] },
  });
  return f.requirements[0]!.checks[0]!.findings.find((x) => x.resource.endsWith(USER_POOL_ID))!;
}

describe("evaluation from AWS Config timelines at the window start", () => {
  it("covers the period from its first second with the baseline item in effect then", async () => {
    const f = await mfaFinding({
      baseline: poolItem("2026-06-14T08:21:05.000Z", "ON"),
      items: [poolItem("2026-07-01T00:40:00.000Z", "ON")],
    });
    expect(f.status).toBe("PASS");
    expect(f.intervals.map((i) => [i.start, i.status])).toEqual([["2026-07-01T00:00:00Z", "PASS"]]);
    expect(f.intervals.at(-1)!.end).toBe("2026-10-01T00:00:00Z");
  });

  it("is NOT_COVERED (no evidence) until the first item when Config had no baseline", async () => {
    const f = await mfaFinding({ items: [poolItem("2026-07-01T00:40:00.000Z", "ON")] });
    expect(f.status).toBe("NOT_COVERED");
    expect(f.intervals[0]).toMatchObject({
      start: "2026-07-01T00:00:00Z",
      end: "2026-07-01T00:40:00Z",
      status: "NOT_COVERED",
      reason: expect.stringContaining("no evidence for 2026-07-01T00:00:00Z to 2026-07-01T00:40:00Z"),
    });
    expect(f.intervals.slice(1).map((i) => [i.status, i.basis?.kind])).toEqual([["PASS", "config-timeline"]]);
  });
});
