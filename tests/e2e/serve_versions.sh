# vLLM's activation switch moved: 0.10 takes "activation" (classify) or
# "softmax" (pooling), later builds "use_activation", older ones none (its
# scores are sigmoids).  bonrun asks /version: a 0.10 server gets the old
# field too, and its scores equal the current server's raw ones; a 0.9
# server stops the run with the remedy, unless the config says the server
# was started with raw scores.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
mk() { # NAME PORT RM_EXTRA
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 6, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 4},
 "policy": {"backend": "sim", "samples": 3},
 "proxies": [{"name": "careful", "backend": "vllm-classify",
              "model": "careful", "url": "http://127.0.0.1:$2", "batch": 5
              $3}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}
start_server current
mk ref "$port" ""
"$BONRUN" run -q ref.json
start_server v010 --vllm-version 0.10.1
mk v010 "$port" ""
"$BONRUN" run v010.json 2> v010.err
grep -q 'note: vLLM 0.10.1: sending "activation": false as well' v010.err ||
  { cat v010.err; fail "no note"; }
records out/ref/scores.jsonl > a; records out/v010/scores.jsonl > b
cmp a b || fail "0.10 scores are not the raw ones"
start_server v09 --vllm-version 0.9.2
mk v09 "$port" ""
rc=0; "$BONRUN" run -q v09.json 2> v09.err || rc=$?
test "$rc" -eq 1 || fail "exit $rc"
grep -q 'vLLM 0.9.2 has no per-request switch' v09.err || { cat v09.err; fail "message"; }
grep -q 'set proxies\[0\].server_raw_scores to true' v09.err || fail "remedy"
test ! -s out/v09/scores.jsonl || fail "scores written"
mk v09 "$port" ', "server_raw_scores": true'
"$BONRUN" run -q v09.json
test "$(wc -l < out/v09/scores.jsonl)" -eq 12
