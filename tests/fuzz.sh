#!/bin/sh
# tests/fuzz.sh SECONDS BIN... - run each libFuzzer target for SECONDS with
# its seed corpus tests/fuzz/<name>/ (copied, so the tree stays clean).
set -u
secs=$1; shift
for bin in "$@"; do
  name=$(basename "$bin")
  work=build/fuzz/corpus-$name
  mkdir -p "$work"
  [ -d "tests/fuzz/$name" ] && cp -r "tests/fuzz/$name/." "$work/"
  echo "fuzzing $name for ${secs}s"
  "$bin" -max_total_time="$secs" -timeout=2 -rss_limit_mb=2048 \
    -max_len=4096 "$work" 2>&1 | tail -5 || exit 1
done
