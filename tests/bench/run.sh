#!/bin/sh
# tests/bench/run.sh - `make bench`: the C benchmarks, then any benchmark script
# in tests/bench/*.sh.  Prints throughput; never fails on speed.
set -u
./build/rel/bench "$@" || exit 1
for b in tests/bench/*.sh; do
  [ -f "$b" ] || continue
  [ "$b" = tests/bench/run.sh ] && continue  # this script: no recursion
  echo "$(basename "$b" .sh)"
  BONRUN="$(pwd)/bonrun" sh "$b" || exit 1
done
