#!/bin/sh
# tests/bench/run.sh - `make bench`: the C benchmarks, then any benchmark script
# in tests/bench/*.sh.  Prints throughput; never fails on speed.
set -u
./build/rel/bench "$@" || exit 1
for b in tests/bench/*.sh; do
  [ -f "$b" ] || continue
  echo "$(basename "$b" .sh)"
  BONRUN="$(pwd)/bonrun" sh "$b" || exit 1
done
