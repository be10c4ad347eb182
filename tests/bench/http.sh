#!/bin/sh
# tests/bench/http.sh - a whole `bonrun run` through HTTP against a separate
# `bonrun serve` process on 127.0.0.1 (no delay, 256 in flight): samples
# per second end to end (runner, store and client) and the client's peak
# RSS.  PROBLEMS x SAMPLES completions (default 2000 x 64 = 128k); set
# BENCH_HTTP_PROBLEMS=15625 for a million.
set -eu
BONRUN=${BONRUN:-./bonrun}
problems=${BENCH_HTTP_PROBLEMS:-2000}
samples=${BENCH_HTTP_SAMPLES:-64}
tmp=$(mktemp -d)
. "$(pwd)/tests/e2e/lib.sh"
trap 'stop_servers; rm -rf "$tmp"' EXIT
start_server "$tmp/pf" --threads 2
cat > "$tmp/bench.json" <<JSON
{"name": "bench-http", "output": "$tmp/out",
 "dataset": {"source": "sim", "problems": $problems},
 "policy": {"backend": "openai", "samples": $samples, "model": "sim",
            "url": "http://127.0.0.1:$port", "in_flight": 256},
 "proxies": [{"name": "careful", "backend": "vllm-classify",
              "model": "careful", "url": "http://127.0.0.1:$port",
              "batch": 16, "in_flight": 64}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 0}, "plots": {"enabled": false}}
JSON
n=$((problems * samples))
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f '%M' -o "$tmp/rss" "$BONRUN" run -q "$tmp/bench.json" \
    2> "$tmp/run.err" || { cat "$tmp/run.err"; exit 1; }
else
  "$BONRUN" run -q "$tmp/bench.json" 2> "$tmp/run.err" ||
    { cat "$tmp/run.err"; exit 1; }
  echo "?" > "$tmp/rss"
fi
end=$(date +%s.%N)
test "$(wc -l < "$tmp/out/samples.jsonl")" -eq "$n"
awk -v n="$n" -v s="$start" -v e="$end" -v rss="$(cat "$tmp/rss")" 'BEGIN {
  t = e - s
  printf "  bonrun run through HTTP: %d completions + %d scores in %.2f s = %.0f completions/s end to end; client peak RSS %s KiB\n", n, n, t, n / t, rss
}'
