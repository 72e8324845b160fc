import { describe, expect, it } from "vitest";
import type { Findings, ResourceFinding } from "../../src/evaluate/types.js";
import { parseEvidenceKey } from "../../src/evidence/record.js";
import { buildReportModel, periodDays, reportIdOf } from "../../src/report/model.js";
import { loadReportTemplate } from "../../src/report/templates.js";
import { countIntervals, END, evidence, fixtureCatalog, fixtureFindings, START } from "./fixture.js";

const template = loadReportTemplate("pci-dss-4.0.1");
const model = (findings: Findings = fixtureFindings(), rowsPerTable = 200) =>
  buildReportModel({
    findings,
    catalog: fixtureCatalog(),
    template: { ...template, layout: { ...template.layout, rowsPerTable } },
    organisation: "Example Payments Ltd",
  });
const section = (m: ReturnType<typeof model>, id: string) =>
  m.groups.flatMap((g) => g.requirements).find((r) => r.id === id)!;

describe("report model", () => {
  it("covers the period day by day (2026-Q3 has 92 days)", () => {
    expect(periodDays(START, END)).toHaveLength(92);
    expect(model().summary.days[0]).toBe("2026-07-01");
    expect(model().summary.days.at(-1)).toBe("2026-09-30");
  });

  it("marks each day with the worst status of the requirement's resources", () => {
    const m = model();
    const password = section(m, "8.3.6").strip;
    // FAIL from 1 July until 15 July 09:00, PASS after.
    expect(password.slice(0, 15).every((d) => d === "FAIL")).toBe(true);
    expect(password.slice(15).every((d) => d === "PASS")).toBe(true);
    expect(section(m, "8.3.6").failingDays).toBe(15);
    // Logging stopped 3 August 10:12 to 5 August 08:30: three days.
    const logging = section(m, "10.2.1");
    expect(logging.failingDays).toBe(3);
    expect(logging.strip.slice(33, 36)).toEqual(["FAIL", "FAIL", "FAIL"]);
    expect(logging.strip[32]).toBe("PASS");
    expect(logging.strip[36]).toBe("PASS");
    // A waived failure is shown as waived, not as a pass and not as a failing day.
    expect(new Set(section(m, "8.4.2").strip)).toEqual(new Set(["WAIVED"]));
    expect(section(m, "8.4.2").failingDays).toBe(0);
    expect(new Set(section(m, "10.5.1").strip)).toEqual(new Set(["ERROR"]));
    expect(new Set(section(m, "11.3.1").strip)).toEqual(new Set(["MANUAL"]));
  });

  it("rolls a heading's strip up from its sub-requirements", () => {
    const findings = fixtureFindings();
    findings.requirements.unshift({ id: "10", title: "Logging", status: "FAIL", checks: [] });
    const heading = section(model(findings), "10");
    expect(heading.strip[0]).toBe("ERROR");
    expect(heading.strip[33]).toBe("FAIL");
    expect(heading.failingDays).toBe(92);
  });

  it("lists failing intervals, waivers, attachments, evidence and the test parameters", () => {
    const m = model();
    const logging = section(m, "10.2.1");
    expect(logging.failingIntervals.total).toBe(1);
    expect(logging.failingIntervals.rows[0]).toMatchObject({
      start: "2026-08-03T10:12:00Z",
      end: "2026-08-05T08:30:00Z",
      status: "FAIL",
    });
    expect(section(m, "8.3.6").checks[0]).toMatchObject({
      parameters: "minLength=12, requireNumbers=true",
      collectors: ["cognito_user_pools"],
      resources: 2,
      failing: 1,
    });
    expect(m.waivers).toEqual([
      expect.objectContaining({ id: "W-2026-004", requirementId: "8.4.2", originalStatus: "FAIL" }),
    ]);
    expect(section(m, "11.3.1").attachments[0]!.fileName).toBe("internal-scan-q3.pdf");
    expect(section(m, "11.3.1").manual?.rationale).toContain("outside the AWS control plane");
    const ref = [...m.evidenceIndex].find((e) => e.collector === "cloudtrail_activity")!;
    expect(ref).toMatchObject({ account: "111122223333", region: "eu-west-1", requirements: ["10.2.1"] });
    expect(m.demonstration?.marking).toBe("DEMONSTRATION DATA — not evidence of a real environment");
    expect(m.text.introduction[0]).toContain("2026-07-01 to 2026-09-30");
  });

  it("generates one finding row per resource, check and interval, and the status changes", () => {
    const findings = fixtureFindings();
    const m = model(findings);
    expect([...m.findingRows()]).toHaveLength(countIntervals(findings));
    expect(m.summary.findingRows).toBe(countIntervals(findings));
    expect([...m.timeline()].map((t) => `${t.requirementId} ${t.at} ${t.from}->${t.to}`)).toEqual([
      "8.3.6 2026-07-15T09:00:00Z FAIL->PASS",
      "10.2.1 2026-08-03T10:12:00Z PASS->FAIL",
      "10.2.1 2026-08-05T08:30:00Z FAIL->PASS",
    ]);
  });

  it("caps what the PDF shows, failing resources first, and keeps the totals", () => {
    const findings = fixtureFindings();
    const ev = evidence("cognito_user_pools", "eu-west-1", "2026-07-01T02:00:00Z");
    const many: ResourceFinding[] = Array.from({ length: 500 }, (_, i) => {
      const status = i % 100 === 99 ? "FAIL" : "PASS";
      return {
        resource: `pool-${i}`,
        account: "111122223333",
        region: "eu-west-1",
        status,
        reason: status,
        evidence: [ev],
        intervals: [{ start: START, end: END, status, reason: status, evidence: [ev] }],
      };
    });
    findings.requirements[0]!.checks[0]!.findings = many;
    const s = section(model(findings, 50), "8.3.6");
    expect(s.findings.total).toBe(500);
    expect(s.findings.rows).toHaveLength(50);
    expect(s.findings.rows.slice(0, 5).map((r) => r.status)).toEqual([
      "FAIL",
      "FAIL",
      "FAIL",
      "FAIL",
      "FAIL",
    ]);
    expect(s.failingIntervals).toMatchObject({ total: 5 });
  });

  it("reads account, region, collector and time from evidence keys", () => {
    const sha = "a".repeat(64);
    expect(
      parseEvidenceKey(
        `evidence/111122223333/eu-west-1/config_recorder/2026/07/01/2026-07-01T060000.000Z_${sha}.json`,
      ),
    ).toMatchObject({
      account: "111122223333",
      region: "eu-west-1",
      collector: "config_recorder",
      collectedAt: "2026-07-01T06:00:00.000Z",
    });
    expect(parseEvidenceKey("manual/x.pdf")).toBeUndefined();
  });

  it("gives the same findings the same report id", () => {
    expect(reportIdOf(fixtureFindings())).toBe(reportIdOf(fixtureFindings()));
    expect(reportIdOf(fixtureFindings())).toMatch(/^AP-2026Q3-[0-9A-F]{10}$/);
    expect(reportIdOf(fixtureFindings({ generatedAt: "2026-10-03T00:00:00Z" }))).not.toBe(
      reportIdOf(fixtureFindings()),
    );
  });
});

describe("the model's assessment views (issue 13)", () => {
  it("carries incident cards and problems, one per failing stretch and per check x resource", () => {
    const m = model();
    const failing = fixtureFindings().requirements.flatMap((r) =>
      r.checks.flatMap((c) => c.findings.filter((f) => f.intervals.some((i) => i.status === "FAIL"))),
    );
    expect(m.incidents.length).toBeGreaterThan(0);
    expect(m.problems.length).toBeGreaterThan(0);
    expect(m.problems.length).toBeLessThanOrEqual(failing.length);
    for (const incident of m.incidents) {
      expect(incident.requirements.length).toBeGreaterThan(0);
      expect(incident.start.at < (incident.end?.at ?? "9999")).toBe(true);
    }
  });

  it("a parent's strip never shows a better day than a child's, even with checks of its own", () => {
    const m = model();
    const sections = m.groups.flatMap((g) => g.requirements);
    const rank = ["NO_DATA", "NOT_APPLICABLE", "PASS", "MANUAL", "WAIVED", "ERROR", "FAIL"];
    for (const parent of sections) {
      const children = sections.filter(
        (s) => s.id.startsWith(`${parent.id}.`) && s.id.split(".").length === parent.id.split(".").length + 1,
      );
      for (const child of children) {
        child.strip.forEach((day, d) => {
          expect(
            rank.indexOf(parent.strip[d]!),
            `${parent.id} vs ${child.id} day ${d}`,
          ).toBeGreaterThanOrEqual(rank.indexOf(day));
        });
      }
    }
  });
});
