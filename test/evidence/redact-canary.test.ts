import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../helpers/cli-in-process.js";
import { startReplayServer } from "../helpers/replay-server.js";
import { CANARIES, CANARY_MARK, writeCanaryScenario } from "./canary-scenario.js";

/**
 * Issue 17's canary scenario: at least 17 secrets planted where redaction by name alone missed them,
 * collected through the real SDK clients (fixture replay, and a live run over HTTP with
 * --record-fixtures). No canary may reach the store, the recorded fixtures, a pull, a report
 * (findings.json, findings.csv) or the logs.
 */

let dir: string;
let scenario: string;
let config: string;
const logs: string[] = [];

function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Every file under root that contains the canary mark (searched as bytes, so any format counts). */
function leaks(root: string): string[] {
  return filesUnder(root).filter((f) => readFileSync(f).includes(CANARY_MARK));
}

async function cli(...args: string[]) {
  const result = await runCliInProcess(["-c", config, "--verbose", ...args]);
  logs.push(result.stdout, result.stderr);
  return result;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "auditpack-redact-"));
  scenario = writeCanaryScenario(path.join(dir, "scenario"));
  config = path.join(dir, "auditpack.config.yaml");
  writeFileSync(
    config,
    "store: { type: fs, path: ./store }\nsigning: { type: ed25519, keyFile: ./keys/signing-key.pem }\nscope: { accounts: [{ id: '777788889999' }], regions: [eu-west-1] }\n",
  );
});

afterAll(() => {
  process.exitCode = undefined;
});

describe("canary scenario: redaction by value, by pair and inside JSON strings", () => {
  it("plants at least 17 secrets, each in the fixture files", () => {
    expect(Object.keys(CANARIES).length).toBeGreaterThanOrEqual(17);
    expect(leaks(scenario).length).toBeGreaterThan(0);
    const fixtureText = filesUnder(scenario)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    for (const [where, value] of Object.entries(CANARIES)) {
      // JSON-in-JSON escapes quotes and newlines: look for the value's longest plain run.
      const probe = value.split(/\n/).sort((a, b) => b.length - a.length)[0]!;
      expect(fixtureText.includes(probe), where).toBe(true);
    }
  });

  it("collect --fixtures stores none of them, and lists each redaction by path and rule", async () => {
    const result = await cli("collect", "--fixtures", scenario);
    expect(result.code, result.stderr).toBe(0);
    expect(leaks(path.join(dir, "store"))).toEqual([]);
    const redactions = filesUnder(path.join(dir, "store", "evidence")).flatMap(
      (f) => (JSON.parse(readFileSync(f, "utf8")) as { redactions?: string[] }).redactions ?? [],
    );
    for (const rule of [
      "secret-name",
      "secret-pair",
      "aws-access-key-id",
      "aws-secret-key",
      "jwt",
      "private-key",
      "url-password",
    ]) {
      expect(
        redactions.some((r) => r.endsWith(` (${rule})`)),
        rule,
      ).toBe(true);
    }
    expect(redactions).toContain("rules[0].InputParameters.apiToken (secret-name)");
    expect(
      redactions.some((r) => /requestParameters\.userAttributes\[1\]\.value \(secret-pair\)$/.test(r)),
    ).toBe(true);
    expect(redactions.some((r) => /requestParameters\.parameters\.dbPassword \(secret-name\)$/.test(r))).toBe(
      true,
    );
    expect(redactions.some((r) => /requestParameters\.tags\[0\]\.value \(secret-pair\)$/.test(r))).toBe(true);
    expect(redactions.some((r) => /configRule\.inputParameters\.apiToken \(secret-name\)$/.test(r))).toBe(
      true,
    );
  });

  it("reports (findings.json, findings.csv), evaluate --out and pulls hold none of them", async () => {
    const report = await cli(
      "report",
      "--framework",
      "pci-dss-4.0.1",
      "--period",
      "2026-09-01..2026-10-01",
      "--format",
      "json,csv",
      "--out",
      path.join(dir, "report"),
    );
    expect(report.code, report.stderr).toBe(0);
    expect(readdirSync(path.join(dir, "report"))).toEqual(
      expect.arrayContaining(["findings.json", "findings.csv"]),
    );
    expect(leaks(path.join(dir, "report"))).toEqual([]);
    const evaluated = await cli(
      "evaluate",
      "--framework",
      "pci-dss-4.0.1",
      "--period",
      "2026-09-01..2026-10-01",
      "--out",
      path.join(dir, "evaluate"),
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(leaks(path.join(dir, "evaluate"))).toEqual([]);
    for (const control of ["pci-dss-4.0.1:10.2.1", "pci-dss-4.0.1:8.3.6", "pci-dss-4.0.1:10.2.2"]) {
      const out = path.join(dir, `pull-${control.replace(/[:.]/g, "_")}`);
      const pull = await cli(
        "pull",
        "--control",
        control,
        "--from",
        "2026-09-01",
        "--to",
        "2026-10-01",
        "--out",
        out,
      );
      expect(pull.code, pull.stderr).toBe(0);
      expect(leaks(out)).toEqual([]);
    }
    const pulled = readdirSync(dir).filter((d) => d.startsWith("pull-"));
    expect(
      pulled.some((d) =>
        filesUnder(path.join(dir, d)).some((f) => f.includes(`${path.sep}evidence${path.sep}`)),
      ),
    ).toBe(true);
  });

  it("a live run with --record-fixtures (over HTTP, SigV4-signed) records none of them", async () => {
    const server = await startReplayServer(scenario, "777788889999");
    const liveConfig = path.join(dir, "live.config.yaml");
    writeFileSync(
      liveConfig,
      `store: { type: fs, path: ./live-store }\nsigning: { type: ed25519, keyFile: ./keys/signing-key.pem }\nscope: { accounts: [{ id: '777788889999' }], regions: [eu-west-1] }\naws: { endpoint: '${server.endpoint}', maxAttempts: 1 }\n`,
    );
    const env = {
      AWS_ACCESS_KEY_ID: "AKIDLIVETEST",
      AWS_SECRET_ACCESS_KEY: "live-test-secret",
      AWS_REGION: "eu-west-1",
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const recorded = path.join(dir, "recorded");
      const result = await runCliInProcess([
        "-c",
        liveConfig,
        "--verbose",
        "collect",
        "--since",
        "2026-09-01",
        "--record-fixtures",
        recorded,
      ]);
      logs.push(result.stdout, result.stderr);
      expect(result.code, result.stderr).toBe(0);
      const files = filesUnder(recorded);
      expect(files.some((f) => f.endsWith("cloudtrail.json") && statSync(f).size > 1000)).toBe(true);
      expect(leaks(recorded)).toEqual([]);
      expect(leaks(path.join(dir, "live-store"))).toEqual([]);
      // The redacted answers are still fixture JSON, with the secrets' places marked.
      const recordedText = files.map((f) => readFileSync(f, "utf8")).join("\n");
      for (const f of files) expect(() => JSON.parse(readFileSync(f, "utf8")), f).not.toThrow();
      expect(recordedText).toContain("[REDACTED]");
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await server.close();
    }
  });

  it("no log line (stdout or stderr, --verbose) holds one", () => {
    expect(logs.join("").length).toBeGreaterThan(0);
    expect(logs.join("").includes(CANARY_MARK)).toBe(false);
  });
});
