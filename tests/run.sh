#!/bin/sh
# tests/run.sh - the whole suite, as `make test` runs it: the unit tests and
# every end-to-end script in tests/e2e/, all on the ASan+UBSan build.  A
# script that exits 77 cannot run on this machine (say, no root for a
# Slurm cluster): it is counted as skipped, never as passed, with its last
# line as the reason.  Ends with one line "total: N passed, N failed, N
# skipped" and exits non-zero on failure.
set -u
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export BONRUN="$(pwd)/build/asan/bonrun"
export BONRUN_REL="$(pwd)/bonrun"
export ROOT="$(pwd)"
passed=0
failed=0
skipped=0
failures=""

log=build/unit.log
./build/asan/unit "$@" >"$log" 2>&1
rc=$?
grep -v '^ok ' "$log"
line=$(grep '^unit: ' "$log" | tail -1)
p=$(echo "$line" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$line" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
  echo "FAIL unit test binary crashed (exit $rc); see $log"
  p=0; f=1
elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
  echo "FAIL unit test binary exited $rc"; f=1
fi
passed=$((passed + p))
failed=$((failed + f))

if [ $# -eq 0 ]; then
  for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .sh)
    [ "$name" = lib ] && continue   # shared helpers, sourced by the others
    tmp="$ROOT/build/e2e/$name"
    rm -rf "$tmp" && mkdir -p "$tmp"
    rc=0
    TMP="$tmp" timeout 600 sh "$t" >"$tmp.log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
      echo "ok   e2e/$name"
      passed=$((passed + 1))
    elif [ "$rc" -eq 77 ]; then
      echo "SKIP e2e/$name: $(tail -1 "$tmp.log")"
      skipped=$((skipped + 1))
    else
      echo "FAIL e2e/$name (log: build/e2e/$name.log)"
      tail -20 "$tmp.log" | sed 's/^/    /'
      failed=$((failed + 1))
    fi
  done
fi
echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
