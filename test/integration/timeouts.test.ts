import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsStore } from "../../src/store/fs.js";
import { auditpackArgv, spawnAsync } from "../helpers/spawn.js";
import { endpoint, region } from "./moto.js";

/** Accepts every connection and never answers: a blackholed VPC endpoint or a broken proxy. */
let silent: net.Server;
const sockets = new Set<net.Socket>();
beforeAll(async () => {
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe("collect against an endpoint that never answers", () => {
  it("fails that collector with an ERROR record naming the timeout, keeps the others, exit 3", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditpack-timeouts-"));
    const config = path.join(dir, "auditpack.config.yaml");
    writeFileSync(
      config,
      `store: { type: fs, path: ./store }\nsigning: { type: ed25519, keyFile: ./keys/signing-key.pem }\naws: { maxAttempts: 2 }\n`,
    );
    const { port } = silent.address() as net.AddressInfo;
    const r = await spawnAsync(
      auditpackArgv([
        "-c",
        config,
        "--json",
        "collect",
        "--collectors",
        "logs_log_groups,cognito_user_pools",
        "--regions",
        region,
        "--connect-timeout",
        "1",
        "--read-timeout",
        "0.5",
      ]),
      {
        env: {
          AWS_ACCESS_KEY_ID: "testing",
          AWS_SECRET_ACCESS_KEY: "testing",
          AWS_PROFILE: "",
          AWS_ENDPOINT_URL: endpoint,
          // Cognito alone goes to the silent server; STS and CloudWatch Logs answer from moto.
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${port}`,
        },
        timeoutMs: 60_000,
      },
    );
    expect(r.code, r.stderr).toBe(3);
    const summary = JSON.parse(r.stdout);
    const cognito = summary.results.find((x: { collector: string }) => x.collector === "cognito_user_pools");
    const logs = summary.results.find((x: { collector: string }) => x.collector === "logs_log_groups");
    expect(logs).toMatchObject({ status: "ok" });
    expect(logs.records).toBeGreaterThan(0);
    expect(cognito).toMatchObject({ status: "error", errors: 1, error: { code: "TimeoutError" } });
    expect(cognito.error.message).toContain(
      "request timeout (aws.timeouts.request, --read-timeout) of 0.5 s",
    );
    expect(cognito.error.message).toContain("after 2 attempts");
    // Two attempts of 0.5 s plus backoff: it gave up instead of hanging.
    expect(cognito.durationMs).toBeGreaterThanOrEqual(900);
    expect(cognito.durationMs).toBeLessThan(5_000);

    // The ERROR record is in the store, beside the other collector's records.
    const store = new FsStore(path.join(dir, "store"));
    const keys: string[] = [];
    for await (const info of store.list("evidence/")) keys.push(info.key);
    const errorKey = keys.find((k) => k.includes("/cognito_user_pools/"));
    expect(errorKey).toBeDefined();
    const record = JSON.parse(readFileSync(path.join(dir, "store", errorKey!), "utf8"));
    expect(record.error.code).toBe("TimeoutError");
    expect(record.error.message).toMatch(/did not answer within the request timeout/);
    expect(keys.some((k) => k.includes("/logs_log_groups/"))).toBe(true);
  });
});
