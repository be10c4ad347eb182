#!/bin/sh
# tests/fuzz/serverbody_seeds.sh DIR - seeds of the serverbody target: every
# body of net/testdata behind selector bytes that read it as each kind.
# Run from the repository root; tests/fuzz/run.sh calls it.
set -eu
dir=$1
mkdir -p "$dir"
i=0
for f in net/testdata/*.json; do
  # selector bytes in octal (POSIX printf has no \x)
  for sel in 000 001 002 004 010 040 203; do
    { printf "\\$sel"; cat "$f"; } > "$dir/seed-$i-$sel"
  done
  i=$((i + 1))
done
