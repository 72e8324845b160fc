import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

const SCRIPT = path.join(PACKAGE_ROOT, "scripts/check-imports.mjs");
const check = (dir?: string) =>
  spawnSync(process.execPath, [SCRIPT, ...(dir ? [dir] : [])], { encoding: "utf8" });

function project(pkg: object, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-imports-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("every imported package is declared in package.json", () => {
  it("holds for this repository", () => {
    const r = check();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("names an undeclared import, a dev-only package used by src/, and an unused dependency", () => {
    const dir = project(
      { name: "x", dependencies: { used: "1", unused: "1" }, devDependencies: { devonly: "1" } },
      {
        "src/a.ts": [
          'import { x } from "used/sub";',
          'import type { T } from "@scope/undeclared/deep";',
          '// import nope from "in-a-comment";',
          'const m = await import("devonly");',
          'import { readFileSync } from "node:fs";',
          'import path from "path";',
          'export { y } from "./local.js";',
        ].join("\n"),
        "test/a.test.ts": 'import { z } from "devonly";',
      },
    );
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'src/a.ts imports "@scope/undeclared/deep" but @scope/undeclared is not in package.json dependencies',
    );
    expect(r.stderr).toContain('src/a.ts imports "devonly" but devonly is not in package.json dependencies');
    expect(r.stderr).toContain("dependency unused is declared but imported nowhere");
    expect(r.stderr).not.toContain("in-a-comment");
    expect(r.stderr).not.toMatch(/"(node:fs|path|\.\/local\.js)"/);
    expect(r.stderr).not.toContain("test/a.test.ts");
  });
});
