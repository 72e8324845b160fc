#!/usr/bin/env node
// Build the Lambda package for templates/deploy/central.yaml: what `npm pack` publishes (dist/,
// controls/, templates/, package.json...) plus its production dependencies, zipped with dist/ at the
// root (the functions' handlers are dist/lambda.<name>). Optionally upload it to the code bucket,
// which must be in the stack's region.
//   npm run lambda:zip                                         -> ./auditpack-lambda.zip
//   npm run lambda:zip -- --out build/fn.zip --upload s3://my-artifacts-eu-west-1/auditpack-lambda.zip
import { execFileSync } from "node:child_process";
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import yazl from "yazl";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = path.resolve(option("--out") ?? "auditpack-lambda.zip");
const upload = option("--upload");
if (upload !== undefined && !/^s3:\/\/[^/]+\/.+/.test(upload)) {
  console.error(`error: --upload: "${upload}" is not s3://bucket/key`);
  process.exit(2);
}

const sh = (cmd, cmdArgs, cwd = root) =>
  execFileSync(cmd, cmdArgs, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
const work = mkdtempSync(path.join(tmpdir(), "auditpack-lambda-"));
try {
  if (process.env.SKIP_BUILD !== "1") sh("npm", ["run", "build", "--silent"]);
  const tarball = sh("npm", ["pack", "--pack-destination", work, "--ignore-scripts", "--silent"])
    .trim()
    .split("\n")
    .at(-1);
  sh("tar", ["-xzf", path.join(work, tarball), "-C", work]);
  const pkg = path.join(work, "package");
  // Real directories (not the linked layout): the zip must hold plain files.
  sh(
    "npm",
    [
      "install",
      "--omit=dev",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--no-package-lock",
      "--loglevel=error",
    ],
    pkg,
  );

  const zip = new yazl.ZipFile();
  let files = 0;
  const add = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) add(p);
      else {
        // Fixed times: the same sources give the same zip.
        zip.addFile(p, path.relative(pkg, p).split(path.sep).join("/"), {
          mtime: new Date("2000-01-01T00:00:00Z"),
          mode: st.mode,
        });
        files++;
      }
    }
  };
  add(pkg);
  mkdirSync(path.dirname(out), { recursive: true });
  await new Promise((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(out)).on("close", resolve).on("error", reject);
    zip.end();
  });
  chmodSync(out, 0o644);
  console.log(`wrote ${out} (${files} files, ${(statSync(out).size / 1024 / 1024).toFixed(1)} MiB)`);
  if (upload) {
    execFileSync("aws", ["s3", "cp", out, upload], { stdio: "inherit" });
    console.log(
      `uploaded to ${upload}: deploy with CodeBucket=${upload.slice(5).split("/")[0]} CodeKey=${upload.split("/").slice(3).join("/")}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
