import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import { UsageError } from "../../src/errors.js";
import { templatePath } from "../../src/paths.js";

function tempFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-config-"));
  const file = path.join(dir, "auditpack.config.yaml");
  writeFileSync(file, text);
  return { dir, file };
}

function errorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error("expected a UsageError");
}

describe("config loading", () => {
  it("uses defaults when no config file exists", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditpack-config-"));
    const { config, file } = loadConfig(undefined, dir);
    expect(file).toBeUndefined();
    expect(config.store).toEqual({ type: "fs", path: "./auditpack-store" });
    expect(config.signing.type).toBe("ed25519");
    expect(config.aws.maxAttempts).toBe(5);
  });

  it("parses the shipped example, which documents every section", () => {
    const text = readFileSync(templatePath("auditpack.config.example.yaml"), "utf8");
    const { file } = tempFile(text);
    const { config } = loadConfig(file);
    expect(config.organization.name).toBe("Example Payments Ltd");
    // The example's scope is commented out: an uncommented scope is always a deliberate one.
    expect(config.scope.accounts).toEqual([]);
    expect(config.scope.regions).toEqual([]);
    expect(config.aws.timeouts).toEqual({ connect: 5, request: 60 });
    // Uncommented, the documented scope block is valid as written.
    const block = text.slice(text.indexOf("# scope:\n"), text.indexOf("\n\n", text.indexOf("# scope:\n")));
    const uncommented = text.replace(block, block.replace(/^# ?/gm, ""));
    const { config: scoped } = loadConfig(tempFile(uncommented).file);
    expect(scoped.scope.accounts[0]?.id).toBe("111122223333");
    expect(scoped.scope.regions).toEqual(["eu-west-1", "us-east-1"]);
    // The assessment block is commented out the same way, and valid once uncommented.
    expect(config.assessment).toBeUndefined();
    const start = text.indexOf("# assessment:\n");
    const assessment = text.slice(start);
    const { config: assessed } = loadConfig(
      tempFile(text.replace(assessment, assessment.replace(/^# ?/gm, ""))).file,
    );
    expect(assessed.assessment?.entityType).toBe("merchant");
    // So is the attestation block.
    expect(config.attestation).toBeUndefined();
    const from = text.indexOf("# attestation:\n");
    const attestation = text.slice(from, text.indexOf("\n\n", from));
    const { config: attested } = loadConfig(
      tempFile(text.replace(attestation, attestation.replace(/^# ?/gm, ""))).file,
    );
    expect(attested.attestation?.management).toMatchObject({ name: "Alex Morgan", date: "2026-10-05" });
    expect(attested.attestation?.assessor?.role).toBe("Qualified Security Assessor");
  });

  it("rejects timeouts that are not a positive number of seconds, naming the field", () => {
    expect(() => parseConfig({ aws: { timeouts: { request: 0 } } }, "t.yaml")).toThrow(
      /aws\.timeouts\.request/,
    );
    expect(() => parseConfig({ aws: { timeouts: { connect: "5s" } } }, "t.yaml")).toThrow(
      /aws\.timeouts\.connect/,
    );
    expect(parseConfig({ aws: { timeouts: { connect: 0.5 } } }, "t.yaml").aws.timeouts).toEqual({
      connect: 0.5,
      request: 60,
    });
  });

  it("accepts an S3 store with Object Lock and KMS", () => {
    const config = parseConfig(
      {
        store: {
          type: "s3",
          bucket: "evidence-bucket",
          region: "eu-west-1",
          kmsKeyId: "alias/x",
          objectLock: { mode: "COMPLIANCE", days: 400 },
        },
        signing: { type: "kms", keyId: "alias/signing" },
      },
      "test",
    );
    expect(config.store).toMatchObject({ type: "s3", prefix: "", forcePathStyle: false });
  });

  it("names the path of an unknown key", () => {
    const { file } = tempFile("store:\n  type: fs\n  path: x\n  pth: y\n");
    const e = errorOf(() => loadConfig(file));
    expect(e.message).toContain(file);
    expect(e.message).toContain('store: unknown key "pth"');
    expect(e.exitCode).toBe(2);
  });

  it("names the path and the expectation of a wrongly typed field", () => {
    const { file } = tempFile("scope:\n  accounts:\n    - id: 12345\n  regions: [eu-west-1]\n");
    const e = errorOf(() => loadConfig(file));
    expect(e.message).toMatch(/scope\.accounts\[0\]\.id: .*string/);
  });

  it("rejects a bad region and an unknown top-level key together", () => {
    const { file } = tempFile("scope:\n  regions: [Europe]\nstorage: {}\n");
    const e = errorOf(() => loadConfig(file));
    expect(e.message).toContain("scope.regions[0]: an AWS region name");
    expect(e.message).toContain('unknown key "storage"');
  });

  it("rejects malformed YAML with the file name", () => {
    const { file } = tempFile("store: [unclosed\n");
    const e = errorOf(() => loadConfig(file));
    expect(e.message).toContain(`config file ${file} is not valid YAML`);
  });

  it("rejects duplicate keys", () => {
    const { file } = tempFile("store:\n  type: fs\n  type: s3\n");
    expect(() => loadConfig(file)).toThrow(/not valid YAML/);
  });

  it("fails when an explicitly named file is missing", () => {
    const e = errorOf(() => loadConfig("does-not-exist.yaml", tmpdir()));
    expect(e.message).toContain("does-not-exist.yaml not found");
    expect(e.hint).toContain("auditpack init");
  });

  it("rejects an unknown store type", () => {
    const e = errorOf(() => parseConfig({ store: { type: "ftp" } }, "inline"));
    expect(e.message).toContain("store.type");
  });
});
