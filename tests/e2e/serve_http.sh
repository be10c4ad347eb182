# A run through HTTP (openai policy + vllm-classify/pooling/judge RMs
# against `bonrun serve` on 127.0.0.1) gives exactly the samples and scores
# of the same run in process; so does a run against a server that injects
# 429/503/500, dropped connections and malformed bodies.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"

cat > sim.json <<'JSON'
{"name": "sim", "seed": 5, "output": "out/sim",
 "dataset": {"source": "sim", "problems": 10},
 "policy": {"backend": "sim", "samples": 6},
 "proxies": [{"name": "careful"}, {"name": "confident"}, {"name": "formatted"}],
 "benchmarks": {"one_to_many": {"problems": 6}, "one_to_one": {"pairs": 6}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
"$BONRUN" run -q sim.json

http_config() { # NAME PORT EXTRA
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 5, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 10},
 "policy": {"backend": "openai", "samples": 6, "url": "http://127.0.0.1:$2",
            "model": "sim", "in_flight": 8 $3},
 "proxies": [
   {"name": "careful", "backend": "vllm-classify", "model": "careful",
    "url": "http://127.0.0.1:$2", "batch": 5 $3},
   {"name": "confident", "backend": "vllm-pooling", "model": "confident",
    "url": "http://127.0.0.1:$2/v1" $3},
   {"name": "formatted", "backend": "judge", "model": "formatted",
    "url": ["http://127.0.0.1:$2"] $3}],
 "benchmarks": {"one_to_many": {"problems": 6}, "one_to_one": {"pairs": 6}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}

start_server p1
http_config http "$port" ""
"$BONRUN" run -q http.json
for f in samples.jsonl scores.jsonl; do
  records out/sim/$f > a; records out/http/$f > b
  test "$(wc -l < a)" -gt 50
  cmp a b || { echo "$f differs through HTTP"; diff a b | head; exit 1; }
done
cmp out/sim/scores.csv out/http/scores.csv || {
  sort out/sim/scores.csv > a; sort out/http/scores.csv > b; cmp a b; }
cmp out/sim/analysis/curves.csv out/http/analysis/curves.csv

# the same through a faulty server: identical final results
start_server p2 --fail-429 0.1 --fail-503 0.05 --fail-500 0.05 \
  --drop 0.05 --malformed 0.05 --seed 4
http_config faulty "$port" ', "retries": 30, "backoff_s": 0.002, "backoff_max_s": 0.02'
"$BONRUN" run -q faulty.json
for f in samples.jsonl scores.jsonl; do
  records out/sim/$f > a; records out/faulty/$f > b
  cmp a b || { echo "$f differs with faults"; diff a b | head; exit 1; }
done
if grep -q '"error"' out/faulty/samples.jsonl out/faulty/scores.jsonl; then echo 'error records found'; exit 1; fi
# the server saw (and survived) the faults; it stops cleanly on SIGTERM
stop_servers
grep -q 'stopped on signal' p2.log
grep -Eq '[1-9][0-9]* 429, [1-9][0-9]* 503' p2.log
grep -Eq '[1-9][0-9]* dropped, [1-9][0-9]* malformed' p2.log

# --config: the server takes the sim policy and the sim proxies (with their
# own parameters) of a config, and a run through it equals that config
cat > custom.json <<'JSON'
{"name": "custom", "seed": 6, "output": "out/custom",
 "dataset": {"source": "sim", "problems": 6},
 "policy": {"backend": "sim", "samples": 4, "skill": -0.5, "verbosity": 3},
 "proxies": [{"name": "mine", "preset": "careful", "noise": 0.4,
              "w_length": 0.2}],
 "benchmarks": {"one_to_many": {"source": "none"}, "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
"$BONRUN" run -q custom.json
start_server p3 --config custom.json
cat > customhttp.json <<JSON
{"name": "customhttp", "seed": 6, "output": "out/customhttp",
 "dataset": {"source": "sim", "problems": 6},
 "policy": {"backend": "openai", "samples": 4, "model": "sim",
            "url": "http://127.0.0.1:$port", "endpoint": "chat",
            "n_per_request": 4, "dialect": "bonrun"},
 "proxies": [{"name": "mine", "backend": "vllm-classify", "model": "mine",
              "url": "http://127.0.0.1:$port", "input": "messages"}],
 "benchmarks": {"one_to_many": {"source": "none"}, "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
"$BONRUN" run -q customhttp.json
# (a request of n = 4 choices has no per-choice token count: drop it)
for f in samples.jsonl scores.jsonl; do
  records out/custom/$f | sed 's/,"completion_tokens":[0-9]*//' > a
  records out/customhttp/$f > b
  cmp a b || { echo "$f differs with --config"; diff a b | head; exit 1; }
done
