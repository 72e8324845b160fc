import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listScenarios, loadScenario } from "../../src/aws/fixtures.js";
import { UsageError } from "../../src/errors.js";

const META = {
  description: "t",
  clock: "2026-09-30T23:00:00Z",
  accounts: ["111122223333"],
  regions: ["eu-west-1"],
  window: { start: "2026-07-01T00:00:00Z", end: "2026-10-01T00:00:00Z" },
};

function root(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-fixtures-"));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("loadScenario", () => {
  it("loads the bundled scenarios with their pinned clock and window", () => {
    expect(listScenarios()).toEqual(expect.arrayContaining(["demo", "empty"]));
    const demo = loadScenario("demo");
    expect(demo.accounts).toHaveLength(2);
    expect(demo.clock.getTime()).not.toBeNaN();
    expect(demo.window.start < demo.window.end).toBe(true);
    expect(Object.keys(demo.serviceFixture(demo.accounts[0]!, demo.regions[0]!, "cloudtrail"))).toContain(
      "DescribeTrails",
    );
  });

  it("reads service files lazily; a missing file is an empty fixture", () => {
    const dir = root({
      "s/scenario.json": META,
      "s/111122223333/eu-west-1/logs.json": { DescribeLogGroups: [{ response: { logGroups: [] } }] },
    });
    const s = loadScenario("s", dir);
    expect(s.name).toBe("s");
    expect(s.serviceFixture("111122223333", "eu-west-1", "logs").DescribeLogGroups).toHaveLength(1);
    expect(s.serviceFixture("111122223333", "eu-west-1", "config")).toEqual({});
    expect(loadScenario(path.join(dir, "s")).dir).toBe(path.join(dir, "s"));
  });

  it("names the file and field of a malformed scenario or service file", () => {
    const bad = root({
      "a/scenario.json": { ...META, clock: "yesterday" },
      "b/scenario.json": { ...META, accounts: ["12"] },
      "c/scenario.json": META,
      "c/111122223333/eu-west-1/cloudtrail.json": { DescribeTrails: [{ respons: {} }] },
      "d/scenario.json": META,
      "d/111122223333/eu-west-1/cloudtrial.json": {},
      "e/scenario.json": "{ not json",
      "f/scenario.json": META,
      "f/111122223333/eu-west-1/logs.json": { DescribeLogGroups: [{ response: {}, error: { code: "X" } }] },
    });
    expect(usageMessage(() => loadScenario("a", bad))).toMatch(/a\/scenario\.json[\s\S]*clock/);
    expect(usageMessage(() => loadScenario("b", bad))).toMatch(
      /accounts\[0\]: an AWS account id is 12 digits/,
    );
    const c = loadScenario("c", bad);
    expect(usageMessage(() => c.serviceFixture("111122223333", "eu-west-1", "cloudtrail"))).toMatch(
      /cloudtrail\.json[\s\S]*DescribeTrails\[0\]: unknown key "respons"/,
    );
    expect(usageMessage(() => loadScenario("d", bad))).toMatch(/cloudtrial\.json: not a service file/);
    expect(usageMessage(() => loadScenario("e", bad))).toMatch(/not valid JSON/);
    const f = loadScenario("f", bad);
    expect(usageMessage(() => f.serviceFixture("111122223333", "eu-west-1", "logs"))).toMatch(
      /either response or error/,
    );
  });

  it("answers as of a run's clock: from is inclusive, until exclusive, and neither reaches the replay", () => {
    const group = (days: number) => ({ logGroups: [{ logGroupName: "/app", retentionInDays: days }] });
    const dir = root({
      "s/scenario.json": {
        ...META,
        schedule: { collectors: ["logs_log_groups"], first: "2026-07-01T06:00:00Z", intervalHours: 24 },
      },
      "s/111122223333/eu-west-1/logs.json": {
        DescribeLogGroups: [
          { response: group(365), until: "2026-08-01T06:00:00Z" },
          { response: group(30), from: "2026-08-01T06:00:00Z", until: "2026-08-03T06:00:00Z" },
          { response: group(365), from: "2026-08-03T06:00:00Z" },
        ],
      },
    });
    const s = loadScenario("s", dir);
    expect(s.schedule).toEqual({
      collectors: ["logs_log_groups"],
      first: new Date("2026-07-01T06:00:00Z"),
      intervalHours: 24,
    });
    const at = (iso?: string) =>
      s.serviceFixture("111122223333", "eu-west-1", "logs", iso ? new Date(iso) : undefined);
    expect(at("2026-07-31T06:00:00Z").DescribeLogGroups).toEqual([{ response: group(365) }]);
    expect(at("2026-08-01T06:00:00Z").DescribeLogGroups).toEqual([{ response: group(30) }]);
    expect(at("2026-08-03T05:59:59Z").DescribeLogGroups).toEqual([{ response: group(30) }]);
    expect(at("2026-08-03T06:00:00Z").DescribeLogGroups).toEqual([{ response: group(365) }]);
    expect(at().DescribeLogGroups).toEqual([{ response: group(365) }]); // the scenario clock
  });

  it("rejects a validity range that ends before it starts, and a schedule that starts after the clock", () => {
    const bad = root({
      "r/scenario.json": META,
      "r/111122223333/eu-west-1/logs.json": {
        DescribeLogGroups: [{ response: {}, from: "2026-08-02T00:00:00Z", until: "2026-08-01T00:00:00Z" }],
      },
      "t/scenario.json": {
        ...META,
        schedule: { collectors: ["logs_log_groups"], first: "2026-10-02T00:00:00Z", intervalHours: 24 },
      },
      "u/scenario.json": {
        ...META,
        schedule: { collectors: [], first: "2026-07-01T00:00:00Z", intervalHours: 0 },
      },
    });
    const r = loadScenario("r", bad);
    expect(usageMessage(() => r.serviceFixture("111122223333", "eu-west-1", "logs"))).toMatch(
      /logs\.json[\s\S]*DescribeLogGroups\[0\]: from must be before until/,
    );
    expect(usageMessage(() => loadScenario("t", bad))).toMatch(
      /t\/scenario\.json: schedule\.first must not be after the clock/,
    );
    expect(usageMessage(() => loadScenario("u", bad))).toMatch(/schedule\.(collectors|intervalHours)/);
  });

  it("suggests the available scenarios for an unknown name", () => {
    const dir = root({ "demo/scenario.json": META });
    expect(usageMessage(() => loadScenario("dmo", dir))).toMatch(/no fixture scenario/);
    try {
      loadScenario("dmo", dir);
    } catch (e) {
      expect((e as UsageError).hint).toContain("demo");
    }
  });
});
