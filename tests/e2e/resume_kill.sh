# A simulator run (its records written in large buffered writes, its index
# kept per chunk of problems) killed with SIGKILL midway and run again ends
# with the same records, scores.csv and analysis as an uninterrupted run:
# nothing lost, nothing twice, no partial line.  Then a full rerun computes
# nothing.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
mk() { # NAME
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 5, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 120},
 "policy": {"backend": "sim", "samples": 512},
 "proxies": [{"name": "careful"}, {"name": "verbose"}, {"name": "noisy"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
}
mk ref; mk killed
"$BONRUN" run -q ref.json
"$BONRUN" run -q killed.json 2> killed1.err &
run=$!
i=0
while [ "$(cat out/killed/scores.jsonl 2>/dev/null | wc -l)" -lt 20000 ]; do
  i=$((i + 1)); [ $i -lt 3000 ] || fail "run made no progress"
  kill -0 "$run" 2>/dev/null || break
  sleep 0.01
done
kill -KILL "$run" 2>/dev/null || true
wait "$run" 2>/dev/null || true
test -e out/killed/scores.csv && fail "the run finished before the kill"
n1=$(wc -l < out/killed/samples.jsonl)
test "$n1" -lt 61440 || fail "every sample was already there"
"$BONRUN" run killed.json > killed2.out 2> killed2.err
for f in samples.jsonl scores.jsonl; do
  # the same records, keys included (so none twice, none half)
  sort out/ref/$f > a; sort out/killed/$f > b
  cmp -s a b || { diff a b | head -5; fail "$f differs after resume"; }
done
cmp out/ref/scores.csv out/killed/scores.csv || fail "scores.csv differs"
cmp out/ref/analysis/curves.csv out/killed/analysis/curves.csv ||
  fail "curves differ"
# a finished run computes nothing
"$BONRUN" run killed.json > again.out 2> again.err
grep -q '0 new samples, 0 new scores' again.err ||
  fail "the rerun computed something: $(grep 'sample+score' again.err)"
cmp out/ref/scores.csv out/killed/scores.csv
# what the killed run was writing of scores.csv is gone
test -z "$(ls out/killed | grep '\.tmp\.')" || fail "a temporary file stayed"
