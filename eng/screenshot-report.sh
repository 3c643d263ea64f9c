#!/usr/bin/env bash
# Renders the company report of the 1,500-objective test tenant (CompanyReportTests) and takes the screenshot in
# docs/images/company-report.png with headless Chromium (Debian's chromium package).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
OKR_REPORT_OUT="$out/company.html" dotnet test tests/Okr.Reporting.Tests --nologo -v q --filter "FullyQualifiedName~CompanyReportTests" >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$out/profile" --hide-scrollbars --window-size=1100,1300 \
  --screenshot="$PWD/docs/images/company-report.png" "file://$out/company.html" 2>/dev/null
echo "$(wc -c <"$out/company.html") bytes of HTML; docs/images/company-report.png written."
rm -rf "$out"
