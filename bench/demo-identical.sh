#!/usr/bin/env bash
# Behaviour unchanged: run `auditpack demo` and compare its findings.json, report.xlsx sheets and
# report.pdf text (pdftotext, poppler) with the hashes in bench/demo-hashes.txt. The PDF's signing-key
# fingerprint line is masked: every demo run generates a fresh key. Needs `npm run build` first.
# Update the hashes (after a deliberate change of the demo's verdicts) with: bench/demo-identical.sh --update
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
node "$root/dist/cli/main.js" demo --out "$out" >/dev/null
pkg="$out/reports/pci-dss-4.0.1_2026-Q3"
{
  echo "findings.json $(sha256sum <"$pkg/findings.json" | cut -c1-64)"
  echo "report.xlsx-sheets $(unzip -p "$pkg/report.xlsx" 'xl/worksheets/*.xml' | sha256sum | cut -c1-64)"
  echo "report.pdf-text $(pdftotext "$pkg/report.pdf" - | sed -E 's/^(Signing key fingerprint[^:]*:).*/\1 (masked)/' | sha256sum | cut -c1-64)"
} >"$out/hashes.txt"
if [[ "${1:-}" == "--update" ]]; then
  cp "$out/hashes.txt" "$here/demo-hashes.txt"
  cat "$here/demo-hashes.txt"
  exit 0
fi
if diff -u "$here/demo-hashes.txt" "$out/hashes.txt"; then
  echo "demo output identical to bench/demo-hashes.txt"
else
  echo "demo output differs from bench/demo-hashes.txt (see the diff above)" >&2
  exit 1
fi
