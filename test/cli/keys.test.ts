import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { keyIdOf } from "../../src/signing/verify.js";

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await runCli(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("auditpack keys generate", () => {
  it("creates the key pair and the PDF certificate, then refuses to overwrite without --force", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditpack-keys-"));
    const keyFile = path.join(dir, "k", "signing-key.pem");
    const p12 = path.join(dir, "k", "pdf.p12");
    const created = await cli(["--json", "keys", "generate", "--key-file", keyFile, "--p12", p12]);
    expect(created.code).toBe(0);
    const doc = JSON.parse(created.stdout) as { keyId: string; publicKeyFile: string };
    expect(doc.keyId).toBe(keyIdOf(readFileSync(path.join(dir, "k", "signing-key.pub.pem"), "utf8")));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(p12).mode & 0o777).toBe(0o600);

    const before = readFileSync(keyFile, "utf8");
    const refused = await cli(["keys", "generate", "--key-file", keyFile, "--p12", p12]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(keyFile);
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(keyFile, "utf8")).toBe(before);

    const forced = await cli(["keys", "generate", "--key-file", keyFile, "--p12", p12, "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(keyFile, "utf8")).not.toBe(before);
    expect(existsSync(p12)).toBe(true);
  }, 30_000);
});
