import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVICE_NAMES } from "../../src/aws/services.js";
import { declarationFiles } from "../../src/catalog/registry-files.js";
import { checks } from "../../src/checks/registry.js";
import { collectors } from "../../src/collectors/registry.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { RESOURCE_NOUNS } from "../../src/state/types.js";

/**
 * Issue 12: a collector id, a service name or a check id is written in one place, its declaration.
 * Everything else derives from the registries. Generated files (*.generated.ts) are exempt, and so
 * are the few places below, each with its reason.
 */
const ALLOWED: Array<{ file: string; name: string; why: string }> = [
  {
    file: "src/evaluate/scope.ts",
    name: "config",
    why: "a scope source (the config file), not the AWS Config service",
  },
  {
    file: "src/checks/cognito/cognito_user_pool_mfa_factor_strength.ts",
    name: "cognito_user_pool_mfa_required",
    why: "a finding's reason points the reader to the sibling check (findings text is pinned)",
  },
  {
    file: "src/checks/security-log-groups.ts",
    name: "cloudtrail_trail_cloudwatch_logs_delivery",
    why: "a finding's reason points the reader to the sibling check (findings text is pinned)",
  },
  {
    file: "src/catalog/schema.ts",
    name: "cognito_user_pool_mfa_required",
    why: "an example in a validation message",
  },
  {
    file: "src/catalog/types.ts",
    name: "cognito_user_pool_mfa_required",
    why: "an example in a doc comment",
  },
  {
    file: "src/cli/schedule.ts",
    name: "cloudtrail_activity",
    why: "--help text (documentation); src/cli is owned by another helper this wave",
  },
];

/** `auditpack ... --collectors a,b` examples in --help are documentation. */
const HELP_EXAMPLE = /^\s*"auditpack [a-z-]+ .*"[,)]?\s*$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".generated.ts") ? [full] : [];
  });
}

const files = sources(path.join(PACKAGE_ROOT, "src")).map((full) => ({
  file: path.relative(PACKAGE_ROOT, full).split(path.sep).join("/"),
  lines: readFileSync(full, "utf8").split("\n"),
}));

/** Where `pattern` occurs outside `home` (the declaration files) and the allowed places. */
function strays(name: string, pattern: RegExp, home: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const { file, lines } of files) {
    if (home(file) || ALLOWED.some((a) => a.file === file && a.name === name)) continue;
    lines.forEach((line, i) => {
      if (pattern.test(line) && !HELP_EXAMPLE.test(line)) out.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

const collectorFiles = new Map(
  declarationFiles("src/collectors").map((f) => [path.basename(f, ".ts"), `src/collectors/${f}`]),
);
const checkFiles = new Map(
  declarationFiles("src/checks").map((f) => [path.basename(f, ".ts"), `src/checks/${f}`]),
);
const isCollectorDeclaration = (file: string) =>
  /^src\/collectors\/[^/]+\/[^/]+\.ts$/.test(file) && !file.endsWith(".state.ts");

describe("one home per collector, service and check", () => {
  it("the registries hold exactly what the folders declare", () => {
    expect(collectors.map((c) => c.id).sort()).toEqual([...collectorFiles.keys()].sort());
    expect(checks.map((c) => c.id).sort()).toEqual([...checkFiles.keys()].sort());
    for (const c of checks) expect(checkFiles.get(c.id)).toBe(`src/checks/${c.service}/${c.id}.ts`);
  });

  for (const c of collectors) {
    it(`collector ${c.id} is named only in its own files`, () => {
      const own = collectorFiles.get(c.id)!;
      const home = (file: string) => file === own || file === own.replace(/\.ts$/, ".state.ts");
      // An id that is also a resource type name (cloudtrail_trails) may appear where resource types do.
      const alsoType = Object.hasOwn(RESOURCE_NOUNS, c.id);
      const typeUser = (file: string) =>
        alsoType &&
        (file.startsWith("src/state/") || file.startsWith("src/checks/") || isCollectorDeclaration(file));
      expect(strays(c.id, new RegExp(`\\b${c.id}\\b`), (f) => home(f) || typeUser(f))).toEqual([]);
    });
  }

  for (const service of SERVICE_NAMES) {
    it(`service ${service} is named only in aws/services.ts and the declarations that use it`, () => {
      // As a string literal or an IAM action prefix: "logs" or "logs:Describe...". Check files name
      // their folder, which may read like a service.
      const literal = new RegExp(`["'\`]${service}["'\`:]`);
      const home = (file: string) =>
        file === "src/aws/services.ts" ||
        isCollectorDeclaration(file) ||
        checkFiles.has(path.basename(file, ".ts"));
      expect(strays(service, literal, home)).toEqual([]);
    });
  }

  for (const c of checks) {
    it(`check ${c.id} is named only in its own file`, () => {
      const own = checkFiles.get(c.id)!;
      expect(strays(c.id, new RegExp(`\\b${c.id}\\b`), (f) => f === own)).toEqual([]);
    });
  }

  it("every allowance is still needed (remove it when its reason goes away)", () => {
    for (const a of ALLOWED) {
      const file = files.find((f) => f.file === a.file);
      expect(file, a.file).toBeDefined();
      expect(
        file!.lines.some((l) => l.includes(a.name)),
        `${a.file} no longer names ${a.name}`,
      ).toBe(true);
    }
  });

  it("finds a stray name (the scan is not vacuous)", () => {
    const id = collectors[0]!.id;
    const probe = [{ file: "src/probe.ts", lines: [`if (record.collector === "${id}") {`] }];
    files.push(...probe);
    try {
      expect(strays(id, new RegExp(`\\b${id}\\b`), () => false)).toContain(
        `src/probe.ts:1: if (record.collector === "${id}") {`,
      );
    } finally {
      files.splice(files.length - probe.length, probe.length);
    }
  });
});
