# A server still loading (llama.cpp answers 503 "Loading model" on /health
# and on every request) is waited for before anything is sent; without the
# wait its 503s count toward abort_after and stop the run with a clear
# line, no record is permanent, and a rerun once it is up completes.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
mk() { # NAME PORT POLICY_EXTRA
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 2, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 5},
 "policy": {"backend": "openai", "samples": 4, "model": "sim",
            "url": "http://127.0.0.1:$2" $3},
 "proxies": [{"name": "careful", "backend": "vllm-classify",
              "model": "careful", "url": "http://127.0.0.1:$2"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}
start_server p1 --loading 2
mk wait "$port" ""
"$BONRUN" run wait.json 2> wait.err || { cat wait.err; fail "run with a wait"; }
grep -q 'note: http://127.0.0.1:[0-9]* is ready after [0-9]* s' wait.err ||
  { cat wait.err; fail "no note of the wait"; }
test "$(grep -c '"text"' out/wait/samples.jsonl)" -eq 20
if grep -q '"error"' out/wait/samples.jsonl out/wait/scores.jsonl; then fail "errors"; fi

start_server p2 --loading 4
mk nowait "$port" ', "ready_timeout_s": 0, "retries": 1, "backoff_s": 0.01, "abort_after": 3, "in_flight": 1'
rc=0; "$BONRUN" run -q nowait.json 2> nowait.err || rc=$?
test "$rc" -eq 1 || fail "exit $rc"
grep -q '3 requests in a row got no answer' nowait.err || { cat nowait.err; fail "no stop"; }
grep -q 'HTTP 503: Loading model' nowait.err || fail "no server message"
if grep -q '"permanent":true' out/nowait/samples.jsonl; then fail "permanent"; fi
sleep 4
"$BONRUN" run -q nowait.json
test "$(records_last out/nowait/samples.jsonl | grep -c '"text"')" -eq 20
