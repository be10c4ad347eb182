#!/bin/sh
# tests/fuzz/run.sh SECONDS BIN... - run each libFuzzer target
# build/fuzz/fuzz_NAME for SECONDS, starting from its seeds: the committed
# tests/fuzz/seeds/NAME/ and, when tests/fuzz/NAME_seeds.sh exists, what
# that script generates.  Seeds are copied, so the tree stays clean.
# Fails on the first crash, leak or timeout, printing the fuzzer's report.
set -u
secs=$1; shift
status=0
for bin in "$@"; do
  name=$(basename "$bin")
  short=${name#fuzz_}
  work=build/fuzz/corpus-$name
  log=build/fuzz/$name.log
  mkdir -p "$work"
  [ -d "tests/fuzz/seeds/$short" ] && cp -r "tests/fuzz/seeds/$short/." "$work/"
  [ -f "tests/fuzz/${short}_seeds.sh" ] && sh "tests/fuzz/${short}_seeds.sh" "$work"
  echo "fuzzing $name for ${secs}s"
  if "$bin" -max_total_time="$secs" -timeout=2 -rss_limit_mb=2048 \
      -max_len=4096 -artifact_prefix=build/fuzz/ "$work" > "$log" 2>&1; then
    grep -E '^Done [0-9]+ runs' "$log"
  else
    echo "FAIL $name: see $log; the input that failed is in build/fuzz/"
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -20
    status=1
  fi
done
exit $status
