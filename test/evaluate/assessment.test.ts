import { describe, expect, it } from "vitest";
import { assessAll, assessOwn, uncoveredMs } from "../../src/evaluate/assessment.js";

const PERIOD = { start: Date.parse("2026-07-01T00:00:00Z"), end: Date.parse("2026-10-01T00:00:00Z") };
const file = (fileName: string, validFrom?: string, validTo?: string) => ({
  fileName,
  attachedAt: "2026-10-01T06:00:00Z",
  ...(validFrom ? { validFrom } : {}),
  ...(validTo ? { validTo } : {}),
});

describe("assessment findings in the standard's vocabulary", () => {
  it("maps the automated statuses", () => {
    expect(assessOwn({ id: "a", status: "PASS", reason: "ok" }, PERIOD).finding).toBe("In Place");
    expect(assessOwn({ id: "a", status: "FAIL", reason: "no" }, PERIOD).finding).toBe("Not in Place");
    expect(assessOwn({ id: "a", status: "NOT_APPLICABLE", reason: "merchant" }, PERIOD).finding).toBe(
      "Not Applicable",
    );
    expect(assessOwn({ id: "a", status: "ERROR", reason: "AccessDenied" }, PERIOD)).toMatchObject({
      finding: "Not Tested",
      reason: expect.stringContaining("AccessDenied"),
    });
  });

  it("a manual requirement without attachments is Not Tested, never a neutral MANUAL", () => {
    expect(assessOwn({ id: "11.3.2", status: "MANUAL", reason: "attach an ASV scan" }, PERIOD)).toMatchObject(
      {
        finding: "Not Tested",
        reason: expect.stringContaining("nothing is attached"),
      },
    );
  });

  it("attachments covering the period make it In Place pending assessor review; a partial one does not", () => {
    const covered = assessOwn(
      {
        id: "11.3.2",
        status: "MANUAL",
        attachments: [
          file("q3-a.pdf", "2026-07-01T00:00:00Z", "2026-08-15T00:00:00Z"),
          file("q3-b.pdf", "2026-08-10T00:00:00Z", "2026-09-30T23:59:59Z"),
        ],
      },
      PERIOD,
    );
    expect(covered).toMatchObject({ finding: "In Place", pendingReview: true });
    const partial = assessOwn(
      {
        id: "11.3.2",
        status: "MANUAL",
        attachments: [file("july.pdf", "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z")],
      },
      PERIOD,
    );
    expect(partial.finding).toBe("Not Tested");
    expect(partial.reason).toMatch(/61 day\(s\) of the period uncovered/);
    expect(uncoveredMs([], PERIOD)).toBe(PERIOD.end - PERIOD.start);
  });

  it("a parent takes the most severe finding of its own and its children's, never In Place beside a FAIL", () => {
    const result = assessAll(
      [
        { id: "10.4", status: "FAIL", reason: "through 10.4.1" },
        { id: "10.4.1", parent: "10.4", status: "FAIL", own: "MANUAL", reason: "FAIL through 10.4.1.1" },
        { id: "10.4.1.1", parent: "10.4.1", status: "FAIL", own: "FAIL", reason: "alarm actions disabled" },
        {
          id: "10.4.2",
          parent: "10.4",
          status: "MANUAL",
          own: "MANUAL",
          attachments: [file("reviews.pdf", "2026-07-01T00:00:00Z")],
        },
      ],
      PERIOD,
    );
    expect(result.get("10.4.1.1")!.finding).toBe("Not in Place");
    expect(result.get("10.4.1")!.finding).toBe("Not in Place");
    expect(result.get("10.4.2")).toMatchObject({ finding: "In Place", pendingReview: true });
    expect(result.get("10.4")!.finding).toBe("Not in Place");
    const heading = assessAll(
      [
        { id: "8.1", status: "MANUAL" },
        { id: "8.1.1", parent: "8.1", status: "MANUAL", own: "MANUAL" },
        { id: "8.1.2", parent: "8.1", status: "PASS", own: "PASS" },
      ],
      PERIOD,
    );
    expect(heading.get("8.1")).toMatchObject({ finding: "Not Tested" });
    expect(heading.get("8.1")!.reason).toContain("through 8.1.1");
  });
});
