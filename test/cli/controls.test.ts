import { afterEach, describe, expect, it } from "vitest";
import { runAuditpack } from "../helpers/cli.js";
import { runCliInProcess } from "../helpers/cli-in-process.js";

afterEach(() => {
  process.exitCode = undefined;
});

describe("auditpack controls", () => {
  it("list --json prints the frameworks with their counts on stdout only (real process)", {
    timeout: 120_000,
  }, () => {
    const r = runAuditpack(["controls", "list", "--json"]);
    expect(r.code).toBe(0);
    const { frameworks } = JSON.parse(r.stdout) as { frameworks: Array<Record<string, unknown>> };
    expect(frameworks.map((f) => f.id)).toEqual([
      "pci-dss-4.0.1",
      "hipaa-security",
      "iso27001-2022",
      "nist-800-53-r5",
      "soc2-2017",
    ]);
    const pci = frameworks[0]!;
    expect(pci.requirements).toBe(77);
    expect(Number(pci.automated) + Number(pci.partlyManual) + Number(pci.manual)).toBe(77);
  });

  it("list --framework shows the hierarchy with manual requirements marked", async () => {
    const r = await runCliInProcess([
      "controls",
      "list",
      "--framework",
      "pci-dss-4.0.1",
      "--requirements",
      "8.3",
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.find((l) => l.startsWith("8.3 "))).toContain("Strong authentication");
    expect(lines.find((l) => l.includes("8.3.10.1"))).toMatch(/^ {4}8\.3\.10\.1\s+automated\s+1 check /);
    expect(lines.find((l) => l.includes("8.3.8"))).toMatch(/MANUAL/);
    expect(r.stdout).not.toContain("8.4.1");
  });

  it("show explains checks, parameters and crosswalk; --json carries the same", async () => {
    const text = await runCliInProcess(["controls", "show", "pci-dss-4.0.1:8.3.6"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      "pci-dss-4.0.1:8.3.6  Passwords have a minimum length and mix of characters",
    );
    expect(text.stdout).toContain("PCI DSS 4.0.1 > 8 Identify users and authenticate access > 8.3 ");
    expect(text.stdout).toContain("cognito_user_pool_password_min_length  (minLength: 12)");
    expect(text.stdout).toContain("config_managed_rule_compliant  (rule: iam-password-policy)");
    // What each check evaluates and which collector's snapshots it reads, from the check registry.
    expect(text.stdout).toContain("evaluates Cognito user pools; snapshots from cognito_user_pools");
    expect(text.stdout).toMatch(/soc2-2017:CC6\.1\s+Logical access security is implemented/);

    const json = await runCliInProcess(["controls", "show", "nist-800-53-r5:IA-2(1)", "--json"]);
    expect(json.code).toBe(0);
    const shown = JSON.parse(json.stdout);
    expect(shown.control).toBe("nist-800-53-r5:IA-2(1)");
    expect(shown.requirement.kind).toBe("automated");
    expect(shown.path).toEqual([
      { id: "IA", title: "Identification and authentication" },
      { id: "IA-2", title: "Identification and authentication of organisational users" },
    ]);
    expect(shown.checks[0]).toMatchObject({ title: expect.any(String), resource: expect.any(String) });
    expect(shown.checks).toContainEqual(
      expect.objectContaining({
        id: "config_managed_rule_compliant",
        params: { rule: "root-account-mfa-enabled" },
      }),
    );
    expect(shown.crosswalk).toContainEqual({
      control: "pci-dss-4.0.1:8.4.1",
      title: "Administrators use MFA for non-console access",
    });
  });

  it("show gives a manual requirement's rationale, the evidence to attach and how", async () => {
    const r = await runCliInProcess(["controls", "show", "pci-dss-4.0.1:11.3.2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[MANUAL]");
    expect(r.stdout).toContain("Manual (no automated check):");
    expect(r.stdout).toContain("Evidence to attach: The quarterly ASV scan report");
    expect(r.stdout).toContain("auditpack attach --control pci-dss-4.0.1:11.3.2 --file <file>");
  });

  it("an unknown control or framework exits 2 with the closest suggestion", async () => {
    const control = await runCliInProcess(["controls", "show", "pci-dss-4.0.1:8.4.9"]);
    expect(control.code).toBe(2);
    expect(control.stderr).toContain('error: pci-dss-4.0.1 has no requirement "8.4.9"');
    expect(control.stderr).toContain("did you mean 8.3.9, 8.4.1 or 8.4.2?");

    const framework = await runCliInProcess(["controls", "list", "--framework", "hipaa"]);
    expect(framework.code).toBe(2);
    expect(framework.stderr).toContain('unknown framework "hipaa"');
    expect(framework.stderr).toContain("did you mean hipaa-security?");

    const lonely = await runCliInProcess(["controls", "list", "--requirements", "8"]);
    expect(lonely.code).toBe(2);
    expect(lonely.stderr).toContain("--requirements needs --framework");
  });

  it("--help shows examples", async () => {
    const r = await runCliInProcess(["controls", "show", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("auditpack controls show pci-dss-4.0.1:8.4.2");
  });

  it("show resolves the retired pci-dss-4.0 id to 4.0.1 with a notice on stderr, stdout staying JSON", async () => {
    const r = await runCliInProcess(["controls", "show", "pci-dss-4.0:8.3.6", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("PCI DSS v4.0 was retired on 2024-12-31");
    const shown = JSON.parse(r.stdout) as { control: string; requirement: { testingProcedures: string[] } };
    expect(shown.control).toBe("pci-dss-4.0.1:8.3.6");
    expect(shown.requirement.testingProcedures).toContain("8.3.6.a");
  });
});
