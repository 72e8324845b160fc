import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runAuditpack } from "../helpers/cli.js";

/**
 * A temp config whose store and signing key live beside it. (The CLI runs from the package root:
 * the helper's `--import tsx` resolves from the working directory.)
 */
function configFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-cli-collect-"));
  const file = path.join(dir, "auditpack.config.yaml");
  writeFileSync(
    file,
    "store: { type: fs, path: ./store }\nsigning: { type: ed25519, keyFile: ./keys/signing-key.pem }\n",
  );
  return file;
}

describe("auditpack collect", { timeout: 180_000 }, () => {
  it("exits 2 for bad options, naming the option and suggesting the closest collector", () => {
    const c = configFile();
    const typo = runAuditpack([
      "-c",
      c,
      "collect",
      "--collectors",
      "cloudtrail_trial",
      "--fixtures",
      "empty",
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown collector "cloudtrail_trial": did you mean cloudtrail_trails?');
    const region = runAuditpack(["-c", c, "collect", "--regions", "eu_west_1"]);
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('--regions: "eu_west_1" is not a region name');
    const since = runAuditpack(["-c", c, "collect", "--since", "last tuesday"]);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since: "last tuesday" is not a date');
    const scenario = runAuditpack(["-c", c, "collect", "--fixtures", "nope"]);
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toMatch(/available scenarios: .*demo/);
  });

  it("--json prints only the JSON summary on stdout, exit 0 when everything was collected", () => {
    const r = runAuditpack(["-c", configFile(), "--json", "collect", "--fixtures", "empty"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ ok: true, status: "ok", source: "fixture", scenario: "empty" });
    expect(summary.results).toHaveLength(8 * summary.accounts.length * summary.regions.length);
    expect(summary.totals.records).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/^ok /m);
  });

  it("exits 3 when a collector failed, with plain lines and a summary table when not a TTY", () => {
    const r = runAuditpack([
      "-c",
      configFile(),
      "collect",
      "--fixtures",
      "access-denied",
      "--collectors",
      "cognito_user_pools,logs_log_groups",
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /^ERROR +cognito_user_pools \d{12} eu-west-1: AccessDeniedException in ListUserPools/m,
    );
    expect(r.stdout).toMatch(/^ok +logs_log_groups /m);
    expect(r.stdout).toMatch(/collector\s+records\s+bytes\s+errors\s+duration/);
    expect(r.stdout).toContain("partial (exit 3)");
  });
});

describe("auditpack collect --fixtures with a recorded schedule", { timeout: 180_000 }, () => {
  it("replays each scheduled run at its clock: one line per run, then the summary over all runs", () => {
    const r = runAuditpack([
      "-c",
      configFile(),
      "collect",
      "--fixtures",
      "demo",
      "--collectors",
      "cloudwatch_alarms,cloudtrail_activity",
      "--accounts",
      "111122223333",
      "--regions",
      "eu-west-1",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("run 1/94 scheduled, 2026-06-30T06:00:00.000Z: cloudwatch_alarms\n");
    expect(r.stdout).toContain(
      "run 94/94 at the scenario clock, 2026-10-01T06:00:00.000Z: cloudwatch_alarms, cloudtrail_activity\n",
    );
    // Scheduled runs print no per-unit lines; the final run does.
    expect(r.stdout.match(/^ok +cloudwatch_alarms /gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^cloudwatch_alarms +94 /m);
    expect(r.stdout).toMatch(
      /94 runs from 2026-06-30T06:00:00.000Z to 2026-10-01T06:00:00.000Z, last run [0-9a-f]+: ok/,
    );
  });

  it("refuses --record-fixtures with --fixtures before anything is written", () => {
    const c = configFile();
    const r = runAuditpack([
      "-c",
      c,
      "collect",
      "--fixtures",
      "demo",
      "--record-fixtures",
      path.join(path.dirname(c), "rec"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--record-fixtures records a live run; it cannot be combined with --fixtures");
    expect(existsSync(path.join(path.dirname(c), "store"))).toBe(false);
  });
});

describe("auditpack iam-policy", { timeout: 120_000 }, () => {
  it("prints the least-privilege policy JSON", () => {
    const r = runAuditpack(["iam-policy"]);
    expect(r.code).toBe(0);
    const policy = JSON.parse(r.stdout);
    expect(policy.Version).toBe("2012-10-17");
    expect(policy.Statement[0].Action).toContain("cloudtrail:LookupEvents");
    expect(policy.Statement[0].Action).toContain("sts:GetCallerIdentity");
    const help = runAuditpack(["iam-policy", "--help"]);
    expect(help.stdout).toContain("Examples:");
  });
});
