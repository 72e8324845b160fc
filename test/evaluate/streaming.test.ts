import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cloneScenario } from "../../bench/clone-scenario.js";
import { loadScenario } from "../../src/aws/fixtures.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { DEMO_FRAMEWORK, DEMO_PERIOD, DEMO_REQUIREMENTS } from "../../src/cli/demo.js";
import { replayScenario } from "../../src/collectors/replay-scenario.js";
import { parseConfig } from "../../src/config/load.js";
import { type EvaluateOptions, evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import { relatedAccounts } from "../../src/evaluate/related-accounts.js";
import type { Findings } from "../../src/evaluate/types.js";
import { canonicalJson } from "../../src/evidence/canonical.js";
import { Ed25519Signer } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";
import { putAll, record, tempStore } from "./helpers.js";

/** Findings as bytes: the same for any batch size, or streaming changed a verdict. */
const bytesOf = (f: Findings) => canonicalJson(f);

describe("streaming evaluation (one account at a time) gives the findings of a whole-scope evaluation", () => {
  it("on the demo cloned to 4 accounts", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "auditpack-clone-"));
    const accounts = cloneScenario({ from: "evidence-fixtures/demo", root, name: "demo-x2", copies: 2 });
    expect(accounts).toHaveLength(4);
    expect(new Set(accounts).size).toBe(4);
    const store = new FsStore(mkdtempSync(path.join(os.tmpdir(), "auditpack-clone-store-")));
    const signer = new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);
    await replayScenario({
      store,
      signer,
      config: parseConfig({}, "(test)"),
      fixtures: "demo-x2",
      fixturesRoot: root,
      seal: true,
    });
    const scenario = loadScenario("demo-x2", root);
    const options: EvaluateOptions = {
      store,
      catalog: loadCatalog(DEMO_FRAMEWORK),
      requirements: DEMO_REQUIREMENTS,
      period: parsePeriod(DEMO_PERIOD),
      now: scenario.clock,
      scope: { accounts: scenario.accounts, regions: scenario.regions },
    };
    const streamed = await evaluate(options);
    const whole = await evaluate({ ...options, accountsPerBatch: Number.POSITIVE_INFINITY });
    const pairs = await evaluate({ ...options, accountsPerBatch: 2 });
    expect(streamed.scope.accounts).toEqual(accounts);
    expect(streamed.ledger?.records).toBeGreaterThan(0);
    expect(bytesOf(streamed)).toBe(bytesOf(whole));
    expect(bytesOf(pairs)).toBe(bytesOf(whole));
    // The clones failed where the originals failed: the same records with other account ids.
    const failing = (f: Findings, account: string) =>
      f.requirements.flatMap((r) =>
        r.checks.flatMap((c) =>
          c.findings.filter((x) => x.account === account && x.status === "FAIL").map((x) => `${r.id}|${c.id}`),
        ),
      );
    expect(failing(streamed, accounts[2]!)).toEqual(failing(streamed, accounts[0]!));
    expect(failing(streamed, accounts[0]!).length).toBeGreaterThan(0);
  }, 600_000);

  const MANAGEMENT = "999988887777";
  const MEMBER = "111122223333";
  const CENTRAL = "222233334444";
  const WINDOW = { start: "2026-08-01T00:00:00Z", end: "2026-08-02T00:00:00Z" };

  /** A DescribeTrails entry (CloudTrail API reference, Trail type). */
  function trail(account: string, name: string, opts: { org?: boolean; logsIn?: string } = {}) {
    const home = "us-east-1";
    return {
      Name: name,
      S3BucketName: "audit-logs",
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      HomeRegion: home,
      TrailARN: `arn:aws:cloudtrail:${home}:${account}:trail/${name}`,
      LogFileValidationEnabled: false,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${home}:${opts.logsIn ?? account}:log-group:/aws/cloudtrail/${name}:*`,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: opts.org ?? false,
    };
  }
  const status = { IsLogging: true, LatestDeliveryTime: "2026-08-01T05:58:00.000Z" };
  const trailsRecords = (account: string, entries: unknown[]) =>
    ["2026-07-31T06:00:00.000Z", "2026-08-01T06:00:00.000Z"].map((at) =>
      record(
        "cloudtrail_trails",
        at,
        { trails: entries.map((t) => ({ trail: t, status })) },
        { account, region: "us-east-1" },
      ),
    );

  async function orgStore() {
    const store = tempStore();
    const orgTrail = trail(MANAGEMENT, "org-audit", { org: true });
    await putAll(store, [
      ...trailsRecords(MANAGEMENT, [orgTrail]),
      // A member sees the organisation trail as a shadow trail homed in the management account.
      ...trailsRecords(MEMBER, [orgTrail]),
      // Another member's own trail delivers to a log group in the management account.
      ...trailsRecords(CENTRAL, [trail(CENTRAL, "central", { logsIn: MANAGEMENT })]),
    ]);
    return store;
  }

  it("across accounts: an organisation trail is judged from the management account's evidence", async () => {
    const store = await orgStore();
    const options: EvaluateOptions = {
      store,
      catalog: loadCatalog("pci-dss-4.0.1"),
      period: parsePeriod("2026-08-01..2026-08-01"),
      now: new Date("2026-08-03T00:00:00Z"),
      scope: { accounts: [CENTRAL, MANAGEMENT, MEMBER], regions: ["us-east-1"] },
    };
    const streamed = await evaluate(options);
    const whole = await evaluate({ ...options, accountsPerBatch: Number.POSITIVE_INFINITY });
    expect(bytesOf(streamed)).toBe(bytesOf(whole));
    const memberTrail = streamed.requirements
      .flatMap((r) => r.checks)
      .find((c) => c.id === "cloudtrail_trail_log_file_validation_enabled")
      ?.findings.find((f) => f.account === MEMBER && f.resource.endsWith(":trail/org-audit"));
    expect(memberTrail?.status).toBe("FAIL");
    expect(memberTrail?.reason).not.toMatch(/not in the evidence read/);
  });

  it("the cross-account index names who depends on whom, and only accounts in scope", async () => {
    const store = await orgStore();
    const related = await relatedAccounts(store, {
      accounts: [CENTRAL, MANAGEMENT, MEMBER],
      regions: ["us-east-1"],
      window: { start: Date.parse(WINDOW.start), end: Date.parse(WINDOW.end) },
      now: Date.parse("2026-08-03T00:00:00Z"),
    });
    expect([...related.get(MEMBER)!]).toEqual([MANAGEMENT]);
    expect([...related.get(CENTRAL)!]).toEqual([MANAGEMENT]);
    expect([...related.get(MANAGEMENT)!]).toEqual([CENTRAL]);
    const narrow = await relatedAccounts(store, {
      accounts: [MEMBER],
      regions: ["us-east-1"],
      window: { start: Date.parse(WINDOW.start), end: Date.parse(WINDOW.end) },
      now: Date.parse("2026-08-03T00:00:00Z"),
    });
    expect([...narrow.get(MEMBER)!]).toEqual([]);
  });

  it("refuses a batch size that is not a whole number of accounts", async () => {
    const store = tempStore();
    for (const bad of [0, -1, 1.5, Number.NaN])
      await expect(
        evaluate({
          store,
          catalog: loadCatalog("pci-dss-4.0.1"),
          period: parsePeriod("2026-Q3"),
          now: new Date("2026-10-01T00:00:00Z"),
          accountsPerBatch: bad,
        }),
      ).rejects.toThrow(/accountsPerBatch must be a whole number/);
  });
});
