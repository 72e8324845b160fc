import { describe, expect, it } from "vitest";
import { isHeading, loadCatalogs } from "../../src/catalog/load.js";
import { checkRefKey } from "../../src/catalog/schema.js";
import type { Catalog, CatalogRequirement } from "../../src/catalog/types.js";
import { SECURITY_EVENTS as SECURITY_EVENT_PATTERNS } from "../../src/checks/cloudwatch/cloudwatch_security_event_alarms.js";
import { checkIds, checks, getCheck } from "../../src/checks/registry.js";

const catalogs = loadCatalogs();
/** Event names cloudwatch_security_event_alarms understands in its `events` parameter. */
const SECURITY_EVENTS = new Set(Object.keys(SECURITY_EVENT_PATTERNS));
const byId = (id: string): Catalog => {
  const catalog = catalogs.find((c) => c.framework.id === id);
  if (!catalog) throw new Error(`no catalog ${id}`);
  return catalog;
};
const pci = byId("pci-dss-4.0.1");
const pciReq = (id: string) => pci.requirements.find((r) => r.id === id);

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}.${from + i}`);

/** Every PCI DSS v4.0.1 requirement of Requirements 8, 10 and 11 that issue 4 lists. */
const LISTED_PCI_REQUIREMENTS = [
  ...["8.1.1", "8.1.2", ...range("8.2", 1, 8), ...range("8.3", 1, 11), "8.3.10.1", ...range("8.4", 1, 3)],
  ...["8.5.1", ...range("8.6", 1, 3)],
  ...["10.1.1", "10.1.2", "10.2.1", ...range("10.2.1", 1, 7), "10.2.2", ...range("10.3", 1, 4)],
  ...[
    "10.4.1",
    "10.4.1.1",
    "10.4.2",
    "10.4.2.1",
    "10.4.3",
    "10.5.1",
    ...range("10.6", 1, 3),
    ...range("10.7", 1, 3),
  ],
  ...["11.1.1", "11.1.2", "11.2.1", "11.2.2", "11.3.1", ...range("11.3.1", 1, 3), "11.3.2", "11.3.2.1"],
  ...[...range("11.4", 1, 7), "11.5.1", "11.5.1.1", "11.5.2", "11.6.1"],
];

const PCI_HEADINGS = [
  ...["8", ...range("8", 1, 6)],
  ...["10", ...range("10", 1, 7)],
  ...["11", ...range("11", 1, 6)],
];

describe("the bundled catalogs", () => {
  it("are the five frameworks of DESIGN.md, PCI DSS (the crosswalk hub) first", () => {
    expect(catalogs.map((c) => c.framework.id)).toEqual([
      "pci-dss-4.0.1",
      "hipaa-security",
      "iso27001-2022",
      "nist-800-53-r5",
      "soc2-2017",
    ]);
  });

  it.each(catalogs.map((c) => [c.framework.id, c] as const))(
    "%s has unique requirement ids",
    (_, catalog) => {
      const ids = catalog.requirements.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
    },
  );

  it.each(catalogs.map((c) => [c.framework.id, c] as const))(
    "%s references only registered check ids, none twice with the same parameters in one requirement",
    (_, catalog) => {
      for (const req of catalog.requirements) {
        const keys = (req.checks ?? []).map(checkRefKey);
        expect(new Set(keys).size, `${req.id} lists a check twice`).toBe(keys.length);
        for (const check of req.checks ?? []) expect(checkIds, `${req.id}`).toContain(check.id);
      }
    },
  );

  it.each(catalogs.map((c) => [c.framework.id, c] as const))(
    "%s: every requirement has checks or a manual rationale with an evidence hint, or is a heading with children",
    (_, catalog) => {
      const parents = new Set(catalog.requirements.map((r) => r.parent));
      for (const req of catalog.requirements) {
        if (isHeading(req)) {
          expect(parents.has(req.id), `${req.id} has no checks, no manual and nothing under it`).toBe(true);
          continue;
        }
        if (req.manual) expect(req.manual.evidenceHint, `${req.id} evidence hint`).toBeTruthy();
      }
    },
  );

  it.each(catalogs.map((c) => [c.framework.id, c] as const))(
    "%s: config_managed_rule_compliant names a rule and cloudwatch alarms name known events",
    (_, catalog) => {
      for (const req of catalog.requirements) {
        for (const check of req.checks ?? []) {
          if (check.id === "config_managed_rule_compliant") {
            expect(check.params?.rule, req.id).toMatch(/^[a-z0-9-]+$/);
          }
          if (check.id === "cloudwatch_security_event_alarms" && check.params?.events) {
            for (const event of check.params.events as string[])
              expect(SECURITY_EVENTS, req.id).toContain(event);
          }
        }
      }
    },
  );

  it("every check they use is in the check registry, and every registered check is used by some catalog", () => {
    const registered = new Set(checks.map((c) => c.id));
    expect(() => loadCatalogs({ knownCheckIds: registered })).not.toThrow();
    const used = new Set(
      catalogs.flatMap((c) => c.requirements.flatMap((r) => (r.checks ?? []).map((x) => x.id))),
    );
    expect([...registered].filter((id) => !used.has(id))).toEqual([]);
  });

  it.each(catalogs.map((c) => [c.framework.id, c] as const))(
    "%s gives every check parameters its paramsSchema accepts",
    (_, catalog) => {
      for (const req of catalog.requirements) {
        for (const ref of req.checks ?? []) {
          const result = getCheck(ref.id).paramsSchema.safeParse(ref.params ?? {});
          expect(result.success, `${req.id} ${ref.id}: ${result.error?.message}`).toBe(true);
        }
      }
    },
  );
});

describe("PCI DSS v4.0.1 catalog", () => {
  it("has every requirement of 8, 10 and 11 the issue lists, each with checks or a manual rationale", () => {
    const missing = LISTED_PCI_REQUIREMENTS.filter((id) => !pciReq(id));
    expect(missing).toEqual([]);
    for (const id of LISTED_PCI_REQUIREMENTS) {
      const req = pciReq(id)!;
      expect(Boolean(req.checks?.length) || Boolean(req.manual?.rationale), id).toBe(true);
    }
  });

  it("has the principal requirements and their sections as headings, and nothing else", () => {
    for (const id of PCI_HEADINGS) expect(isHeading(pciReq(id)!), id).toBe(true);
    const expected = new Set([...LISTED_PCI_REQUIREMENTS, ...PCI_HEADINGS]);
    expect(pci.requirements.map((r) => r.id).filter((id) => !expected.has(id))).toEqual([]);
  });

  it("follows the standard's hierarchy: each parent is the id without its last number", () => {
    for (const req of pci.requirements) {
      const expectedParent = req.id.includes(".") ? req.id.slice(0, req.id.lastIndexOf(".")) : undefined;
      expect(req.parent, req.id).toBe(expectedParent);
    }
  });

  it("uses the PCI DSS parameter values", () => {
    const params = (id: string, check: string) => pciReq(id)?.checks?.find((c) => c.id === check)?.params;
    expect(params("8.3.6", "cognito_user_pool_password_min_length")).toEqual({ minLength: 12 });
    expect(params("8.3.7", "cognito_user_pool_password_history")).toEqual({ minHistory: 4 });
    expect(params("8.3.5", "cognito_user_pool_temp_password_validity")).toEqual({ maxDays: 7 });
    expect(params("8.2.8", "cognito_user_pool_client_token_lifetime")).toEqual({ maxIdleMinutes: 15 });
    expect(params("8.3.4", "cognito_user_pool_lockout")).toEqual({ minLockoutMinutes: 30 });
    expect(params("10.5.1", "logs_log_group_retention_min")).toEqual({ minDays: 365 });
  });

  it("maps each AWS Config managed rule to the requirements it evidences", () => {
    const rulesOf = (id: string) =>
      (pciReq(id)?.checks ?? [])
        .filter((c) => c.id === "config_managed_rule_compliant")
        .map((c) => c.params?.rule);
    expect(rulesOf("8.3.6")).toContain("iam-password-policy");
    expect(rulesOf("8.4.1")).toEqual(
      expect.arrayContaining(["root-account-mfa-enabled", "mfa-enabled-for-iam-console-access"]),
    );
    expect(rulesOf("8.4.2")).toContain("mfa-enabled-for-iam-console-access");
    expect(rulesOf("10.2.1")).toContain("cloudtrail-security-trail-enabled");
    expect(rulesOf("10.3.2")).toContain("s3-bucket-default-lock-enabled");
    expect(rulesOf("10.3.4")).toContain("cloud-trail-log-file-validation-enabled");
    expect(rulesOf("10.5.1")).toContain("cw-loggroup-retention-period-check");
    expect(rulesOf("11.5.1")).toContain("guardduty-enabled-centralized");
  });

  it("sends failures of logging and recording to 10.7 and manual-only requirements to people", () => {
    const checksOf = (id: string) => (pciReq(id)?.checks ?? []).map((c) => c.id);
    for (const id of ["10.7.1", "10.7.2"]) {
      expect(checksOf(id)).toEqual(
        expect.arrayContaining([
          "cloudtrail_logging_continuous",
          "config_recorder_all_resources",
          "cloudwatch_security_event_alarms",
        ]),
      );
    }
    expect(pciReq("11.3.2")?.checks).toBeUndefined();
    expect(pciReq("11.3.2")?.manual?.evidenceHint).toMatch(/ASV/);
    expect(pciReq("11.6.1")?.checks).toBeUndefined();
  });
});

describe("the crosswalk", () => {
  const all = new Map<string, CatalogRequirement>(
    catalogs.flatMap((c) => c.requirements.map((r) => [`${c.framework.id}:${r.id}`, r] as const)),
  );

  it("links resolve, and each link appears in both directions", () => {
    for (const [qualified, req] of all) {
      for (const link of req.crosswalk ?? []) {
        const target = all.get(link);
        expect(target, `${qualified} -> ${link}`).toBeDefined();
        expect(target?.crosswalk, `${link} does not link back to ${qualified}`).toContain(qualified);
      }
    }
  });

  it("connects every assessable requirement of the other frameworks to PCI DSS", () => {
    for (const catalog of catalogs.slice(1)) {
      for (const req of catalog.requirements) {
        if (isHeading(req)) continue;
        expect(req.crosswalk?.length, `${catalog.framework.id}:${req.id}`).toBeGreaterThan(0);
        for (const link of req.crosswalk ?? []) expect(link.startsWith("pci-dss-4.0.1:")).toBe(true);
      }
    }
  });
});

describe("PCI DSS v4.0.1 assessment data", () => {
  const assessed = pci.requirements.filter((r) => !isHeading(r));

  it("is v4.0.1, and no requirement is future-dated any more", () => {
    expect(pci.framework).toMatchObject({ id: "pci-dss-4.0.1", version: "4.0.1" });
    const text = JSON.stringify(pci.requirements);
    expect(text).not.toMatch(/future-dated|31 March 2025|best practice until/i);
  });

  it("gives every requirement of 8, 10 and 11 its testing procedure ids, unique across the catalog", () => {
    const all = assessed.flatMap((r) => r.testingProcedures ?? []);
    expect(new Set(all).size).toBe(all.length);
    for (const id of LISTED_PCI_REQUIREMENTS) {
      const procedures = pciReq(id)!.testingProcedures;
      expect(procedures?.length, `${id} testing procedures`).toBeGreaterThan(0);
      for (const p of procedures!) expect(p === id || p.startsWith(`${id}.`), `${id}: ${p}`).toBe(true);
    }
    expect(pciReq("8.3.6")!.testingProcedures).toContain("8.3.6.a");
    for (const id of PCI_HEADINGS) expect(pciReq(id)!.testingProcedures, id).toBeUndefined();
  });

  it("flags exactly the service-provider-only requirements", () => {
    expect(pci.requirements.filter((r) => r.serviceProviderOnly).map((r) => r.id)).toEqual([
      "8.2.3",
      "8.3.10",
      "8.3.10.1",
      "10.7.1",
      "11.4.6",
      "11.4.7",
      "11.5.1.1",
    ]);
  });

  it("states the populations: workforce pools for Requirement 8, customer pools for 8.3.10.1", () => {
    expect(pciReq("8.3.6")!.population).toBe("workforce");
    expect(pciReq("8.2.4")!.population).toBe("workforce");
    expect(pciReq("8.3.10.1")!.population).toBe("customer");
    expect(pciReq("8.3.10.1")!.applicability).toMatch(/consumer/);
    expect(pciReq("8.4.2")!.applicability).toMatch(/phishing-resistant/);
  });

  it("marks the proxy checks of 11.5 as supporting, not sufficient", () => {
    for (const id of ["11.5.1", "11.5.1.1", "11.5.2"]) {
      expect(
        pciReq(id)!.checks!.every((c) => c.supporting),
        id,
      ).toBe(true);
    }
    expect(pciReq("8.3.6")!.checks!.some((c) => c.supporting)).toBe(false);
  });

  it("holds 8.2.8 to token lifetime only as a supporting proxy, beside a manual part for the idle timeout", () => {
    const r = pciReq("8.2.8")!;
    expect(r.checks).toEqual([
      { id: "cognito_user_pool_client_token_lifetime", supporting: true, params: { maxIdleMinutes: 15 } },
    ]);
    expect(r.manual?.rationale).toMatch(/idle timeout/i);
    expect(r.manual?.evidenceHint).toMatch(/15 idle minutes/);
  });

  it("says in 10.5.1's manual part what no check covers: the S3 log archive's retention", () => {
    const r = pciReq("10.5.1")!;
    expect(r.checks!.map((c) => c.id)).toContain("logs_log_group_retention_min");
    expect(r.manual?.rationale).toMatch(/S3 log archive/);
    expect(r.manual?.rationale).toMatch(/GetBucketLifecycleConfiguration/);
    expect(r.manual?.evidenceHint).toMatch(/12 months/);
  });

  it("numbers every testing procedure as PCI DSS v4.0.1 does: the requirement's id, or it plus .a, .b, ... in order", () => {
    const requirementId = /^(\d{1,2}|A[1-3])(\.\d{1,2}){1,3}$/;
    const procedureId = /^(?<req>(\d{1,2}|A[1-3])(\.\d{1,2}){1,3})(\.(?<letter>[a-z]))?$/;
    const problems: string[] = [];
    for (const r of assessed) {
      const procedures = r.testingProcedures ?? [];
      if (!requirementId.test(r.id)) problems.push(`${r.id}: not a requirement id`);
      const parsed = procedures.map((p) => ({ p, m: procedureId.exec(p)?.groups }));
      for (const { p, m } of parsed) {
        if (!m) problems.push(`${r.id}: ${p} is not a testing procedure id`);
        else if (m.req !== r.id) problems.push(`${r.id}: ${p} belongs to ${m.req}`);
      }
      const letters = parsed.map(({ m }) => m?.letter);
      if (letters.some((l) => l === undefined)) {
        // An unlettered procedure is the requirement's only one (8.2.8 is tested by 8.2.8).
        if (procedures.length !== 1)
          problems.push(`${r.id}: ${procedures.join(", ")} mixes lettered and not`);
      } else {
        const expected = letters.map((_, i) => String.fromCharCode(97 + i));
        if (letters.join() !== expected.join())
          problems.push(`${r.id}: letters ${letters.join()} skip or repeat`);
      }
    }
    expect(problems).toEqual([]);
    expect(pciReq("8.2.8")!.testingProcedures).toEqual(["8.2.8"]);
    expect(pciReq("10.5.1")!.testingProcedures).toEqual(["10.5.1.a", "10.5.1.b", "10.5.1.c"]);
  });
});
