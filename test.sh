#!/usr/bin/env bash
# Runs every test of the solution and prints one line: "N passed, N failed" (", N skipped" when any).
# Exits non-zero when anything fails, when a test assembly does not report, or when the build fails.
#
# What it starts: when the PostgreSQL provider's tests exist, a throwaway PostgreSQL cluster on
# 127.0.0.1 from the machine's binaries (installed with apt-get when missing and run as root),
# handed to the tests in OKR_TEST_POSTGRES and stopped at the end, on failure too.
# Also runs the samples, each counted as one test.
set -uo pipefail
cd "$(dirname "$0")"

log_dir=$(mktemp -d "${TMPDIR:-/tmp}/okr-test.XXXXXX")
pg_data=""
cleanup() {
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    pg_as "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "$pg_data" ] && rm -rf "$pg_data"
  rm -rf "$log_dir"
}
trap cleanup EXIT

pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$pg_bin" ] && [ "$(id -u)" = 0 ]; then
    echo "Installing PostgreSQL (apt-get install postgresql)..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >"$log_dir/apt.log" 2>&1 \
      || { cat "$log_dir/apt.log" >&2; echo "Could not install PostgreSQL." >&2; exit 1; }
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  [ -n "$pg_bin" ] || { echo "PostgreSQL binaries not found and cannot be installed (not root)." >&2; exit 1; }
  pg_data=$(mktemp -d "${TMPDIR:-/tmp}/okr-pg.XXXXXX")
  [ "$(id -u)" = 0 ] && chown postgres "$pg_data"
  pg_as "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust >"$log_dir/initdb.log" 2>&1 \
    || { cat "$log_dir/initdb.log" >&2; exit 1; }
  local port started=""
  for attempt in 1 2 3 4 5; do   # a random port may be taken: try another
    port=$(( 20000 + RANDOM % 20000 ))
    if pg_as "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_data -c max_connections=200 -c fsync=off" start >/dev/null 2>&1; then
      started=1; break
    fi
  done
  [ -n "$started" ] || { cat "$pg_data/server.log" >&2; echo "PostgreSQL did not start." >&2; exit 1; }
  export OKR_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

if [ -d tests/Okr.Storage.PostgreSql.Tests ]; then
  start_postgres
fi

passed=0; failed=0; skipped=0; broken=0

dotnet build Okr.Core.sln -c Release --nologo -v q >"$log_dir/build.log" 2>&1
if [ $? -ne 0 ]; then
  grep -E 'error' "$log_dir/build.log" | sort -u | head -20 >&2
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Okr.Core.sln -c Release --no-build --nologo 2>&1 | tee "$log_dir/test.log" >&2
test_rc=${PIPESTATUS[0]}

while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -nE 's/.*(Passed|Failed)! +- +Failed: +([0-9]+), +Passed: +([0-9]+), +Skipped: +([0-9]+).*/\2 \3 \4/p' "$log_dir/test.log")

# Every project under tests/ that references the test SDK must report (the AOT smoke and helpers do not).
assemblies=$(grep -l 'Microsoft.NET.Test.Sdk' tests/*/*.csproj | wc -l)
reported=$(grep -cE '(Passed|Failed)! +- +Failed:' "$log_dir/test.log" || true)
if [ "$reported" -ne "$assemblies" ]; then
  # Counted as a failure so the summary line never reads clean on a red run.
  echo "$reported of $assemblies test assemblies reported results." >&2
  failed=$((failed + 1))
fi
if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited $test_rc without reporting a failed test." >&2
  failed=1
fi

# Samples: each must run to exit 0 (they write into a scratch folder), leave behind every file its
# expected-files lists (one name per line), non-empty, and print every line its expected-output lists
# (the figures a walkthrough page quotes from the run).
outputs_present() {
  local list="$1/expected-files" lines="$1/expected-output" work="$2" f
  if [ -f "$list" ]; then
    while IFS= read -r f; do
      [ -z "$f" ] && continue
      [ -s "$work/$f" ] || { echo "missing or empty output: $f" >>"$work/out.log"; return 1; }
    done <"$list"
  fi
  if [ -f "$lines" ]; then
    while IFS= read -r f; do
      [ -z "$f" ] && continue
      grep -qxF -- "$f" "$work/out.log" || { echo "missing line of output: $f" >>"$work/out.log"; return 1; }
    done <"$lines"
  fi
}

for sample in samples/*/; do
  name=$(basename "$sample")
  work=$(mktemp -d "$log_dir/$name.XXXX")
  # A sample that serves (a web API) reads its arguments from run-args, for a run that ends by itself.
  run_args=(); [ -f "$sample/run-args" ] && read -r -a run_args <"$sample/run-args" || true
  if (cd "$work" && dotnet run --project "$OLDPWD/$sample" -c Release --no-build -- "${run_args[@]}" >"$work/out.log" 2>&1) \
    && outputs_present "$sample" "$work"; then
    passed=$((passed + 1)); echo "Sample $name: passed" >&2
  else
    failed=$((failed + 1)); echo "Sample $name: FAILED" >&2; tail -20 "$work/out.log" >&2
  fi
done

# Native AOT: publish a smoke program over the libraries (trim and AOT warnings are errors) and run it.
# The native toolchain needs clang; install it like PostgreSQL when it is missing and we may.
if ! command -v clang >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get install -y -q clang >"$log_dir/clang.log" 2>&1 || { apt-get update -q && apt-get install -y -q clang; } >>"$log_dir/clang.log" 2>&1) || true
fi
aot="$log_dir/aot"
if dotnet publish tests/Okr.AotSmoke -c Release -r linux-x64 -o "$aot" >"$log_dir/aot.log" 2>&1 \
  && "$aot/Okr.AotSmoke" >>"$log_dir/aot.log" 2>&1 && grep -q "^aot ok" "$log_dir/aot.log"; then
  passed=$((passed + 1)); echo "Native AOT smoke: passed ($(grep '^aot ok' "$log_dir/aot.log"))" >&2
else
  failed=$((failed + 1)); echo "Native AOT smoke: FAILED" >&2; grep -E "error|warning|IL[0-9]{4}" "$log_dir/aot.log" | tail -20 >&2; tail -5 "$log_dir/aot.log" >&2
fi

line="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then
  line="$line, $skipped skipped"
  # Here every test must run: a skip means a service (PostgreSQL) was not there.
  echo "$skipped tests were skipped; ./test.sh treats that as a failure." >&2
  broken=1
fi
echo "$line"
[ "$failed" -eq 0 ] && [ "$broken" -eq 0 ]
