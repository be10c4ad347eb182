#!/bin/sh
# tests/bench/serve.sh - `bonrun serve --threads 1` under 512 keep-alive
# connections of bonrun's client (tests/e2e/serve_conns.sh is the
# correctness test): completions per second, and that every one came.
set -eu
BONRUN=${BONRUN:-./bonrun}
tmp=$(mktemp -d)
. "$(pwd)/tests/e2e/lib.sh"
trap 'stop_servers; rm -rf "$tmp"' EXIT
start_server "$tmp/pf" --threads 1
cat > "$tmp/c.json" <<JSON
{"name": "serve512", "output": "$tmp/out",
 "dataset": {"source": "sim", "problems": 200},
 "policy": {"backend": "openai", "samples": 128, "model": "sim",
            "url": "http://127.0.0.1:$port", "in_flight": 512,
            "max_tokens": 64, "timeout_s": 30, "retries": 0},
 "proxies": [{"name": "careful"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 0}, "plots": {"enabled": false}}
JSON
start=$(date +%s.%N)
"$BONRUN" run -q "$tmp/c.json" 2> "$tmp/err" || { cat "$tmp/err"; exit 1; }
end=$(date +%s.%N)
n=$(grep -vc '"error"' "$tmp/out/samples.jsonl" || true)
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {
  printf "  serve, 1 thread, 512 connections: %d of 25600 completions answered, %.0f completions/s end to end\n", n, n / (e - s)
}'
