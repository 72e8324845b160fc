import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { ExitCode, UsageError } from "../../src/errors.js";
import { notApplicableFor } from "../../src/evaluate/assessment-scope.js";
import { inPopulation, roleOf, unmatchedRules } from "../../src/evaluate/population.js";

const assessment = (raw: Record<string, unknown>) => parseConfig({ assessment: raw }, "(test)").assessment!;

function configError(raw: Record<string, unknown>): UsageError {
  try {
    parseConfig({ assessment: raw }, "(test)");
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    return error as UsageError;
  }
  throw new Error("expected a UsageError");
}

const scope = assessment({
  entityType: "merchant",
  cde: "The checkout service and its card vault.",
  roles: {
    userPools: [
      { role: "workforce", name: "staff-*" },
      { role: "consumer", tag: { audience: "cardholders" } },
      { role: "customer", id: "eu-west-1_Cust*" },
    ],
    buckets: [{ role: "log-archive", name: "org-trail-logs" }],
  },
});

describe("assessment scope in the config", () => {
  it("rejects an entity type it does not know, naming the field (exit 2)", () => {
    const error = configError({ entityType: "acquirer" });
    expect(error.message).toContain("assessment.entityType");
    expect(error.message).toContain('entity type "acquirer" is not one of merchant, service-provider');
  });

  it("rejects an unknown role, and a role of the wrong kind, naming the rule", () => {
    const unknown = configError({ roles: { userPools: [{ role: "staff", name: "x" }] } });
    expect(unknown.message).toContain("assessment.roles.userPools[0].role");
    expect(unknown.message).toContain(
      'unknown role "staff" for a user pool: use workforce, consumer, customer',
    );
    const wrongKind = configError({ roles: { buckets: [{ role: "workforce", name: "x" }] } });
    expect(wrongKind.message).toContain("assessment.roles.buckets[0].role");
  });

  it("rejects a rule that says nothing about which resources it means", () => {
    const error = configError({ roles: { userPools: [{ role: "consumer" }] } });
    expect(error.message).toContain("assessment.roles.userPools[0]");
    expect(error.message).toContain("give name, id or tag");
  });

  it("rejects a bad account id in the reasons", () => {
    const error = configError({ accounts: [{ id: "1234", reason: "prod" }] });
    expect(error.message).toContain("assessment.accounts[0].id");
  });
});

describe("roles and populations", () => {
  const pool = (name: string, id = "eu-west-1_X", tags?: Record<string, string>) => ({
    id,
    name,
    ...(tags ? { tags } : {}),
  });

  it("gives a resource the first matching rule's role, by name, tag or id", () => {
    expect(roleOf(scope, "cognito_user_pool", pool("staff-sso"))).toEqual({
      role: "workforce",
      source: "assessment.roles.userPools[0]",
    });
    expect(roleOf(scope, "cognito_user_pool", pool("shop", "x", { audience: "cardholders" })).role).toBe(
      "consumer",
    );
    expect(roleOf(scope, "cognito_user_pool", pool("portal", "eu-west-1_Cust9")).role).toBe("customer");
  });

  it("an unmatched user pool is workforce (Requirement 8 applies unless the scope says otherwise)", () => {
    expect(roleOf(scope, "cognito_user_pool", pool("legacy"))).toEqual({
      role: "workforce",
      source: "default",
    });
    expect(roleOf(undefined, "cognito_user_pool", pool("legacy")).role).toBe("workforce");
  });

  it("an app client takes its pool's role", () => {
    const client = { id: "pool/client", name: "web", userPoolId: "eu-west-1_Cust1", userPoolName: "portal" };
    expect(roleOf(scope, "cognito_user_pool_client", client).role).toBe("customer");
  });

  it("selects a population by role; resources without roles are in every population", () => {
    expect(inPopulation(scope, "workforce", "cognito_user_pool", pool("staff-a"))).toBe(true);
    expect(
      inPopulation(scope, "workforce", "cognito_user_pool", pool("shop", "x", { audience: "cardholders" })),
    ).toBe(false);
    expect(inPopulation(scope, "workforce", "cloudtrail_trail", { id: "trail" })).toBe(true);
    expect(inPopulation(scope, undefined, "cognito_user_pool", pool("shop"))).toBe(true);
  });

  it("judges a Config rule's evaluation of a bucket by the bucket's role", () => {
    const evaluation = (bucket: string) => ({
      id: `rule|AWS::S3::Bucket|${bucket}`,
      name: bucket,
      resourceType: "AWS::S3::Bucket",
      resourceId: bucket,
    });
    expect(inPopulation(scope, "log-archive", "config_rule_evaluation", evaluation("org-trail-logs"))).toBe(
      true,
    );
    expect(inPopulation(scope, "log-archive", "config_rule_evaluation", evaluation("card-vault"))).toBe(
      false,
    );
    const account = { id: "x", resourceType: "AWS::::Account", resourceId: "111122223333" };
    expect(inPopulation(scope, "log-archive", "config_rule_evaluation", account)).toBe(true);
    // With no bucket rules at all, the scope says nothing about buckets: nothing is dropped.
    expect(
      inPopulation(assessment({}), "log-archive", "config_rule_evaluation", evaluation("card-vault")),
    ).toBe(true);
  });

  it("states a rule that matches nothing as an empty population, not an error", () => {
    const seen = [{ resourceType: "cognito_user_pool", subject: pool("staff-a") }];
    expect(unmatchedRules(scope, seen)).toEqual([
      'assessment.roles.userPools[1] (consumer: tag {"audience":"cardholders"}) matches no resource in the evidence',
      "assessment.roles.userPools[2] (customer: id eu-west-1_Cust*) matches no resource in the evidence",
      "assessment.roles.buckets[0] (log-archive: name org-trail-logs) matches no resource in the evidence",
    ]);
  });

  it("takes service-provider-only requirements out of a merchant's scope, with the reason", () => {
    expect(notApplicableFor({ serviceProviderOnly: true }, scope)).toContain(
      "the assessed entity is a merchant",
    );
    expect(
      notApplicableFor({ serviceProviderOnly: true }, assessment({ entityType: "service-provider" })),
    ).toBe(undefined);
    expect(notApplicableFor({ serviceProviderOnly: true }, undefined)).toBe(undefined);
    expect(notApplicableFor({}, scope)).toBe(undefined);
  });
});

describe("a bad assessment scope on the command line", () => {
  it("exits 2 naming the field, and writes nothing", async () => {
    const { mkdtempSync, writeFileSync, readdirSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { runCliInProcess } = await import("../helpers/cli-in-process.js");
    const dir = mkdtempSync(path.join(os.tmpdir(), "assessment-config-"));
    const config = path.join(dir, "auditpack.config.yaml");
    writeFileSync(
      config,
      `store: { type: fs, path: ${JSON.stringify(path.join(dir, "store"))} }\nassessment:\n  entityType: acquirer\n  roles:\n    userPools:\n      - { role: staff, name: "x*" }\n`,
    );
    const r = await runCliInProcess([
      "evaluate",
      "--config",
      config,
      "--framework",
      "pci-dss-4.0.1",
      "--period",
      "2026-Q3",
    ]);
    process.exitCode = undefined;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("assessment.entityType");
    expect(r.stderr).toContain("assessment.roles.userPools[0].role");
    expect(readdirSync(dir)).toEqual(["auditpack.config.yaml"]);
  });
});
