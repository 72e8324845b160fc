import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

/** Folders a lower layer must not import from (docs/ARCHITECTURE.md, "What each folder owns"). */
const FORBIDDEN: Record<string, string[]> = {
  aws: ["collectors", "state", "checks", "catalog", "evaluate", "report", "schedule", "cli"],
  state: ["collectors", "checks", "catalog", "evaluate", "report", "schedule", "cli"],
  checks: ["collectors", "catalog", "evaluate", "report", "schedule", "cli"],
  collectors: ["checks", "catalog", "evaluate", "report", "schedule", "cli"],
  evidence: ["collectors", "state", "checks", "catalog", "evaluate", "report", "schedule", "cli"],
};

/** Imports that still point up, each with why it has not moved yet. */
const PENDING = new Map([
  [
    "src/state/history.ts -> evaluate/types.js",
    "owned by another helper this wave: import EvidenceRef from evidence/ref.js",
  ],
  [
    "src/state/activity.ts -> evaluate/types.js",
    "owned by another helper this wave: import EvidenceRef from evidence/ref.js",
  ],
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

describe("imports point down", () => {
  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`src/${folder} imports none of ${forbidden.join(", ")}`, () => {
      const root = path.join(PACKAGE_ROOT, "src");
      const found: string[] = [];
      for (const file of sources(path.join(root, folder))) {
        const rel = path.relative(PACKAGE_ROOT, file).split(path.sep).join("/");
        for (const m of readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
          const target = path.relative(root, path.resolve(path.dirname(file), m[1]!)).split(path.sep);
          if (!forbidden.includes(target[0]!)) continue;
          const edge = `${rel} -> ${target.join("/")}`;
          if (!PENDING.has(edge)) found.push(edge);
        }
      }
      expect(found).toEqual([]);
    });
  }

  it("every pending exception still exists (remove it once the import moved)", () => {
    for (const edge of PENDING.keys()) {
      const [file, target] = edge.split(" -> ") as [string, string];
      expect(readFileSync(path.join(PACKAGE_ROOT, file), "utf8"), edge).toContain(`../${target}`);
    }
  });
});
