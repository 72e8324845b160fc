import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ServiceFixture } from "../../src/aws/replay.js";
import { SERVICES } from "../../src/aws/services.js";
import { declarationFiles } from "../../src/catalog/registry-files.js";
import { collectors } from "../../src/collectors/registry.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { runCollector } from "../helpers/run-collector.js";

const READ_ONLY = /^(Describe|Get|List|Lookup|Select)[A-Z]/;
/** The collector's own file, found in the folder (its service directory is its own choice). */
function sourceOf(id: string): string {
  const file = declarationFiles("src/collectors").find((f) => path.basename(f, ".ts") === id);
  if (!file) throw new Error(`no src/collectors/<service>/${id}.ts`);
  return readFileSync(path.join(PACKAGE_ROOT, "src/collectors", file), "utf8");
}

/** Every SDK operation a source file can send: `new XCommand(` and `paginateX(`. */
function operationsIn(source: string): Set<string> {
  const found = new Set<string>();
  for (const m of source.matchAll(/\bnew ([A-Z]\w*)Command\(/g)) found.add(m[1]!);
  for (const m of source.matchAll(/\bpaginate([A-Z]\w*)\(/g)) found.add(m[1]!);
  return found;
}

/**
 * Answers for any operation, with one item where a collector would go deeper, so every branch that
 * sends a request is taken. Unknown operations get an empty answer, so an undeclared call is seen
 * (and fails the test) rather than hidden by a replay mismatch.
 */
const RICH: ServiceFixture = {
  ListDiscoveredResources: [
    { response: { resourceIdentifiers: [{ resourceType: "AWS::Logs::LogGroup", resourceId: "/g" }] } },
  ],
  DescribeConfigRules: [{ response: { ConfigRules: [{ ConfigRuleName: "r", Source: { Owner: "AWS" } }] } }],
  DescribeConformancePacks: [{ response: { ConformancePackDetails: [{ ConformancePackName: "p" }] } }],
  DescribeTrails: [
    {
      response: {
        trailList: [
          { Name: "t", TrailARN: "arn:aws:cloudtrail:us-east-1:1:trail/t", HasInsightSelectors: true },
        ],
      },
    },
  ],
  ListUserPools: [{ response: { UserPools: [{ Id: "us-east-1_X" }] } }],
  DescribeUserPool: [
    { response: { UserPool: { Id: "us-east-1_X", UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" } } } },
  ],
  ListUserPoolClients: [{ response: { UserPoolClients: [{ ClientId: "c" }] } }],
};
const anyOperation = new Proxy(RICH, {
  get: (target, operation: string) => target[operation] ?? [{ response: {} }],
});

describe("collector declarations", () => {
  it("has unique ids that match their file names", () => {
    expect(new Set(collectors.map((c) => c.id)).size).toBe(collectors.length);
    for (const c of collectors) expect(() => sourceOf(c.id)).not.toThrow();
  });

  for (const c of collectors) {
    describe(c.id, () => {
      it("declares only read-only operations, each with its IAM action", () => {
        for (const op of c.operations) expect(op).toMatch(READ_ONLY);
        expect([...c.iamActions].sort()).toEqual(
          c.operations.map((op) => `${SERVICES[c.service].iamPrefix}:${op}`).sort(),
        );
      });

      it("declares every SDK command its source can send", () => {
        expect([...operationsIn(sourceOf(c.id))].sort()).toEqual([...c.operations].sort());
      });

      it("sends only declared operations, and each of them, when every branch is taken", async () => {
        const run = await runCollector(c, {
          fixture: anyOperation,
          window: { start: new Date("2026-09-29T00:00:00Z"), end: new Date("2026-09-30T00:00:00Z") },
          now: new Date("2026-09-30T00:00:00Z"),
        });
        expect(run.error).toBeUndefined();
        const sent = new Set(run.calls.map((call) => call.operation));
        expect([...sent].sort()).toEqual([...c.operations].sort());
        // What the records say was called is what was sent.
        const recorded = new Set(run.records.flatMap((r) => r.calls.map((call) => call.operation)));
        for (const op of recorded) expect(sent).toContain(op);
      });
    });
  }
});
