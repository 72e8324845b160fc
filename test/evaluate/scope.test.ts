import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { describeScope, resolveScope } from "../../src/evaluate/scope.js";
import { resolveScope as libraryResolveScope } from "../../src/index.js";
import { runAuditpack } from "../helpers/cli.js";
import { putAll, record, tempStore } from "./helpers.js";

async function storeWith(pairs: [string, string][]) {
  const store = tempStore();
  await putAll(
    store,
    pairs.map(([account, region]) =>
      record("cognito_user_pools", "2026-07-01T00:00:00.000Z", { userPools: [] }, { account, region }),
    ),
  );
  return store;
}

describe("resolveScope: one scope resolution for the CLI and the library", () => {
  it("is the function the library exports", () => {
    expect(libraryResolveScope).toBe(resolveScope);
  });

  it("discovers both halves from the store when nothing is configured", async () => {
    const store = await storeWith([
      ["111122223333", "eu-west-1"],
      ["444455556666", "us-east-1"],
    ]);
    const scope = await resolveScope({ store, config: parseConfig({}, "t") });
    expect(scope).toEqual({
      accounts: ["111122223333", "444455556666"],
      regions: ["eu-west-1", "us-east-1"],
      from: { accounts: "store", regions: "store" },
    });
    expect(describeScope(scope)).toBe(
      "scope: accounts 111122223333, 444455556666 (discovered from the store); regions eu-west-1, us-east-1 (discovered from the store)",
    );
  });

  it("takes each half from flags, then the config, then the store", async () => {
    const store = await storeWith([["111122223333", "eu-west-1"]]);
    const config = parseConfig({ scope: { accounts: [{ id: "999988887777" }] } }, "t");
    const configOnly = await resolveScope({ store, config, configFile: "/x/auditpack.config.yaml" });
    expect(configOnly).toMatchObject({
      accounts: ["999988887777"],
      regions: ["eu-west-1"],
      from: { accounts: "config", regions: "store" },
    });
    expect(describeScope(configOnly)).toContain(
      "accounts 999988887777 (from the config file /x/auditpack.config.yaml)",
    );
    const flags = await resolveScope({ store, config, accounts: ["111122223333"], regions: ["us-west-2"] });
    expect(flags).toMatchObject({
      accounts: ["111122223333"],
      regions: ["us-west-2"],
      from: { accounts: "flags", regions: "flags" },
    });
    expect(describeScope(flags)).toContain("(from the command line)");
  });

  it("says (none) for an empty store", async () => {
    const scope = await resolveScope({ store: tempStore() });
    expect(describeScope(scope)).toBe(
      "scope: accounts (none) (discovered from the store); regions (none) (discovered from the store)",
    );
  });
});

describe("auditpack evaluate after auditpack init", { timeout: 120_000 }, () => {
  it("evaluates what the store holds (init's scope is commented out) and says where the scope came from", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditpack-scope-"));
    const store = await storeWith([["123456789012", "eu-west-1"]]);
    const init = runAuditpack(["init"], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    const args = [
      "--store",
      store.root,
      "--json",
      "evaluate",
      "--framework",
      "pci-dss-4.0.1",
      "--at",
      "2026-07-02",
    ];
    const r = runAuditpack(args, { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "scope: accounts 123456789012 (discovered from the store); regions eu-west-1 (discovered from the store)",
    );
    expect(JSON.parse(r.stdout).scope).toEqual({ accounts: ["123456789012"], regions: ["eu-west-1"] });
    // --json prints what --out writes (both streamed from the per-account spill).
    const written = runAuditpack([...args, "--out", "out"], { cwd: dir });
    expect(written.code, written.stderr).toBe(0);
    const file = JSON.parse(readFileSync(path.join(dir, "out", "findings.json"), "utf8"));
    expect({ ...JSON.parse(written.stdout), generatedAt: "" }).toEqual({ ...file, generatedAt: "" });
    expect(file.requirements.length).toBeGreaterThan(0);
    // A deliberate scope in the config is used, and named.
    writeFileSync(path.join(dir, "auditpack.config.yaml"), "scope:\n  regions: [eu-west-1]\n");
    const scoped = runAuditpack([...args, "--accounts", "210987654321"], { cwd: dir });
    expect(scoped.stderr).toContain(
      `scope: accounts 210987654321 (from the command line); regions eu-west-1 (from the config file ${path.join(dir, "auditpack.config.yaml")})`,
    );
    const bad = runAuditpack([...args, "--regions", "Europe"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--regions: "Europe" is not a region name');
  });
});
