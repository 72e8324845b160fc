import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  listFrameworks,
  loadCatalog,
  loadCatalogFile,
  loadCatalogs,
  resolveControlId,
  selectRequirements,
} from "../../src/catalog/load.js";
import { checkIds } from "../../src/checks/registry.js";
import { ExitCode, UsageError } from "../../src/errors.js";

const PCI_HEADER = `framework:
  id: pci-dss-4.0.1
  name: PCI DSS
  version: "4.0"
  publisher: PCI Security Standards Council
  url: https://example.org/pci
requirements:
`;

/** A small valid PCI catalog: a heading, a section, an automated and a manual requirement. */
const PCI_BODY = `  - id: "8"
    title: Identify users
    description: Users are identified and authenticated.
  - id: "8.3"
    parent: "8"
    title: Strong authentication
    description: Authentication is strong.
  - id: "8.3.6"
    parent: "8.3"
    title: Password length
    description: Passwords are long enough.
    checks:
      - id: cognito_user_pool_password_min_length
        params: { minLength: 12 }
  - id: "8.3.8"
    parent: "8.3"
    title: Guidance for users
    description: Users are told how to protect passwords.
    manual:
      rationale: It is a documentation activity.
      evidenceHint: The guidance document.
`;

const SOC2 = `framework:
  id: soc2-2017
  name: SOC 2
  version: "2017"
  publisher: AICPA
  url: https://example.org/soc2
requirements:
  - id: CC6
    title: Access
    description: Access is restricted.
  - id: CC6.1
    parent: CC6
    title: Logical access
    description: Logical access is secured.
    checks:
      - id: cognito_user_pool_password_min_length
        params: { minLength: 12 }
`;

const CROSSWALK = `hub: pci-dss-4.0.1
links:
  "8.3.6": [soc2-2017:CC6.1]
`;

function controlsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-catalog-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The UsageError a call throws (fails the test when it throws nothing or something else). */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    return error as UsageError;
  }
  throw new Error("expected a UsageError, nothing was thrown");
}

const pciWith = (body: string) => controlsDir({ "pci-dss-4.0.1.yaml": PCI_HEADER + body });

describe("loadCatalogs", () => {
  it("loads a directory and derives crosswalk links in both directions", () => {
    const dir = controlsDir({
      "pci-dss-4.0.1.yaml": PCI_HEADER + PCI_BODY,
      "soc2-2017.yaml": SOC2,
      "crosswalk.yaml": CROSSWALK,
    });
    const [pci, soc2] = loadCatalogs({ dir, knownCheckIds: checkIds });
    expect(pci?.framework.id).toBe("pci-dss-4.0.1");
    expect(pci?.requirements.find((r) => r.id === "8.3.6")?.crosswalk).toEqual(["soc2-2017:CC6.1"]);
    expect(soc2?.requirements.find((r) => r.id === "CC6.1")?.crosswalk).toEqual(["pci-dss-4.0.1:8.3.6"]);
    expect(soc2?.requirements.find((r) => r.id === "CC6")?.crosswalk).toBeUndefined();
    expect(listFrameworks({ dir }).map((f) => f.id)).toEqual(["pci-dss-4.0.1", "soc2-2017"]);
  });

  it("loads a catalog by file path, with its directory's crosswalk", () => {
    const dir = controlsDir({
      "pci-dss-4.0.1.yaml": PCI_HEADER + PCI_BODY,
      "soc2-2017.yaml": SOC2,
      "crosswalk.yaml": CROSSWALK,
    });
    const soc2 = loadCatalog(path.join(dir, "soc2-2017.yaml"));
    expect(soc2.requirements.find((r) => r.id === "CC6.1")?.crosswalk).toEqual(["pci-dss-4.0.1:8.3.6"]);
    const alone = controlsDir({ "custom.yaml": PCI_HEADER + PCI_BODY });
    expect(loadCatalog(path.join(alone, "custom.yaml")).requirements).toHaveLength(4);
  });

  it("rejects YAML that does not parse, naming the file and line", () => {
    const dir = pciWith(`${PCI_BODY}  - id: "8.3.9"\n    title: [unclosed\n`);
    const error = usageError(() => loadCatalogs({ dir }));
    expect(error.message).toContain(path.join(dir, "pci-dss-4.0.1.yaml"));
    expect(error.message).toMatch(/pci-dss-4\.0\.1\.yaml:\d+ is not valid YAML/);
  });

  it("rejects duplicate YAML keys", () => {
    const dir = pciWith(
      PCI_BODY.replace("    title: Password length\n", "    title: Password length\n    title: Again\n"),
    );
    expect(usageError(() => loadCatalogs({ dir })).message).toMatch(
      /not valid YAML.*[Mm]ap keys must be unique/,
    );
  });

  it("names the YAML path, line and requirement of an unknown key", () => {
    const dir = pciWith(
      PCI_BODY.replace("    title: Password length\n", "    title: Password length\n    severity: high\n"),
    );
    const error = usageError(() => loadCatalogs({ dir }));
    expect(error.message).toContain('requirements[2] (line 18, requirement 8.3.6): unknown key "severity"');
    expect(error.hint).toContain("schemas/catalog.schema.json");
  });

  it("points a crosswalk key inside a catalog to crosswalk.yaml", () => {
    const dir = pciWith(
      PCI_BODY.replace(
        "    title: Password length\n",
        "    title: Password length\n    crosswalk: [soc2-2017:CC6.1]\n",
      ),
    );
    expect(usageError(() => loadCatalogs({ dir })).message).toContain(
      "links belong in controls/crosswalk.yaml",
    );
  });

  it("rejects an unquoted numeric id and says to quote it", () => {
    const dir = pciWith(PCI_BODY.replace('  - id: "8.3"\n', "  - id: 8.3\n"));
    const error = usageError(() => loadCatalogs({ dir }));
    expect(error.message).toContain(
      'requirements[1].id (line 11, requirement 8.3): write the id as a quoted string, e.g. "8.3"',
    );
  });

  it("rejects an id that is not in the framework's numbering", () => {
    const dir = pciWith(PCI_BODY.replace('"8.3.6"', '"8,3,6"'));
    expect(usageError(() => loadCatalogs({ dir })).message).toContain(
      '"8,3,6" is not a pci-dss-4.0.1 requirement id (expected the form 8.3.10.1)',
    );
  });

  it("rejects a requirement with neither checks nor manual", () => {
    const dir = pciWith(
      `${PCI_BODY}  - id: "8.3.9"\n    parent: "8.3"\n    title: Rotation\n    description: Passwords rotate.\n`,
    );
    expect(usageError(() => loadCatalogs({ dir })).message).toContain(
      'requirements[4] (line 29, requirement 8.3.9): "8.3.9" has neither `checks` nor `manual`',
    );
  });

  it("rejects an empty checks list", () => {
    const dir = pciWith(PCI_BODY.replace(/ {4}checks:\n(.*\n){2}/, "    checks: []\n"));
    expect(usageError(() => loadCatalogs({ dir })).message).toContain("list at least one check");
  });

  it("rejects duplicate ids, unknown parents and a check listed twice", () => {
    const dup = pciWith(PCI_BODY.replace('"8.3.8"', '"8.3.6"'));
    expect(usageError(() => loadCatalogs({ dir: dup })).message).toContain(
      'duplicate requirement id "8.3.6" (first at requirements[2])',
    );
    const orphan = pciWith(
      PCI_BODY.replace(
        'parent: "8.3"\n    title: Password length',
        'parent: "8.4"\n    title: Password length',
      ),
    );
    expect(usageError(() => loadCatalogs({ dir: orphan })).message).toContain(
      'requirements[2].parent (line 16, requirement 8.3.6): parent "8.4" is not a requirement listed before "8.3.6"',
    );
    const twice = pciWith(
      PCI_BODY.replace(
        "        params: { minLength: 12 }\n",
        "        params: { minLength: 12 }\n      - id: cognito_user_pool_password_min_length\n        params: { minLength: 12 }\n",
      ),
    );
    expect(usageError(() => loadCatalogs({ dir: twice })).message).toContain(
      "check cognito_user_pool_password_min_length is listed twice with the same parameters",
    );
  });

  it("rejects a dangling check id, suggesting the closest known one", () => {
    const dir = pciWith(
      PCI_BODY.replace(
        "id: cognito_user_pool_password_min_length",
        "id: cognito_user_pool_pasword_min_length",
      ),
    );
    // With "any" the id is only checked for form...
    expect(() => loadCatalogs({ dir, knownCheckIds: "any" })).not.toThrow();
    // ...by default it must be in the check registry.
    const error = usageError(() => loadCatalogs({ dir }));
    expect(error.message).toContain(
      'requirements[2].checks[0].id (line 20, requirement 8.3.6): unknown check "cognito_user_pool_pasword_min_length" (did you mean cognito_user_pool_password_min_length?)',
    );
    expect(error.hint).toContain("check registry");
  });

  it("rejects a catalog whose file name does not match its framework id", () => {
    const dir = controlsDir({ "pci.yaml": PCI_HEADER + PCI_BODY });
    const error = usageError(() => loadCatalogs({ dir }));
    expect(error.message).toContain('declares framework "pci-dss-4.0.1" but is named pci.yaml');
    expect(error.hint).toContain("pci-dss-4.0.1.yaml");
  });

  it("rejects crosswalk links to requirements or frameworks that do not exist", () => {
    const files = { "pci-dss-4.0.1.yaml": PCI_HEADER + PCI_BODY, "soc2-2017.yaml": SOC2 };
    const badTarget = controlsDir({ ...files, "crosswalk.yaml": CROSSWALK.replace("CC6.1", "CC6.9") });
    const error = usageError(() => loadCatalogs({ dir: badTarget }));
    expect(error.message).toContain(path.join(badTarget, "crosswalk.yaml"));
    expect(error.message).toContain(
      'links.8.3.6[0] (line 3): soc2-2017 has no requirement "CC6.9" (did you mean CC6.1 or CC6?)',
    );

    const badFramework = controlsDir({
      ...files,
      "crosswalk.yaml": CROSSWALK.replace("soc2-2017:", "soc2-2018:"),
    });
    expect(usageError(() => loadCatalogs({ dir: badFramework })).message).toContain(
      'no catalog for framework "soc2-2018" (did you mean soc2-2017?)',
    );
    const badHubId = controlsDir({ ...files, "crosswalk.yaml": CROSSWALK.replace('"8.3.6"', '"8.3.7"') });
    expect(usageError(() => loadCatalogs({ dir: badHubId })).message).toContain(
      'pci-dss-4.0.1 has no requirement "8.3.7"',
    );
    const selfLink = controlsDir({
      ...files,
      "crosswalk.yaml": CROSSWALK.replace("soc2-2017:CC6.1", "pci-dss-4.0.1:8.3.8"),
    });
    expect(usageError(() => loadCatalogs({ dir: selfLink })).message).toContain("links the hub to itself");
  });
});

describe("finding frameworks and controls", () => {
  it("resolves a control id from the bundled catalogs", () => {
    const { catalog, requirement } = resolveControlId("pci-dss-4.0.1:8.4.2");
    expect(catalog.framework.name).toBe("PCI DSS");
    expect(requirement.checks?.map((c) => c.id)).toContain("cognito_user_pool_mfa_required");
    expect(resolveControlId("nist-800-53-r5:IA-2(1)").requirement.crosswalk).toContain("pci-dss-4.0.1:8.4.1");
  });

  it("suggests the closest framework for an unknown one", () => {
    const error = usageError(() => loadCatalog("pci-dss-4"));
    expect(error.message).toBe('unknown framework "pci-dss-4"');
    expect(error.hint).toContain("did you mean pci-dss-4.0.1?");
    expect(usageError(() => resolveControlId("soc2:CC6.1")).hint).toContain("did you mean soc2-2017?");
  });

  it("suggests the closest requirement ids for an unknown control", () => {
    const error = usageError(() => resolveControlId("pci-dss-4.0.1:8.4.9"));
    expect(error.message).toBe('pci-dss-4.0.1 has no requirement "8.4.9"');
    expect(error.hint).toContain("did you mean 8.3.9, 8.4.1 or 8.4.2?");
    expect(error.hint).toContain("auditpack controls list --framework pci-dss-4.0.1");
  });

  it("rejects a control id without a framework", () => {
    expect(usageError(() => resolveControlId("8.4.2")).hint).toContain("pci-dss-4.0.1:8.4.2");
    expect(usageError(() => resolveControlId("pci-dss-4.0.1:")).message).toContain("is not a control id");
  });

  it("a missing catalog file is a usage error", () => {
    expect(usageError(() => loadCatalogFile("/nonexistent/x.yaml")).message).toContain("not found");
  });
});

describe("selectRequirements", () => {
  const pci = loadCatalog("pci-dss-4.0.1");

  it("selects whole principal requirements with everything under them", () => {
    const ids = selectRequirements(pci, "8,10,11").map((r) => r.id);
    expect(ids).toEqual(pci.requirements.map((r) => r.id));
    expect(selectRequirements(pci, "10").every((r) => r.id === "10" || r.id.startsWith("10."))).toBe(true);
  });

  it("selects a section by hierarchy, not by string prefix", () => {
    expect(selectRequirements(pci, "8.3.1").map((r) => r.id)).toEqual(["8.3.1"]);
    expect(selectRequirements(pci, " 8.3.10 ").map((r) => r.id)).toEqual(["8.3.10", "8.3.10.1"]);
    const section = selectRequirements(pci, ["8.3", "8.3.6"]).map((r) => r.id);
    expect(section[0]).toBe("8.3");
    expect(section).toContain("8.3.10.1");
    expect(new Set(section).size).toBe(section.length);
  });

  it("names the option and suggests ids for an unknown selection", () => {
    const error = usageError(() => selectRequirements(pci, "8,12", "--requirements"));
    expect(error.message).toBe('--requirements: pci-dss-4.0.1 has no requirement "12"');
    expect(usageError(() => selectRequirements(pci, " , ")).message).toContain("no requirement ids given");
  });
});

describe("the retired pci-dss-4.0 id", () => {
  it("resolves to pci-dss-4.0.1 with a notice that v4.0 was retired on 2024-12-31", () => {
    const notices: string[] = [];
    const catalog = loadCatalog("pci-dss-4.0", { notify: (n) => notices.push(n) });
    expect(catalog.framework.id).toBe("pci-dss-4.0.1");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/v4\.0 was retired on 2024-12-31.*pci-dss-4\.0\.1/);
    const control = resolveControlId("pci-dss-4.0:8.4.2", { notify: (n) => notices.push(n) });
    expect(control.catalog.framework.id).toBe("pci-dss-4.0.1");
    expect(control.requirement.id).toBe("8.4.2");
    expect(notices).toHaveLength(2);
  });

  it("does not resolve other near misses (pci-dss-4.1 is unknown, with a suggestion)", () => {
    const error = usageError(() => loadCatalog("pci-dss-4.1", { notify: () => {} }));
    expect(error.message).toContain('unknown framework "pci-dss-4.1"');
    expect(error.hint).toContain("pci-dss-4.0.1");
  });
});

describe("assessment fields of a requirement", () => {
  const withFields = (fields: string) =>
    pciWith(PCI_BODY.replace("    title: Password length\n", `    title: Password length\n${fields}`));

  it("accepts testing procedures, a population, an applicability note and the service-provider flag", () => {
    const dir = withFields(
      '    testingProcedures: ["8.3.6.a", "8.3.6.b"]\n    population: workforce\n    serviceProviderOnly: true\n    applicability: Not for consumer accounts.\n',
    );
    const req = loadCatalogs({ dir })
      .at(0)!
      .requirements.find((r) => r.id === "8.3.6")!;
    expect(req).toMatchObject({
      testingProcedures: ["8.3.6.a", "8.3.6.b"],
      population: "workforce",
      serviceProviderOnly: true,
    });
  });

  it("rejects a testing procedure of another requirement, a duplicate, and an unknown population", () => {
    const error = usageError(() =>
      loadCatalogs({ dir: withFields('    testingProcedures: ["8.3.6.a", "8.3.6.a", "8.3.7.a"]\n') }),
    );
    expect(error.message).toContain('testing procedure "8.3.6.a" is listed twice');
    expect(error.message).toContain('testing procedure "8.3.7.a" is not "8.3.6" or "8.3.6.<letter>"');
    const role = usageError(() => loadCatalogs({ dir: withFields("    population: staff\n") }));
    expect(role.message).toMatch(
      /population.*a population is a resource role: workforce, consumer, customer/,
    );
  });
});
