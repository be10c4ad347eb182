# A server that accepts and never answers gives a clear error after the
# configured timeout, not a hang; a port where nothing listens is waited
# for (ready_timeout_s), then a clear error names it and the key.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
start_server pf --delay-ms 100000
cat > silent.json <<JSON
{"name": "silent", "output": "out/silent",
 "dataset": {"source": "sim", "problems": 4},
 "policy": {"backend": "openai", "samples": 4, "model": "sim",
            "url": "http://127.0.0.1:$port", "timeout_s": 1, "retries": 1,
            "backoff_s": 0.05, "abort_after": 4, "ready_timeout_s": 2},
 "proxies": [{"name": "careful"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}}}
JSON
start=$(date +%s)
rc=0; timeout 60 "$BONRUN" run -q silent.json 2> silent.err || rc=$?
end=$(date +%s)
test "$rc" -eq 1 || { echo "exit $rc"; cat silent.err; exit 1; }
test $((end - start)) -lt 20
grep -q 'no complete answer within 1 s (timeout_s)' silent.err
grep -q 'Is the server up' silent.err
# nothing listens on the port any more: waited for, then a clear error
stop_servers
before=$(wc -l < out/silent/samples.jsonl)
start=$(date +%s)
rc=0; timeout 60 "$BONRUN" run -q silent.json 2> refused.err || rc=$?
end=$(date +%s)
test "$rc" -eq 1 || { echo "exit $rc"; cat refused.err; exit 1; }
test $((end - start)) -lt 20
grep -q "127.0.0.1:$port/health was not ready after 2 s" refused.err
grep -q 'raise policy.ready_timeout_s' refused.err
# nothing was sent, so nothing was recorded
test "$(wc -l < out/silent/samples.jsonl)" -eq "$before"
