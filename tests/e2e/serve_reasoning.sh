# Reasoning models: the final text and the reasoning are stored apart
# (vLLM's reasoning_content, the newer `reasoning`, a raw <think> block,
# Ollama's `thinking`); the verifier judges the final text and the RMs
# score it, so the records equal a plain model's; a reply whose content is
# null (the thinking ran out of tokens) is stored as an empty final text,
# counted as stopped at max_tokens, and never sent again; an RM with
# score_text "full" scores the reasoning too.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
# records without key, reasoning and token count (the thinking's tokens
# count too), sorted
plain() { sed -e 's/^{"key":"[0-9a-f]*",/{/' \
              -e 's/,"reasoning":"\([^"\\]\|\\.\)*"//' \
              -e 's/,"completion_tokens":[0-9]*//' "$1" | sort; }

mk() { # NAME PORT POLICY_EXTRA [BACKEND]
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 4, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 6},
 "policy": {"backend": "${4:-openai}", "samples": 4, "model": "sim",
            "url": "http://127.0.0.1:$2" $3},
 "proxies": [{"name": "careful", "backend": "vllm-classify",
              "model": "careful", "url": "http://127.0.0.1:$2"},
             {"name": "careful-full", "backend": "vllm-classify",
              "model": "careful", "url": "http://127.0.0.1:$2",
              "score_text": "full"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}

start_server plain
mk ref "$port" ', "endpoint": "chat"'
"$BONRUN" run -q ref.json
if grep -q '"reasoning"' out/ref/samples.jsonl; then fail "reasoning from a plain model"; fi

for mode in field reasoning think; do
  start_server "p$mode" --reasoning "$mode"
  mk "$mode" "$port" ', "endpoint": "chat"'
  "$BONRUN" run -q "$mode.json"
  test "$(grep -Ec '"reasoning":"(\\n)?Let me think' "out/$mode/samples.jsonl")" -eq 24 ||
    fail "$mode: reasoning not stored apart"
  plain out/ref/samples.jsonl > a; plain "out/$mode/samples.jsonl" > b
  cmp a b || { diff a b | head -4; fail "$mode: final texts differ"; }
  # the final-text RM scores equal the plain model's; the full-text RM's
  # differ (it read the thinking)
  grep '"rm":"careful"' out/ref/scores.jsonl | plain /dev/stdin > a
  grep '"rm":"careful"' "out/$mode/scores.jsonl" | plain /dev/stdin > b
  cmp a b || fail "$mode: final-text scores differ"
  grep '"rm":"careful-full"' out/ref/scores.jsonl | plain /dev/stdin > a
  grep '"rm":"careful-full"' "out/$mode/scores.jsonl" | plain /dev/stdin > b
  test "$(comm -12 a b | wc -l)" -lt 24 || fail "$mode: full text not scored"
done
# the plain model's full text is its final text: both RMs agree (records
# of HTTP RMs arrive in any order, and identical completions share one
# record under whichever sample came first: compare problems and scores)
ps() { sed 's/.*"problem_id":"\([^"]*\)".*"score":\(.*\)}$/\1 \2/' | sort; }
grep '"rm":"careful"' out/ref/scores.jsonl | ps > a
grep '"rm":"careful-full"' out/ref/scores.jsonl | ps > b
cmp a b || fail "full text of a plain model"

# Ollama's thinking
start_server pollama --reasoning field
mk ollama "$port" "" ollama
"$BONRUN" run -q ollama.json
test "$(grep -c '"reasoning":"Let me think' out/ollama/samples.jsonl)" -eq 24
plain out/ref/samples.jsonl > a
plain out/ollama/samples.jsonl > b
cmp a b || { diff a b | head -4; fail "ollama: final texts differ"; }

# content null: stored (empty final text, no answer), counted, not re-sent
start_server pnull --reasoning null
mk null "$port" ', "endpoint": "chat"'
"$BONRUN" run null.json 2> null.err
test "$(grep -c '"text":"","reasoning":"Let me think' out/null/samples.jsonl)" -eq 24
test "$(grep -c '"finish_reason":"length"' out/null/samples.jsonl)" -eq 24
if grep -q '"error"' out/null/samples.jsonl; then fail "null: error records"; fi
grep -q '24 samples stopped at max_tokens' null.err || { cat null.err; fail "null: not reported"; }
grep -Eq '"truncated":[[:space:]]*24' out/null/run.json || fail "null: run.json"
grep -q 'policy .*24 completions stopped at max_tokens; 24 with reasoning' null.err ||
  { cat null.err; fail "null: no client count"; }
# everything is on disk: with every server gone, a rerun needs none
stop_servers
lines=$(wc -l < out/null/samples.jsonl)
"$BONRUN" run -q null.json
"$BONRUN" run -q field.json
test "$(wc -l < out/null/samples.jsonl)" -eq "$lines"
