# A run through HTTP killed with SIGKILL midway and restarted ends with the
# same records as an uninterrupted run, with no duplicate or partial line.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
start_server pf --delay-ms 3
mk() { # NAME
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 9, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 30},
 "policy": {"backend": "openai", "samples": 8, "model": "sim",
            "url": "http://127.0.0.1:$port", "in_flight": 4},
 "proxies": [{"name": "careful", "backend": "vllm-classify",
              "model": "careful", "url": "http://127.0.0.1:$port",
              "batch": 1, "in_flight": 4}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}
mk ref; mk killed
"$BONRUN" run -q ref.json
# start, wait until some samples are on disk, kill -9
"$BONRUN" run -q killed.json 2> killed1.err &
run=$!
i=0
while [ "$(cat out/killed/samples.jsonl 2>/dev/null | wc -l)" -lt 40 ]; do
  i=$((i + 1)); [ $i -lt 400 ] || { echo "run made no progress"; exit 1; }
  sleep 0.02
done
kill -KILL "$run"
wait "$run" 2>/dev/null || true
n1=$(wc -l < out/killed/samples.jsonl)
test "$n1" -lt 240 || { echo "run finished before the kill"; exit 1; }
"$BONRUN" run -q killed.json
norm() { sort "$1"; }
for f in samples.jsonl scores.jsonl; do
  # every line complete; the same lines as the uninterrupted run (so no
  # duplicate and no partial record), keys included
  norm out/ref/$f > a; norm out/killed/$f > b
  cmp a b || { echo "$f differs after resume"; diff a b | head; exit 1; }
done
test "$(wc -l < out/killed/samples.jsonl)" -eq 240
test "$(cut -c1-26 out/killed/samples.jsonl | sort -u | wc -l)" -eq 240
if grep -q '"error"' out/killed/samples.jsonl; then echo 'error records found'; exit 1; fi
