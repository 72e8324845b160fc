import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FsStore } from "../../src/store/fs.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";
import { rawZip } from "../helpers/raw-zip.js";

/**
 * Hostile and mistaken input at the CLI (issue 17): each case exits 1 or 2 naming the file and the
 * reason, never 70 ("a bug") and never 0 where 2 is due.
 */

let dir: string;
let config: string;
let store: string;

/** A billion-laughs document: 9 levels of 9 aliases, far past yaml's alias budget. */
function aliasBomb(top: string): string {
  let text = `${top}: &a0 [x, x, x, x, x, x, x, x, x]\n`;
  for (let i = 1; i <= 9; i++) {
    const p = `*a${i - 1}`;
    text += `l${i}: &a${i} [${Array(9).fill(p).join(", ")}]\n`;
  }
  return text;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "auditpack-hostile-"));
  store = path.join(dir, "store");
  config = path.join(dir, "auditpack.config.yaml");
  writeFileSync(
    config,
    `store: { type: fs, path: ./store }\nsigning: { type: ed25519, keyFile: ./keys/signing-key.pem }\n`,
  );
  const collected = await cli("collect", "--fixtures", "empty");
  expect(collected.code, collected.stderr).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

const cli = (...args: string[]) => runCliInProcess(["-c", config, ...args]);
const evaluateArgs = ["evaluate", "--framework", "pci-dss-4.0.1", "--period", "2026-Q3"];

function expectRefused(
  result: { code: number; stderr: string },
  code: 1 | 2,
  ...mentions: (string | RegExp)[]
) {
  expect(result.stderr).not.toContain("this is a bug");
  expect(result.code, result.stderr).toBe(code);
  for (const m of mentions) {
    if (typeof m === "string") expect(result.stderr).toContain(m);
    else expect(result.stderr).toMatch(m);
  }
}

describe("--store must exist (except for commands that create it)", () => {
  const missing = () => path.join(dir, "no-such-store");
  it.each([
    ["verify", []],
    ["evaluate", evaluateArgs.slice(1)],
    [
      "report",
      ["--framework", "pci-dss-4.0.1", "--period", "2026-Q3", "--no-sign", "--out", "never-written"],
    ],
    [
      "pull",
      ["--control", "pci-dss-4.0.1:8.4.2", "--from", "2026-07-01", "--to", "2026-09-30", "--out", "never"],
    ],
    ["seal", []],
  ])("%s --store <missing> exits 2 naming the store", async (command, args) => {
    const result = await runCliInProcess(["-c", config, "--store", missing(), command, ...args]);
    expectRefused(result, 2, new RegExp(`store ${missing()} does not exist`));
    expect(existsSync(missing())).toBe(false);
    expect(existsSync(path.join(dir, "never-written"))).toBe(false);
  });

  it("attach --store <missing> exits 2 and creates nothing", async () => {
    const file = path.join(dir, "note.txt");
    writeFileSync(file, "scan passed\n");
    const result = await runCliInProcess([
      "-c",
      config,
      "--store",
      missing(),
      "attach",
      "--control",
      "pci-dss-4.0.1:11.3.2",
      "--file",
      file,
    ]);
    expectRefused(result, 2, "does not exist");
    expect(existsSync(missing())).toBe(false);
  });

  it("--store <a file> exits 2", async () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "x");
    expectRefused(await runCliInProcess(["-c", config, "--store", file, "verify"]), 2, "is not a directory");
  });

  it("collect creates a new store", async () => {
    const fresh = path.join(dir, "fresh-store");
    const result = await runCliInProcess(["-c", config, "--store", fresh, "collect", "--fixtures", "empty"]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(fresh)).toContain("evidence");
  });
});

describe("YAML alias bombs exit 2 naming the file", () => {
  it("in the config file", async () => {
    const bomb = path.join(dir, "bomb-config.yaml");
    writeFileSync(bomb, aliasBomb("organization"));
    expectRefused(await runCliInProcess(["-c", bomb, "verify"]), 2, bomb, /alias/i);
  });

  it("in a waivers file", async () => {
    const bomb = path.join(dir, "bomb-waivers.yaml");
    writeFileSync(bomb, aliasBomb("waivers"));
    expectRefused(await cli(...evaluateArgs, "--waivers", bomb), 2, `waivers file ${bomb}`, /alias/i);
  });

  it("in a report template file", async () => {
    const template = path.join(dir, "bomb-template");
    mkdirSync(template, { recursive: true });
    writeFileSync(path.join(template, "branding.yaml"), aliasBomb("organisation"));
    const result = await cli(
      "report",
      "--framework",
      "pci-dss-4.0.1",
      "--period",
      "2026-Q3",
      "--no-sign",
      "--template",
      template,
      "--out",
      path.join(dir, "never-template"),
    );
    expectRefused(result, 2, "branding.yaml", /alias/i);
    expect(existsSync(path.join(dir, "never-template"))).toBe(false);
  });

  it("in a catalog file", async () => {
    const bomb = path.join(dir, "bomb-catalog.yaml");
    writeFileSync(bomb, aliasBomb("framework"));
    const result = await cli("evaluate", "--framework", bomb, "--period", "2026-Q3");
    expectRefused(result, 2, bomb, /alias/i);
  });
});

describe("waivers", () => {
  const waiver = (fields: Record<string, string>) => {
    const file = path.join(dir, `waivers-${Math.random().toString(36).slice(2)}.yaml`);
    const w = {
      id: "W-1",
      target: "pci-dss-4.0.1:8.3.6",
      resource: "*",
      reason: "compensating control",
      approver: "ciso@example.com",
      expires: "2026-12-31",
      ...fields,
    };
    writeFileSync(
      file,
      `waivers:\n  - ${Object.entries(w)
        .map(([k, v]) => `${k}: "${v}"`)
        .join("\n    ")}\n`,
    );
    return file;
  };

  it("a valid waivers file is accepted (the cases below fail for their own reason)", async () => {
    const result = await cli(...evaluateArgs, "--waivers", waiver({}));
    expect(result.code, result.stderr).toBe(0);
  });

  it.each(["2026-13-01", "2026-02-30", "2026-00-10", "2026-04-31T00:00:00Z"])(
    "expires: %s exits 2 naming the field",
    async (expires) => {
      const file = waiver({ expires });
      expectRefused(await cli(...evaluateArgs, "--waivers", file), 2, file, "expires");
    },
  );

  it.each([
    ["an unknown requirement", "pci-dss-4.0.1:99.99", /has no requirement "99.99"/],
    ["an unknown framework", "pci-dss-9.9:8.3.6", /unknown framework "pci-dss-9.9"/],
    ["an unknown check", "cognito_user_pool_mfa_requird", /unknown check "cognito_user_pool_mfa_requird"/],
  ])("a waiver for %s exits 2", async (_what, target, reason) => {
    const file = waiver({ target });
    expectRefused(await cli(...evaluateArgs, "--waivers", file), 2, file, "[0].target", reason);
    expectRefused(
      await cli(
        "report",
        "--framework",
        "pci-dss-4.0.1",
        "--period",
        "2026-Q3",
        "--no-sign",
        "--waivers",
        file,
      ),
      2,
      reason,
    );
  });

  it("--waivers <a directory> exits 2", async () => {
    const wdir = path.join(dir, "waivers-dir");
    mkdirSync(wdir, { recursive: true });
    expectRefused(await cli(...evaluateArgs, "--waivers", wdir), 2, wdir, "is a directory");
  });
});

describe("pull", () => {
  it("--out <a file> exits 2 and leaves the file alone", async () => {
    const file = path.join(dir, "pull-target.txt");
    writeFileSync(file, "keep me");
    const result = await cli(
      "pull",
      "--control",
      "pci-dss-4.0.1:8.4.2",
      "--from",
      "2026-07-01",
      "--to",
      "2026-09-30",
      "--out",
      file,
    );
    expectRefused(result, 2, `--out ${file} is a file`);
  });
});

describe("attach", () => {
  const attach = (file: string) => cli("attach", "--control", "pci-dss-4.0.1:11.3.2", "--file", file);

  it("refuses a 0-byte file", async () => {
    const empty = path.join(dir, "empty.pdf");
    writeFileSync(empty, "");
    expectRefused(await attach(empty), 2, empty, "is empty");
  });

  it("refuses a directory", async () => {
    expectRefused(await attach(dir), 2, "is not a regular file");
  });

  it("records --attached-by, which findings.json then lists with the time; an empty or multi-line one exits 2", async () => {
    const scan = path.join(dir, "scan-q3.pdf");
    writeFileSync(scan, "%PDF-1.4 scan report");
    const args = [
      "attach",
      "--control",
      "pci-dss-4.0.1:11.3.2",
      "--file",
      scan,
      "--valid-from",
      "2026-07-01",
    ];
    expectRefused(await cli(...args, "--attached-by", "  "), 2, "--attached-by is empty");
    expectRefused(await cli(...args, "--attached-by", "Alex\nMorgan"), 2, "--attached-by must be one line");
    const ok = await cli(...args, "--attached-by", "Alex Morgan (CISO)");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout + ok.stderr).toMatch(/by: {5}Alex Morgan \(CISO\) at \d{4}-\d{2}-\d{2}T/);
    const out = path.join(dir, "attached-report");
    const built = await cli(
      ...["report", "--framework", "pci-dss-4.0.1", "--period", "2026-Q3", "--requirements", "11.3.2"],
      ...["--format", "json", "--no-sign", "--out", out],
    );
    expect(built.code, built.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(path.join(out, "findings.json"), "utf8"));
    const attached = findings.requirements.find((r: { id: string }) => r.id === "11.3.2").attachments;
    expect(attached).toEqual([
      expect.objectContaining({
        fileName: "scan-q3.pdf",
        attachedBy: "Alex Morgan (CISO)",
        attachedAt: expect.any(String),
      }),
    ]);
  });

  it("streams a large (sparse) file into the store with flat memory", { timeout: 120_000 }, () => {
    // A child process, so its peak RSS is its own: reading the file whole would add its size.
    const size = 512 * 1024 ** 2;
    const big = path.join(dir, "big.bin");
    writeFileSync(big, "");
    truncateSync(big, size);
    const script = path.join(import.meta.dirname, "attach-rss.ts");
    const out = execFileSync(process.execPath, ["--import", "tsx", script, store, big], {
      encoding: "utf8",
      cwd: path.resolve(import.meta.dirname, "../.."),
    });
    const {
      maxRSS,
      size: stored,
      fileKey,
    } = JSON.parse(out.trim().split("\n").pop()!) as {
      maxRSS: number;
      size: number;
      fileKey: string;
    };
    expect(stored).toBe(size);
    expect(new FsStore(store).pathOf(fileKey)).toSatisfy((p: string) => existsSync(p));
    expect(maxRSS * 1024).toBeLessThan(size / 2);
    rmSync(new FsStore(store).pathOf(fileKey));
  });

  it.runIf(process.env.AUDITPACK_LARGE_FILE_TESTS === "1")(
    "attaches a 3 GiB file",
    { timeout: 600_000 },
    async () => {
      const big = path.join(dir, "big3g.bin");
      writeFileSync(big, "");
      truncateSync(big, 3 * 1024 ** 3);
      const result = await attach(big);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr + result.stdout).toContain(`${3 * 1024 ** 3} bytes`);
    },
  );
});

describe("records replaced by symlinks in a disk store", () => {
  it("evaluate exits 1 naming the key; irregularEntries() lists it for verify", async () => {
    const copy = path.join(dir, "linked-store");
    execFileSync("cp", ["-a", store, copy]);
    const fs = new FsStore(copy);
    let key: string | undefined;
    for await (const page of fs.listKeys("evidence/")) {
      key = page[0];
      break;
    }
    expect(key).toBeDefined();
    const file = fs.pathOf(key!);
    const elsewhere = path.join(dir, "elsewhere.json");
    copyFileSync(file, elsewhere);
    rmSync(file);
    symlinkSync(elsewhere, file);
    const result = await runCliInProcess(["-c", config, "--store", copy, ...evaluateArgs]);
    expectRefused(result, 1, key!, "symbolic link");
    expect(await fs.irregularEntries()).toEqual([{ key: key!, kind: "symbolic link" }]);
    await expect(fs.get(key!)).rejects.toThrow(/symbolic link/);
    expect(() => fs.readSync(key!)).toThrow(/symbolic link/);
  });

  it("a symlinked folder is refused too", async () => {
    const copy = path.join(dir, "linked-dir-store");
    execFileSync("cp", ["-a", store, copy]);
    const evidence = path.join(copy, "evidence");
    const account = readdirSync(evidence)[0]!;
    renameSync(path.join(evidence, account), path.join(dir, "moved-account"));
    symlinkSync(path.join(dir, "moved-account"), path.join(evidence, account));
    const result = await runCliInProcess(["-c", config, "--store", copy, ...evaluateArgs]);
    expectRefused(result, 1, `evidence/${account}`, "symbolic link");
  });
});

describe("verify-report on hostile zips", () => {
  it.each([
    ["../", [{ name: "pkg/../../x", data: Buffer.from("x") }], /invalid relative path|unsafe path/],
    ["an absolute name", [{ name: "/etc/x", data: Buffer.from("x") }], /absolute path|unsafe path/],
    ["a backslash name", [{ name: "pkg\\x", data: Buffer.from("x") }], /invalid characters|unsafe path/],
    [
      "duplicate entries",
      [
        { name: "pkg/SHA256SUMS", data: Buffer.from("a") },
        { name: "pkg/SHA256SUMS", data: Buffer.from("b") },
      ],
      /appears twice/,
    ],
    [
      "a lying size",
      [{ name: "pkg/SHA256SUMS", data: Buffer.alloc(3000, 65), deflate: true, declaredSize: 5 }],
      /pkg\/SHA256SUMS/,
    ],
    [
      "a symlink to a directory",
      [{ name: "pkg/d", data: Buffer.from("/etc"), mode: 0o120777 }],
      /symbolic link/,
    ],
  ])("%s exits 2 naming the zip and the entry", async (_what, entries, reason) => {
    const zip = path.join(dir, `hostile-${Math.random().toString(36).slice(2)}.zip`);
    writeFileSync(zip, rawZip(entries));
    expectRefused(await runCliInProcess(["verify-report", zip]), 2, zip, reason);
  });

  it("a zip bomb is stopped while inflating (exit 2), not extracted in full", async () => {
    const zip = path.join(dir, "bomb.zip");
    writeFileSync(
      zip,
      rawZip([{ name: "pkg/findings.json", data: Buffer.alloc(160 * 1024 ** 2), deflate: true }]),
    );
    expectRefused(await runCliInProcess(["verify-report", zip]), 2, zip, /zip bomb/);
  });
});

/** A small tmpfs for full-disk cases: needs root and mount(8); skipped with a message otherwise. */
function smallDisk(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const mount = mkdtempSync(path.join(os.tmpdir(), "auditpack-full-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mount]);
  if (r.status !== 0) {
    rmSync(mount, { recursive: true, force: true });
    return undefined;
  }
  return mount;
}

describe("a full disk", () => {
  let disk: string | undefined;
  beforeAll(() => {
    disk = smallDisk();
    if (!disk)
      console.warn("skipping full-disk tests: cannot mount a small tmpfs here (needs root and mount)");
  });
  afterAll(() => {
    if (disk) spawnSync("umount", [disk]);
  });

  it("report --out on a full disk exits 2 naming the package, leaving nothing behind", async (ctx) => {
    if (!disk) return ctx.skip();
    const out = path.join(disk, "pkg");
    const result = await cli(
      "report",
      "--framework",
      "pci-dss-4.0.1",
      "--period",
      "2026-Q3",
      "--out",
      out,
      "--zip",
    );
    expectRefused(result, 2, out, "no space left");
    expect(readdirSync(disk)).toEqual([]);
  });

  it("verify-report with a full scratch disk exits 2", async (ctx) => {
    if (!disk) return ctx.skip();
    const pkg = path.join(dir, "good-pkg");
    const built = await cli(
      "report",
      "--framework",
      "pci-dss-4.0.1",
      "--period",
      "2026-Q3",
      "--out",
      pkg,
      "--zip",
    );
    expect(built.code, built.stderr).toBe(0);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = disk;
    try {
      writeFileSync(path.join(disk, "filler"), Buffer.alloc(200 * 1024));
      const result = await runCliInProcess(["verify-report", `${pkg}.zip`]);
      expectRefused(result, 2, "no space left");
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      rmSync(path.join(disk, "filler"), { force: true });
    }
  });
});
