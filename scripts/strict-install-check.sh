#!/usr/bin/env bash
# Install auditpack as a user would, from the packed tarball, in an empty folder, with npm's linked
# (strict, pnpm-style) layout: a package sees only what it declares, so an undeclared import fails
# here with ERR_MODULE_NOT_FOUND. Then run --help, the demo and verify-report from that install, and
# load both library entry points ("auditpack" and "auditpack/lambda").
# Usage: scripts/strict-install-check.sh   (SKIP_BUILD=1 to pack the dist/ already built)
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || npm run build --silent
node scripts/check-pack.mjs
npm pack --pack-destination "$WORK" --ignore-scripts --silent >/dev/null
TARBALL=$(ls "$WORK"/auditpack-*.tgz)
echo "packed $(basename "$TARBALL")"

mkdir "$WORK/app"
cd "$WORK/app"
printf '{ "name": "strict-install-check", "version": "1.0.0", "private": true, "type": "module" }\n' >package.json
npm install --install-strategy=linked --prefer-offline --no-audit --no-fund --loglevel=error "$TARBALL"

run() { printf '$ %s\n' "$*"; "$@"; }
run npx --no-install auditpack --help >/dev/null
run npx --no-install auditpack --version
run npx --no-install auditpack demo --out ./demo >demo.log || { cat demo.log; exit 1; }
run npx --no-install auditpack verify-report ./demo/reports/pci-dss-4.0.1_2026-Q3
run node -e '
  const lib = await import("auditpack");
  const lambda = await import("auditpack/lambda");
  for (const [name, f] of [["collect", lib.collect], ["resolveScope", lib.resolveScope], ["collectHandler", lambda.collectHandler]])
    if (typeof f !== "function") { console.error(`missing export ${name}`); process.exit(1); }
  console.log("library entry points load");
' --input-type=module
echo "strict install ok"
