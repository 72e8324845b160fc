#!/usr/bin/env bash
# Behaviour unchanged: run `auditpack demo` and compare its findings.json, report.xlsx sheets and
# report.pdf text (pdftotext, poppler) with the hashes in bench/demo-hashes.txt. What a fresh demo key
# and PDF certificate change is masked in all three (every demo run generates both): the signing-key
# fingerprint, findings.json's trusted key ids, the certificate's SHA-256 fingerprint, serial number,
# validity and signing time. Needs `npm run build` first.
# Update the hashes (after a deliberate change of the demo's verdicts) with: bench/demo-identical.sh --update
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
node "$root/dist/cli/main.js" demo --out "$out" >/dev/null
pkg="$out/reports/pci-dss-4.0.1_2026-Q3"
today="$(date -u +%F)"
fingerprint='([0-9A-F]{2}:){7,}[0-9A-F]{2}:?'
mask_text() {
  sed -E -e 's/^(Signing key fingerprint[^:]*:).*/\1 (masked)/' -e "s/$fingerprint/(masked)/g" \
    -e 's/^[0-9A-F]{32}$/(serial masked)/' -e "s/^$today [0-9:]{8}( to [0-9-]{10} [0-9:]{8})? UTC$/(time masked)/"
}
{
  echo "findings.json $(node -e '
    const f = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (f.ledger) f.ledger.trustedKeys = ["(masked)"];
    if (f.attestation?.signingCertificate) f.attestation.signingCertificate = "(masked)";
    process.stdout.write(JSON.stringify(f));' "$pkg/findings.json" | sha256sum | cut -c1-64)"
  echo "report.xlsx-sheets $(unzip -p "$pkg/report.xlsx" 'xl/worksheets/*.xml' | sed -E "s/$fingerprint/(masked)/g" | sha256sum | cut -c1-64)"
  echo "report.pdf-text $(pdftotext "$pkg/report.pdf" - | mask_text | sha256sum | cut -c1-64)"
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
