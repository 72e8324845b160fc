#!/usr/bin/env node
// Every package that code imports must be declared: src/ in "dependencies" (a strict install, e.g.
// `npm install --install-strategy=linked` or pnpm, gives a package only what it declares), test/,
// bench/ and scripts/ in "dependencies" or "devDependencies". Declared dependencies nothing imports
// are reported too. Exit 1 naming each problem. Usage: node scripts/check-imports.mjs [project-dir]
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The project to check: the argument, or this repository.
const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));
const ts = createRequire(import.meta.url)("typescript");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const deps = new Set(Object.keys(pkg.dependencies ?? {}));
const devDeps = new Set(Object.keys(pkg.devDependencies ?? {}));
const builtins = new Set(builtinModules);

/** Packages a dependency is needed for without being imported (types only, CLIs run by scripts). */
const USED_WITHOUT_IMPORT = new Set(["@types/node", "@biomejs/biome", "typescript", "tsx", "vitest"]);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (/\.(ts|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield p;
  }
}

/** Module specifiers of static imports, re-exports and dynamic imports (TypeScript's own scanner). */
function specifiers(source) {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** "@scope/name/sub" -> "@scope/name"; "name/sub" -> "name"; relative paths and builtins -> undefined. */
function packageOf(specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:"))
    return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return builtins.has(name) ? undefined : name;
}

const problems = [];
const used = new Set();
const areas = [
  { dir: "src", allowed: deps, where: "dependencies" },
  { dir: "test", allowed: new Set([...deps, ...devDeps]), where: "dependencies or devDependencies" },
  { dir: "bench", allowed: new Set([...deps, ...devDeps]), where: "dependencies or devDependencies" },
  { dir: "scripts", allowed: new Set([...deps, ...devDeps]), where: "dependencies or devDependencies" },
  {
    dir: "evidence-fixtures/_generator",
    allowed: new Set([...deps, ...devDeps]),
    where: "dependencies or devDependencies",
  },
];
for (const area of areas) {
  let list;
  try {
    list = [...files(path.join(root, area.dir))];
  } catch {
    continue;
  }
  for (const file of list) {
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      const name = packageOf(spec);
      if (!name || name === pkg.name) continue;
      used.add(name);
      if (!area.allowed.has(name)) {
        problems.push(
          `${path.relative(root, file)} imports "${spec}" but ${name} is not in package.json ${area.where}`,
        );
      }
    }
  }
}
for (const name of deps) {
  if (!used.has(name) && !name.startsWith("@types/"))
    problems.push(`dependency ${name} is declared but imported nowhere`);
}
for (const name of devDeps) {
  if (!used.has(name) && !USED_WITHOUT_IMPORT.has(name) && !name.startsWith("@types/")) {
    problems.push(`devDependency ${name} is declared but imported nowhere`);
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(`error: ${p}`);
  process.exit(1);
}
console.log(`imports ok: ${used.size} packages, all declared`);
