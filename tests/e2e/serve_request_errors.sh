# A request-level error (the request, the config or the account is wrong)
# stops the run at once with one line naming the server's message and the
# config key to change, and writes no error record; after the fix, a rerun
# completes every item, equal to a run that never failed.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
# records without their cache key (which names the backend) and token
# count (a request of n > 1 choices has none per choice), sorted
norm() { sed -e 's/^{"key":"[0-9a-f]*",/{/' \
             -e 's/,"completion_tokens":[0-9]*//' "$1" | sort; }

mk() { # NAME PORT POLICY_EXTRA RM_BATCH
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 3, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 6},
 "policy": {"backend": "openai", "samples": 4, "model": "sim",
            "url": "http://127.0.0.1:$2", "retries": 2,
            "backoff_s": 0.01 $3},
 "proxies": [{"name": "careful", "backend": "tei", "model": "careful",
              "url": "http://127.0.0.1:$2", "batch": ${4:-8}}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}

start_server good
good=$port
mk ref "$good" "" ""
"$BONRUN" run -q ref.json
test "$(wc -l < out/ref/samples.jsonl)" -eq 24
test "$(wc -l < out/ref/scores.jsonl)" -eq 24

# NAME FAULT POLICY_EXTRA RM_BATCH FIXED_POLICY FIXED_RM_BATCH NEEDLE REMEDY
check() {
  name=$1; fault=$2
  # shellcheck disable=SC2086
  start_server "p$name" $fault
  mk "$name" "$port" "$3" "$4"
  rc=0; "$BONRUN" run -q "$name.json" 2> "$name.err" || rc=$?
  test "$rc" -eq 1 || fail "$name: exit $rc"
  test "$(wc -l < "$name.err")" -eq 1 || { cat "$name.err"; fail "$name: not one line"; }
  grep -qF "$7" "$name.err" || { cat "$name.err"; fail "$name: no server message"; }
  grep -qF "$8" "$name.err" || { cat "$name.err"; fail "$name: no remedy"; }
  grep -q 'no item was recorded' "$name.err" || fail "$name: says nothing recorded"
  for f in samples.jsonl scores.jsonl; do
    if grep -q '"error"' "out/$name/$f"; then fail "$name: error record in $f"; fi
  done
  # the fix: the config's (same output folder), or a server without the fault
  mk "$name" "$good" "$5" "$6"
  "$BONRUN" run -q "$name.json" || fail "$name: rerun after the fix failed"
  for f in samples.jsonl scores.jsonl; do
    norm "out/ref/$f" > a; norm "out/$name/$f" > b
    cmp a b || { diff a b | head -5; fail "$name: $f differs after the fix"; }
  done
}

check notfound "--request-error 404" "" "" "" "" \
  'HTTP 404: The model `x` does not exist.' 'check policy.model'
check method "--request-error 405" "" "" "" "" \
  'HTTP 405: Method Not Allowed' 'check policy.url'
check batch "--max-batch 4" "" "" "" 4 \
  'batch size 8 > maximum allowed batch size 4' 'lower proxies[0].batch'
check nlimit "--max-n 2" ', "n_per_request": 4, "dialect": "llamacpp"' "" \
  ', "n_per_request": 2, "dialect": "llamacpp"' "" \
  'n_cmpl cannot be greater than the number of slots' \
  'lower policy.n_per_request'
check single "--single-choice" ', "n_per_request": 4, "dialect": "llamacpp"' \
  "" "" "" 'Only one completion choice is allowed' \
  'set policy.n_per_request to 1'
check param "--reject-param top_k" ', "top_k": 0' "" "" "" \
  'Unrecognized request argument supplied: top_k' \
  'remove that field from policy'
check quota "--quota-after 10 --threads 1" ', "in_flight": 1' "" "" "" \
  'You exceeded your current quota' 'policy.api_key_env has no quota left'
# the quota run had drawn 10 samples before the stop: kept, not redrawn
test "$(grep -c '"text"' out/quota/samples.jsonl)" -eq 24
