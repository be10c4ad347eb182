# TEI and Ollama cut an over-long input silently and answer 200 (TEI from
# the end, Ollama from the front).  bonrun sends "truncate": false, so such
# an item is a permanent error naming the context, never a score of a cut
# text; the other items are exactly what a roomy server gives.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
mk() { # NAME POLICY_PORT RM_PORT
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 3, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 8},
 "policy": {"backend": "ollama", "samples": 3, "model": "sim",
            "url": "http://127.0.0.1:$2",
            "template": "Solve carefully, step by step: {question}"},
 "proxies": [{"name": "careful", "backend": "tei", "model": "careful",
              "url": "http://127.0.0.1:$3", "batch": 4}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}
start_server roomy
mk ref "$port" "$port"
"$BONRUN" run -q ref.json
start_server tightrm --max-prompt 300
tightrm=$port
start_server tight --max-prompt 100
tight=$port
# the control: without "truncate": false this server cuts and answers 200
curl -s -X POST "http://127.0.0.1:$tight/api/generate" \
  -d "{\"model\":\"sim\",\"prompt\":\"$(printf '%0150d' 0)\"}" > ctl1
grep -q '"prompt_eval_count":100' ctl1 || { cat ctl1; fail "no silent cut"; }
curl -s -X POST "http://127.0.0.1:$tight/predict" \
  -d "{\"inputs\":[[\"$(printf '%0150d' 0)\"]]}" > ctl2
grep -q '"score"' ctl2 || { cat ctl2; fail "no silent cut"; }
mk tight "$tight" "$tightrm"
"$BONRUN" run -q tight.json
ns=$(grep -c '"error"' out/tight/samples.jsonl || true)
nc=$(grep -c '"error"' out/tight/scores.jsonl || true)
test "$ns" -ge 1 && test "$ns" -lt 24 || fail "$ns sample errors"
test "$nc" -ge 1 || fail "no score errors"
grep '"error"' out/tight/samples.jsonl | grep -vq 'exceeds the available context size' &&
  fail "a sample error not about the context"
grep '"error"' out/tight/scores.jsonl | grep -vq 'must have less than 300 tokens' &&
  fail "a score error not about the context"
test "$(grep -c '"permanent":true' out/tight/samples.jsonl)" -eq "$ns"
# what is there equals the roomy server's, record for record
for f in samples.jsonl scores.jsonl; do
  grep -v '"error"' "out/tight/$f" | sed 's/^{"key":"[0-9a-f]*",/{/' | sort > a
  records "out/ref/$f" > b
  comm -23 a b > x
  test ! -s x || { head -3 x; fail "$f: a cut input was used"; }
done
