#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt, and removes the unshipped lines of symbols that no longer exist (RS0017).
# Review the diff: each new line is a public promise.
# Usage: eng/update-public-api.sh src/Okr.Core
set -euo pipefail
project_dir=${1:?usage: eng/update-public-api.sh src/PROJECT}
file="$project_dir/PublicAPI.Unshipped.txt"
out=$(dotnet build "$project_dir" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 || true)
new=$(printf '%s\n' "$out" | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u || true)
gone=$(printf '%s\n' "$out" | grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" | sort -u || true)
if [ -z "$new" ] && [ -z "$gone" ]; then echo "No undeclared or removed public API in $project_dir."; exit 0; fi
if [ -n "$gone" ]; then
  grep -vxF -f <(printf '%s\n' "$gone") "$file" > "$file.kept" || true
  mv "$file.kept" "$file"
  echo "Removed $(printf '%s\n' "$gone" | wc -l) symbols from $file."
fi
[ -n "$new" ] || exit 0
{ cat "$file"; printf '%s\n' "$new"; } | grep -v '^#nullable enable$' | sed '/^$/d' | sort -u > "$file.tmp"
{ echo '#nullable enable'; cat "$file.tmp"; } > "$file"
rm "$file.tmp"
echo "Added $(printf '%s\n' "$new" | wc -l) symbols to $file."
