import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyLedger } from "../../src/evidence/verify-ledger.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { FsStore } from "../../src/store/fs.js";
import { runAuditpack } from "../helpers/cli.js";

/** A config file in a fresh directory; runs pass it with -c (the CLI runs from the package root). */
function configFile(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-schedule-cli-"));
  writeFileSync(path.join(dir, "auditpack.config.yaml"), yaml);
  return path.join(dir, "auditpack.config.yaml");
}

describe("auditpack schedule", () => {
  it("rejects an invalid cron expression at start, naming the entry, exit 2", () => {
    const config = configFile(
      "scope: { regions: [eu-west-1] }\nschedules:\n  - { collector: config_recorder, cron: '0 * * * *' }\n  - { collector: cloudtrail_trails, cron: '0 25 * * *' }\n",
    );
    const result = runAuditpack(["-c", config, "schedule", "--once"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/schedules\[1\]\.cron: "0 25 \* \* \*" is not a valid cron expression/);
    expect(result.stderr).toContain("hint:");
    expect(result.stdout).toBe("");
  });

  it("rejects an unknown collector at start with a suggestion, exit 2", () => {
    const config = configFile(
      "scope: { regions: [eu-west-1] }\nschedules:\n  - { collector: cloudtrail_trial, cron: '0 * * * *' }\n",
    );
    const result = runAuditpack(["-c", config, "schedule"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /schedules\[0\]\.collector: unknown collector "cloudtrail_trial" \(.*cloudtrail_trails/,
    );
  });

  it("rejects a bad --grace, exit 2", () => {
    const config = configFile("scope: { regions: [eu-west-1] }\n");
    const result = runAuditpack(["-c", config, "schedule", "--grace", "soon"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--grace "soon"');
  });

  it("documents itself with examples", () => {
    const result = runAuditpack(["schedule", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--once");
    expect(result.stdout).toContain("Examples:");
    expect(result.stdout).toContain("SIGTERM");
  });

  it("on SIGTERM stops the run in flight, writes its manifest and exits 0", async () => {
    // An AWS endpoint that accepts connections and never answers: the run hangs until stopped.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const config = configFile(
        [
          "scope: { accounts: [{ id: '123456789012' }], regions: [eu-west-1] }",
          `aws: { endpoint: 'http://127.0.0.1:${port}', maxAttempts: 1 }`,
          "store: { type: fs, path: ./store }",
          "schedules:",
          "  - { collector: config_recorder, cron: '0 0 1 1 *' }",
          "",
        ].join("\n"),
      );
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          path.join(PACKAGE_ROOT, "src/cli/main.ts"),
          "-c",
          config,
          "schedule",
          "--grace",
          "0",
        ],
        {
          cwd: PACKAGE_ROOT,
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: "AKIDTEST",
            AWS_SECRET_ACCESS_KEY: "test",
            AWS_PROFILE: "",
            NO_COLOR: "1",
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no run started; stderr: ${stderr}`)), 60_000);
        child.stdout.on("data", (c: Buffer) => {
          stdout += c.toString();
          if (stdout.includes('"run.started"')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      // The run is waiting on the silent endpoint now.
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);

      const events = stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events.map((e) => e.event)).toEqual(
        expect.arrayContaining([
          "scheduler.started",
          "run.started",
          "scheduler.stopping",
          "run.finished",
          "scheduler.stopped",
        ]),
      );
      const finished = events.find((e) => e.event === "run.finished")!;
      expect(finished).toMatchObject({ status: "partial", interrupted: true, errors: 1 });
      expect(finished.manifests).toHaveLength(1);
      const summary = await verifyLedger(new FsStore(path.join(path.dirname(config), "store")));
      expect(summary).toMatchObject({ ok: true, errors: 0, manifests: 1, records: 1 });
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 120_000);
});
