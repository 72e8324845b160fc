import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { auditpackArgv, spawnAsync } from "../helpers/spawn.js";

/** Every path under dir with its mode and content hash: "byte-for-byte unchanged" made checkable. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = statSync(p);
      const rel = path.relative(dir, p);
      if (st.isDirectory()) {
        out.push(`${rel}/ ${st.mode}`);
        walk(p);
      } else out.push(`${rel} ${st.mode} ${createHash("sha256").update(readFileSync(p)).digest("hex")}`);
    }
  };
  walk(dir);
  return out;
}

/** A working folder with its own AWS config files and an environment holding nothing from this machine. */
function workspace(awsConfig = "") {
  const cwd = mkdtempSync(path.join(tmpdir(), "auditpack-exit2-"));
  const home = mkdtempSync(path.join(tmpdir(), "auditpack-exit2-home-"));
  writeFileSync(path.join(home, "config"), awsConfig);
  writeFileSync(path.join(home, "credentials"), "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  };
  return { cwd, env };
}

const STATIC_KEYS = { AWS_ACCESS_KEY_ID: "AKIAEXAMPLEEXAMPLE00", AWS_SECRET_ACCESS_KEY: "example" };

async function expectExit2(
  args: string[],
  ws: { cwd: string; env: NodeJS.ProcessEnv },
  cause: RegExp,
  extraEnv: NodeJS.ProcessEnv = {},
) {
  const before = snapshot(ws.cwd);
  const r = await spawnAsync(auditpackArgv(args), {
    cwd: ws.cwd,
    env: { ...ws.env, ...extraEnv },
    inheritEnv: false,
    timeoutMs: 90_000,
  });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(cause);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(snapshot(ws.cwd)).toEqual(before);
  return r;
}

describe("a failing run exits 2 and writes nothing", { timeout: 120_000 }, () => {
  it("no region anywhere (flags, config, AWS_REGION, profile)", async () => {
    const ws = workspace("[default]\noutput = json\n");
    await expectExit2(["collect"], ws, /no regions to collect/, STATIC_KEYS);
  });

  it("a profile's region is used when none is given, like the AWS CLI", async () => {
    // The region comes from the profile; the run then fails on the refused endpoint, naming the network.
    const ws = workspace(
      "[profile audit]\nregion = eu-west-3\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = example\n",
    );
    const r = await expectExit2(["collect"], ws, /network: cannot reach the AWS endpoint.*ECONNREFUSED/, {
      AWS_PROFILE: "audit",
      AWS_ENDPOINT_URL: "http://127.0.0.1:1",
    });
    expect(r.stderr).not.toMatch(/no regions/);
    expect(r.stderr).toMatch(/hint: check the network path/);
  });

  it("a refused connection says network, not credentials", async () => {
    const ws = workspace();
    const r = await expectExit2(
      ["collect", "--regions", "eu-west-1"],
      ws,
      /cannot find which AWS account to collect: ECONNREFUSED: network: cannot reach the AWS endpoint/,
      { ...STATIC_KEYS, AWS_ENDPOINT_URL: "http://127.0.0.1:1" },
    );
    expect(r.stderr).not.toMatch(/configure credentials/);
  });

  it("every configured account unreachable is exit 2, not a partial run", async () => {
    const ws = workspace();
    const config = path.join(mkdtempSync(path.join(tmpdir(), "auditpack-exit2-cfg-")), "c.yaml");
    writeFileSync(
      config,
      `scope: { accounts: [{ id: "111122223333" }, { id: "444455556666" }], regions: [eu-west-1] }\nstore: { type: fs, path: ${JSON.stringify(path.join(ws.cwd, "store"))} }\nsigning: { type: ed25519, keyFile: ${JSON.stringify(path.join(ws.cwd, "keys/k.pem"))} }\n`,
    );
    await expectExit2(
      ["-c", config, "collect"],
      ws,
      /no account in scope could be reached; nothing was collected:\n {2}- 111122223333: ECONNREFUSED: network/,
      { ...STATIC_KEYS, AWS_ENDPOINT_URL: "http://127.0.0.1:1" },
    );
  });

  it("a missing profile is named", async () => {
    const ws = workspace("[profile other]\nregion = eu-west-1\n");
    await expectExit2(
      ["collect", "--regions", "eu-west-1", "--profile", "nosuch"],
      ws,
      /the config profile \(nosuch\) could not be found/,
    );
  });

  it("a failing credential_process passes on its stderr", async () => {
    const ws = workspace(
      `[profile broken]\ncredential_process = sh -c "echo 'sso token expired, run login' >&2; exit 3"\n`,
    );
    await expectExit2(
      ["collect", "--regions", "eu-west-1"],
      ws,
      /cannot load credentials for profile broken: .*\n?.*sso token expired, run login/,
      { AWS_PROFILE: "broken" },
    );
  });

  it("a bad config names the field", async () => {
    const ws = workspace();
    writeFileSync(path.join(ws.cwd, "auditpack.config.yaml"), "aws:\n  timeouts: { connect: -1 }\n");
    await expectExit2(["collect", "--regions", "eu-west-1"], ws, /aws\.timeouts\.connect/, STATIC_KEYS);
  });

  it("report refuses an --out that holds files before creating a key or a PDF certificate", async () => {
    const ws = workspace();
    mkdirSync(path.join(ws.cwd, "out"));
    writeFileSync(path.join(ws.cwd, "out", "keep.txt"), "mine");
    await expectExit2(
      ["report", "--framework", "pci-dss-4.0.1", "--period", "2026-Q3", "--out", "out"],
      ws,
      /--out .*out already holds files/,
    );
  });

  it("a bad timeout option is refused before anything runs", async () => {
    const ws = workspace();
    await expectExit2(
      ["collect", "--regions", "eu-west-1", "--read-timeout", "soon"],
      ws,
      /--read-timeout: "soon" is not a number of seconds/,
      STATIC_KEYS,
    );
  });
});
