#!/usr/bin/env node
// What `npm pack` would publish, checked against an allow-list: the built JavaScript and its type
// declarations, the catalogs, templates, schemas and fixture scenarios, README and LICENSE. No
// source maps (their sources are not shipped), no TypeScript sources, no fixture generator (it cannot
// run from the package), nothing else. Files that must be there are checked too. Run after a build.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^dist\/.+\.(js|d\.ts)$/,
  /^controls\/.+\.(ya?ml|json|md)$/,
  /^templates\/.+$/,
  /^schemas\/.+\.json$/,
  /^schemas\/oscal\/README\.md$/, // where the NIST schemas come from
  /^evidence-fixtures\/(?!_generator\/).+\.(json|md|ya?ml|jsonl)$/,
];
const FORBIDDEN = [
  { re: /\.map$/, why: "a source map whose sources are not shipped" },
  {
    re: /^evidence-fixtures\/_generator\//,
    why: "the fixture generator's sources (cannot run from the package)",
  },
  { re: /(^|\/)[^/]+(?<!\.d)\.ts$/, why: "a TypeScript source" },
];
const REQUIRED = [
  "LICENSE",
  "README.md",
  "dist/cli/main.js",
  "dist/index.js",
  "dist/index.d.ts",
  "dist/lambda.js",
  "dist/lambda.d.ts",
];

const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
  cwd: root,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
const [pack] = JSON.parse(out);
const files = pack.files.map((f) => f.path);
const problems = [];
for (const file of files) {
  const forbidden = FORBIDDEN.find((f) => f.re.test(file));
  if (forbidden) problems.push(`${file}: ${forbidden.why}`);
  else if (!ALLOWED.some((re) => re.test(file)))
    problems.push(`${file}: not in the allow-list (scripts/check-pack.mjs)`);
}
for (const file of REQUIRED) if (!files.includes(file)) problems.push(`${file}: missing from the package`);
if (problems.length > 0) {
  for (const p of problems) console.error(`error: ${p}`);
  process.exit(1);
}
console.log(
  `package ok: ${files.length} files, ${(pack.unpackedSize / 1024 / 1024).toFixed(1)} MiB unpacked`,
);
