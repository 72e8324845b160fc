import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { keyIdOf } from "../../src/signing/verify.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";

afterEach(() => {
  process.exitCode = undefined;
});

describe("auditpack keys generate", () => {
  it("creates the key pair and the PDF certificate, then refuses to overwrite without --force", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditpack-keys-"));
    const keyFile = path.join(dir, "k", "signing-key.pem");
    const p12 = path.join(dir, "k", "pdf.p12");
    const generate = ["keys", "generate", "--key-file", keyFile, "--p12", p12];
    const created = await runCliInProcess(["--json", ...generate]);
    expect(created.code).toBe(0);
    const doc = JSON.parse(created.stdout) as { keyId: string; publicKeyFile: string };
    expect(doc.keyId).toBe(keyIdOf(readFileSync(path.join(dir, "k", "signing-key.pub.pem"), "utf8")));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(p12).mode & 0o777).toBe(0o600);

    const before = readFileSync(keyFile, "utf8");
    const refused = await runCliInProcess(generate);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(keyFile);
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(keyFile, "utf8")).toBe(before);

    const forced = await runCliInProcess([...generate, "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(keyFile, "utf8")).not.toBe(before);
    expect(existsSync(p12)).toBe(true);
  }, 30_000);
});
