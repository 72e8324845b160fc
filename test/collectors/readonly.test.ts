import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { iamAction } from "../../src/aws/services.js";
import { collectors, iamPolicy } from "../../src/collectors/registry.js";
import { collect } from "../../src/collectors/run.js";
import { parseConfig } from "../../src/config/load.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { newSigner, tempStore } from "../evidence/ledger-helpers.js";

/** Read-only API verbs. Anything else (Put, Create, Delete, Update, Start, Stop, Set...) is refused. */
const READ_ONLY = /^(Describe|Get|List|Lookup|Select|BatchGet)[A-Z]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** The SDK operations a source file can send: imported `XCommand` classes and `paginateX` helpers. */
function operationsImported(source: string): string[] {
  const ops = new Set<string>();
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-[a-z-]+"/g)) {
    for (const raw of m[1]!.split(",")) {
      const name = raw
        .replace(/^\s*type\s+/, "")
        .split(/\s+as\s+/)[0]!
        .trim();
      if (/^[A-Z]\w*Command$/.test(name)) ops.add(name.replace(/Command$/, ""));
      if (/^paginate[A-Z]\w*$/.test(name)) ops.add(name.replace(/^paginate/, ""));
    }
  }
  return [...ops];
}

describe("collectors are read-only and declare what they call", () => {
  const root = path.join(PACKAGE_ROOT, "src", "collectors");
  const collectorFiles = sourceFiles(root).filter((f) => path.dirname(f) !== root);

  it("has one file per registered collector, each exporting it", () => {
    const ids = collectors.map((c) => c.id).sort();
    const declarations = collectorFiles.filter((f) => !f.endsWith(".state.ts"));
    expect(declarations.map((f) => path.basename(f, ".ts")).sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const collector of collectors) {
    describe(collector.id, () => {
      it("declares only read-only operations, each with its IAM action", () => {
        expect(collector.operations.length).toBeGreaterThan(0);
        for (const op of collector.operations) {
          expect(op, `${collector.id} declares ${op}`).toMatch(READ_ONLY);
          expect(collector.iamActions).toContain(iamAction(collector.service, op));
        }
        for (const action of collector.iamActions) expect(action.split(":")[1]).toMatch(READ_ONLY);
      });

      it("imports no SDK command it does not declare (static)", () => {
        const file = collectorFiles.find((f) => path.basename(f, ".ts") === collector.id)!;
        const imported = operationsImported(readFileSync(file, "utf8"));
        expect(imported.length, `${collector.id}: no SDK command found in its imports`).toBeGreaterThan(0);
        for (const op of imported) {
          expect(op, `${collector.id} imports ${op}`).toMatch(READ_ONLY);
          expect(collector.operations, `${collector.id} imports ${op} without declaring it`).toContain(op);
        }
      });
    });
  }

  it("sends only declared, read-only commands when each collector runs on the demo fixtures", async () => {
    const config = parseConfig({}, "test");
    for (const collector of collectors) {
      const sent = new Set<string>();
      const summary = await collect({
        store: tempStore(),
        signer: newSigner(),
        config,
        collectors: [collector],
        fixtures: "demo",
        // One week keeps the CloudTrail and Config history short; every other collector is unaffected.
        since: new Date("2026-09-24T00:00:00Z"),
        replay: { onCall: (c) => sent.add(`${c.service}:${c.operation}`) },
      });
      expect(summary.status, `${collector.id}: ${JSON.stringify(summary.results.map((r) => r.error))}`).toBe(
        "ok",
      );
      expect(sent.size, `${collector.id} sent nothing`).toBeGreaterThan(0);
      for (const call of sent) {
        const [service, op] = call.split(":") as [string, string];
        if (service === "sts") continue; // the runner's GetCallerIdentity, not the collector's
        expect(service).toBe(collector.service);
        expect(op).toMatch(READ_ONLY);
        expect(collector.operations, `${collector.id} sent ${op}`).toContain(op);
      }
    }
  }, 120_000);

  it("builds the IAM policy from the declarations: sorted, unique, read-only, plus GetCallerIdentity", () => {
    const policy = iamPolicy();
    expect(policy.Version).toBe("2012-10-17");
    expect(policy.Statement).toHaveLength(1);
    const actions = policy.Statement[0]!.Action;
    expect(actions).toEqual([...new Set(actions)].sort());
    expect(actions).toContain("sts:GetCallerIdentity");
    for (const c of collectors) for (const a of c.iamActions) expect(actions).toContain(a);
    for (const a of actions) expect(a.split(":")[1]).toMatch(READ_ONLY);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Allow", Resource: "*" });
  });
});
