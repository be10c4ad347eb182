# vLLM, SGLang and TEI refuse a whole batch for one over-long input: bonrun
# sends it again in halves, so only the offending items get an error record
# (permanent: the context is too short for them); a rerun leaves them
# alone; `run --retry-failed` against a server with a longer context
# recovers them, and the run then equals one that never failed.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"

mk() { # NAME PORT BACKEND
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 3, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 8},
 "policy": {"backend": "openai", "samples": 4, "model": "sim",
            "url": "http://127.0.0.1:$2"},
 "proxies": [{"name": "careful", "backend": "$3", "model": "careful",
              "url": "http://127.0.0.1:$2", "batch": 8}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}

start_server good
good=$port
start_server short --max-prompt 420
short=$port
for be in vllm-classify sglang tei; do
  mk "ref-$be" "$good" "$be"
  "$BONRUN" run -q "ref-$be.json"
  mk "$be" "$short" "$be"
  "$BONRUN" run "$be.json" 2> "$be.err" || { cat "$be.err"; fail "$be: run"; }
  grep -q 'split to isolate' "$be.err" || fail "$be: no batch was split"
  n=$(grep -c '"error"' "out/$be/scores.jsonl" || true)
  test "$n" -ge 1 && test "$n" -le 16 || fail "$be: $n error records"
  test "$(grep -c '"permanent":true' "out/$be/scores.jsonl")" -eq "$n"
  grep '"error"' "out/$be/scores.jsonl" | grep -vqE 'context|less than' &&
    fail "$be: an error that is not about the context"
  # every score that is there equals the good server's
  grep -v '"error"' "out/$be/scores.jsonl" | sed 's/^{"key":"[0-9a-f]*",/{/' |
    sort > a
  records "out/ref-$be/scores.jsonl" > b
  comm -23 a b > extra
  test ! -s extra || { head -3 extra; fail "$be: a score differs"; }
  # a plain rerun keeps the permanent errors
  lines=$(wc -l < "out/$be/scores.jsonl")
  "$BONRUN" run -q "$be.json"
  test "$(wc -l < "out/$be/scores.jsonl")" -eq "$lines"
  # --retry-failed with a longer context recovers every one of them
  mk "$be" "$good" "$be"
  "$BONRUN" run -q --retry-failed "$be.json"
  records "out/ref-$be/scores.jsonl" > a; records_last "out/$be/scores.jsonl" > b
  cmp a b || { diff a b | head -5; fail "$be: --retry-failed"; }
done
