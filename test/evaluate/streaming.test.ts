import { createHash, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/aws/fixtures.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { DEMO_FRAMEWORK, DEMO_PERIOD, DEMO_REQUIREMENTS } from "../../src/cli/demo.js";
import { replayScenario } from "../../src/collectors/replay-scenario.js";
import { parseConfig } from "../../src/config/load.js";
import { ObjectExistsError, UsageError, VerificationError } from "../../src/errors.js";
import {
  type EvaluateOptions,
  evaluate,
  evaluateBatch,
  evaluateStreaming,
  planEvaluation,
  planRelatedAccounts,
} from "../../src/evaluate/evaluate.js";
import { mergeFromPartials, mergeFromPartialsStreaming } from "../../src/evaluate/merge.js";
import { partialsPrefix, writePartial } from "../../src/evaluate/partial.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import { relatedAccounts } from "../../src/evaluate/related-accounts.js";
import type { Findings } from "../../src/evaluate/types.js";
import { canonicalBytes, canonicalJson } from "../../src/evidence/canonical.js";
import { listFiles } from "../../src/report/checksums.js";
import { findingsJsonChunks, writeFindingsJson } from "../../src/report/csv.js";
import { buildReport } from "../../src/report/package.js";
import { extractZip } from "../../src/report/zip.js";
import { Ed25519Signer } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";
import { cloneScenario } from "../helpers/clone-scenario.js";
import { putAll, record, tempStore } from "./helpers.js";

/** Findings as bytes: the same for any batch size, or streaming changed a verdict. */
const bytesOf = (f: Findings) => canonicalJson(f);

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

/** An organisation: a management account's organisation trail, a member that sees it, a member delivering to it. */
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

const orgOptions = (store: EvaluateOptions["store"]): EvaluateOptions => ({
  store,
  catalog: loadCatalog("pci-dss-4.0.1"),
  period: parsePeriod("2026-08-01..2026-08-01"),
  now: new Date("2026-08-03T00:00:00Z"),
  scope: { accounts: [CENTRAL, MANAGEMENT, MEMBER], regions: ["us-east-1"] },
});

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
          c.findings
            .filter((x) => x.account === account && x.status === "FAIL")
            .map((_x) => `${r.id}|${c.id}`),
        ),
      );
    expect(failing(streamed, accounts[2]!)).toEqual(failing(streamed, accounts[0]!));
    expect(failing(streamed, accounts[0]!).length).toBeGreaterThan(0);

    // Spilled to disk per account and streamed back (evaluate --out): the same bytes, in scope
    // order or not (a scope out of account order is sorted where the evidence table is read back).
    const spillRoot = mkdtempSync(path.join(os.tmpdir(), "auditpack-spill-root-"));
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = spillRoot;
    try {
      const out = mkdtempSync(path.join(os.tmpdir(), "auditpack-streamed-"));
      const fileOf = async (name: string, f: Parameters<typeof writeFindingsJson>[0]) => {
        await writeFindingsJson(f, path.join(out, name));
        return readFileSync(path.join(out, name));
      };
      const inMemory = await fileOf("memory.json", streamed);
      const spilled = await evaluateStreaming(options, (f) => fileOf("spilled.json", f));
      expect(spilled.equals(inMemory)).toBe(true);
      const reversed = { ...options, scope: { ...options.scope!, accounts: [...accounts].reverse() } };
      const reversedSpill = await evaluateStreaming(reversed, (f) => fileOf("reversed-spill.json", f));
      expect(reversedSpill.equals(await fileOf("reversed-memory.json", await evaluate(reversed)))).toBe(true);
      // A package built while its findings are read back from the spill on every pass (report)
      // holds the same bytes as one built from findings in memory, file for file.
      // (The workbook's zip stamps its entries with the time of writing: its entries are compared.)
      const packageOf = async (name: string, findings: Parameters<typeof buildReport>[0]["findings"]) => {
        const built = await buildReport({
          findings,
          catalog: options.catalog,
          out: path.join(out, name),
          formats: ["json", "csv", "xlsx", "pdf", "summary", "oscal", "ocsf", "html"],
          sign: false,
          signingTime: new Date("2026-10-02T00:00:00Z"),
        });
        const sheets = path.join(out, `${name}-xlsx`);
        await extractZip(path.join(built.dir, "report.xlsx"), sheets);
        const entries = (await listFiles(sheets)).map(
          (f) =>
            `report.xlsx:${f} ${createHash("sha256")
              .update(readFileSync(path.join(sheets, f)))
              .digest("hex")}`,
        );
        return [
          ...built.files.filter((f) => f.name !== "report.xlsx").map((f) => `${f.name} ${f.sha256}`),
          ...entries,
        ];
      };
      const fromMemory = await packageOf("pkg-memory", streamed);
      expect(fromMemory.length).toBeGreaterThanOrEqual(15);
      expect(await evaluateStreaming(options, (f) => packageOf("pkg-spilled", f))).toEqual(fromMemory);
      // The spill is removed when the caller is done, and when the caller fails.
      await expect(
        evaluateStreaming(options, async () => {
          throw new Error("the caller failed");
        }),
      ).rejects.toThrow("the caller failed");
      expect(readdirSync(spillRoot).filter((n) => n.startsWith("auditpack-evaluate-"))).toEqual([]);
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
  }, 600_000);

  it("across accounts: an organisation trail is judged from the management account's evidence", async () => {
    const store = await orgStore();
    const options = orgOptions(store);
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

describe("findings partials: per-account evaluation, written, read back and merged", () => {
  async function partialsOf(store: FsStore) {
    const options = orgOptions(store);
    const plan = await planEvaluation(options);
    const related = await planRelatedAccounts(plan);
    const out = tempStore();
    const written: Array<{ key: string; sha256: string }> = [];
    for (const account of plan.scope.accounts)
      written.push(await writePartial(out, await evaluateBatch(plan, [account], related)));
    return { options, plan, out, written, prefix: partialsPrefix(plan.header.id) };
  }

  it("merged, they equal the single-pass findings", async () => {
    const store = await orgStore();
    const { options, out, written, prefix } = await partialsOf(store);
    expect(written).toHaveLength(3);
    for (const w of written) expect(w.key).toMatch(new RegExp(`^${prefix}\\d{12}_${w.sha256}\\.json$`));
    const merged = await mergeFromPartials({ store, partials: { store: out, prefix, where: "(test)" } });
    expect(bytesOf(merged)).toBe(bytesOf(await evaluate(options)));
    // A partial is create-only: the same account's partial again is refused.
    const plan = await planEvaluation(options);
    await expect(
      writePartial(out, await evaluateBatch(plan, [MEMBER], await planRelatedAccounts(plan))),
    ).rejects.toThrow(ObjectExistsError);
  });

  it("an altered partial is named and fails the merge", async () => {
    const store = await orgStore();
    const { out, written, prefix } = await partialsOf(store);
    const file = path.join(out.root, ...written[1]!.key.split("/"));
    writeFileSync(file, readFileSync(file, "utf8").replace('"FAIL"', '"PASS"'));
    const error = await mergeFromPartials({ store, partials: { store: out, prefix, where: "(test)" } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(VerificationError);
    expect(error.message).toContain(written[1]!.key);
    expect(error.exitCode).toBe(1);
  });

  it("a partial replaced after the merge checked it is named when it is read again (exit 1)", async () => {
    const store = await orgStore();
    const { out, written, prefix } = await partialsOf(store);
    const target = written[1]!.key;
    // The first read (checking every partial) sees the partial; the second (the merge proper) does not.
    let reads = 0;
    const swapping: typeof out = Object.create(out);
    swapping.get = async (key: string) => {
      const bytes = await out.get(key);
      if (key !== target || ++reads < 2) return bytes;
      return Buffer.from(bytes.toString("utf8").replace('"FAIL"', '"PASS"'));
    };
    const error = await mergeFromPartials({
      store,
      partials: { store: swapping, prefix, where: "(test)" },
    }).catch((e) => e);
    expect(reads).toBe(2);
    expect(error).toBeInstanceOf(VerificationError);
    expect(error.message).toContain(`partial ${target} has SHA-256`);
  });

  it("streamed, the merge gives the in-memory findings and removes its spill", async () => {
    const store = await orgStore();
    const { options, out, prefix } = await partialsOf(store);
    const spillRoot = mkdtempSync(path.join(os.tmpdir(), "auditpack-merge-spill-"));
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = spillRoot;
    try {
      const partials = { store: out, prefix, where: "(test)" };
      const json = await mergeFromPartialsStreaming({ store, partials }, async (f) => {
        expect(readdirSync(spillRoot).filter((n) => n.startsWith("auditpack-evaluate-"))).toHaveLength(1);
        return [...findingsJsonChunks(f)].join("");
      });
      // Partials are stored canonical (keys sorted): the merged findings are compared canonically.
      expect(bytesOf(JSON.parse(json))).toBe(bytesOf(await evaluate(options)));
      expect(readdirSync(spillRoot)).toEqual([]);
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
  });

  it("a missing partial names its account", async () => {
    const store = await orgStore();
    const { out, written, prefix } = await partialsOf(store);
    rmSync(path.join(out.root, ...written[2]!.key.split("/")));
    await expect(
      mergeFromPartials({ store, partials: { store: out, prefix, where: "(test)" } }),
    ).rejects.toThrow(new RegExp(`no partial for account ${MEMBER}`));
  });

  it("partials of two evaluations are refused", async () => {
    const store = await orgStore();
    const first = await partialsOf(store);
    const later = await planEvaluation({ ...orgOptions(store), now: new Date("2026-08-04T00:00:00Z") });
    const other = await evaluateBatch(later, [MEMBER], await planRelatedAccounts(later));
    // Put the other evaluation's partial under the first one's prefix.
    const bytes = canonicalBytes(other);
    const sha = createHash("sha256").update(bytes).digest("hex");
    await first.out.put(`${first.prefix}${MEMBER}x_${sha}.json`, bytes, { sha256: sha });
    await expect(
      mergeFromPartials({ store, partials: { store: first.out, prefix: first.prefix, where: "(test)" } }),
    ).rejects.toThrow(/partials of two evaluations cannot be merged/);
  });

  it("an empty prefix is bad input (exit 2)", async () => {
    const store = await orgStore();
    const error = await mergeFromPartials({
      store,
      partials: {
        store: tempStore(),
        prefix: "evaluations/0000000000000000/partials/",
        where: "s3://b/empty/",
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/s3:\/\/b\/empty\/ holds no findings partial/);
  });

  it("report --from-partials builds a package that verify-report accepts; bad input exits 2 and writes nothing", async () => {
    const store = await orgStore();
    const { out, prefix } = await partialsOf(store);
    const dir = path.join(out.root, ...prefix.split("/"));
    const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-from-partials-"));
    const base = ["--store", store.root, "report", "--framework", "pci-dss-4.0.1", "--no-sign"];
    for (const [args, message] of [
      [
        ["--period", "2026-Q3", "--from-partials", dir],
        /holds partials of period 2026-08-01\.\.2026-08-01, not --period 2026-Q3/,
      ],
      [["--period", "2026-08-01..2026-08-01", "--from-partials", work], /holds no findings partial/],
      [
        ["--period", "2026-08-01..2026-08-01", "--from-partials", path.join(work, "nope")],
        /is not a directory/,
      ],
      [
        ["--period", "2026-08-01..2026-08-01", "--from-partials", "s3://Not_A_Bucket/x"],
        /is not an s3:\/\/<bucket>\/<prefix> URL/,
      ],
    ] as const) {
      const target = path.join(work, "pkg-bad");
      const r = await runCliInProcess([...base, ...args, "--out", target]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(target)).toBe(false);
    }
    const wrongFramework = await runCliInProcess([
      "--store",
      store.root,
      "report",
      "--framework",
      "nist-800-53-r5",
      "--no-sign",
      "--period",
      "2026-08-01..2026-08-01",
      "--from-partials",
      dir,
      "--out",
      path.join(work, "pkg-nist"),
    ]);
    expect(wrongFramework.code).toBe(2);
    expect(wrongFramework.stderr).toMatch(
      /holds partials of pci-dss-4\.0\.1, not --framework nist-800-53-r5/,
    );

    const target = path.join(work, "pkg");
    const r = await runCliInProcess([
      ...base,
      "--period",
      "2026-08-01..2026-08-01",
      "--from-partials",
      dir,
      "--out",
      target,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(path.join(target, "findings.json"), "utf8")) as Findings;
    expect(findings.schema).toBe("auditpack.findings/v2");
    expect(findings.scope.accounts).toEqual([CENTRAL, MANAGEMENT, MEMBER]);
    const verified = await runCliInProcess(["verify-report", target, "--allow-unsigned"]);
    expect(verified.code, verified.stderr).toBe(0);
  });
});
