# Benchmarks of candidate texts: `bonrun run` whose RMs are HTTP backends
# on `bonrun serve` (a vllm-classify RM, a vllm-pooling PRM on the
# dataset's own steps, a single-answer judge, a pairwise judge, and a
# pairwise judge whose verdict pattern knows only [[A]]) scores the real
# RewardMATH samples (tests/data/rewardmath: the direct file as the
# one-to-many benchmark, then the pairwise file; RewardBench math-prm pairs
# as the one-to-one) and gets metrics for every RM.  The PRM's step scores
# match the dataset's steps and the in-process sim PRM; the pairwise
# verdicts match the RM's ranking; unparsable verdicts are counted as
# losses; a rerun computes nothing; a run killed midway completes on
# rerun with the same metrics; a bad record stops the run at config load
# naming file:line:field, and nothing is written.  The pairwise judges,
# which have no BoN gain, stay out of the correlation without a warning,
# and report.md shows their benchmark metrics in a table of their own.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
D=$ROOT/tests/data/rewardmath
start_server port --port 0
fast=$port

# cfg NAME OUTPUT PORT ONE_TO_MANY_FILE FORMAT IN_FLIGHT
cfg() {
  u="http://127.0.0.1:$3"
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 5, "output": "$2",
 "dataset": {"source": "sim", "problems": 8},
 "policy": {"backend": "openai", "model": "sim", "url": "$u", "samples": 4},
 "proxies": [
   {"name": "rm", "backend": "vllm-classify", "model": "careful", "url": "$u",
    "batch": 4, "in_flight": $6},
   {"name": "prm", "backend": "vllm-pooling", "model": "careful", "url": "$u",
    "pooling": "steps", "aggregate": "min", "use_activation": true,
    "batch": 4, "in_flight": $6},
   {"name": "careful", "pooling": "steps", "aggregate": "min"},
   {"name": "judge", "backend": "judge", "model": "careful", "url": "$u",
    "in_flight": $6},
   {"name": "ab", "backend": "judge", "model": "careful", "url": "$u",
    "pairwise": true, "in_flight": $6},
   {"name": "ab_a", "backend": "judge", "model": "careful", "url": "$u",
    "pairwise": true, "rating_regex": "\\\\[\\\\[(A)\\\\]\\\\]",
    "in_flight": $6}],
 "benchmarks": {
   "one_to_many": {"source": "dataset", "path": "$4", "format": "$5"},
   "one_to_one": {"source": "dataset", "path": "$D/rewardbench_math_prm_.json",
                  "format": "rewardmath"}},
 "analysis": {"bootstrap": 50}, "plots": {"enabled": false}}
JSON
}

cfg direct out $fast "$D/RewardMATH_direct.json" rewardmath 64
"$BONRUN" run direct.json > run1.txt 2>&1 || { cat run1.txt; fail "run"; }
M=out/benchmarks/one_to_many
O=out/benchmarks/one_to_one

# metrics for every RM on both benchmarks, pairwise judges as such
for rm in rm prm careful judge ab ab_a; do
  grep -q "^$rm,2,9," $M/benchmark.csv || fail "no one-to-many row for $rm"
  grep -q "^$rm,2,1," $O/benchmark.csv || fail "no one-to-one row for $rm"
done
[ "$(wc -l < $M/benchmark.csv)" -eq 7 ] || fail "extra rows"
grep -q '^ab,.*,pairwise$' $M/benchmark.csv || fail "ab is not pairwise"
grep -q '^ab_a,.*,pairwise$' $O/benchmark.csv || fail "ab_a is not pairwise"
grep -q '^rm,.*,score$' $M/benchmark.csv || fail "rm kind"
# a pairwise judge scores no completion of the pool
if grep -q ',ab,' out/scores.csv; then fail "pairwise judge in scores.csv"; fi
grep -q ',judge,' out/scores.csv || fail "judge missing from scores.csv"
if grep '"error"' $M/scores.jsonl | grep -v '"rm":"ab_a"' | grep -q .; then
  fail "unexpected error records"; fi

# the PRM scored the dataset's own steps: as many step scores as the file
# has steps per candidate (file order = sample order), and the served PRM
# equals the in-process sim PRM step for step
awk '/"eval_solution": \[/ { n = 0; on = 1; next }
     on && /^ *\]/ { print n; on = 0; next }
     on { n++ }' "$D/RewardMATH_direct.json" > want_steps.txt
[ "$(wc -l < want_steps.txt)" -eq 20 ] || fail "step count of the file"
for rm in prm careful; do
  grep "\"rm\":\"$rm\"" $M/scores.jsonl |
    sed 's/.*"problem_id":"\([^"]*\)","sample":\([0-9]*\),.*"steps":\[\([^]]*\)\].*/\1 \2 \3/' |
    awk '{ n = split($3, v, ","); print ($1 == "0" ? 0 : 1), $2, n }' |
    sort -k1,1n -k2,2n | awk '{ print $3 }' > got_$rm.txt
  cmp want_steps.txt got_$rm.txt || fail "$rm step counts differ from the file"
done
for rm in prm careful; do
  grep "\"rm\":\"$rm\"" $M/scores.jsonl | sed 's/.*"problem_id"/"problem_id"/' |
    sort > steps_$rm.txt
done
cmp steps_prm.txt steps_careful.txt || fail "served PRM != in-process PRM"

# pairwise verdicts: the correct solution wins exactly when the RM of the
# same sim model scores it higher (the served judge compares those scores)
awk -F, '$3 == "rm" { s[$1, $2] = $4; if($5 == 1) c[$1] = $2 }
         $3 == "ab" && $5 == 0 { o[$1, $2] = $4 }
         END { for(k in o) { split(k, p, SUBSEP); n++
                 want = s[p[1], c[p[1]]] > s[p[1], p[2]] ? 1 : 0
                 if(o[k] != want) { print "outcome " o[k] " of " k; bad++ } }
               if(n != 18) { print n " comparisons"; bad++ }
               exit bad > 0 }' $M/candidates.csv || fail "verdicts"
# the judge whose pattern knows only [[A]]: every B verdict is a loss
nb=$(grep '"rm":"ab_a"' $M/scores.jsonl | grep -c '"error"' || true)
grep -q "ab_a: $nb of 18 comparisons without a verdict (counted as losses)" \
  run1.txt || fail "unparsable count not reported"
[ "$nb" -gt 0 ] || fail "no unparsable verdict to count"
grep "^ab_a,2,9," $M/benchmark.csv | awk -F, -v n=$nb '$13 != n { exit 1 }' ||
  fail "missing column of ab_a is not $nb"
grep '"rm":"ab_a"' $M/scores.jsonl | grep '"error"' | grep -q '"permanent":true'
grep -q '"correct_position":"B"' $M/candidates.jsonl
grep -q '"source":[[:space:]]*"dataset"' out/run.json || fail "run.json source"
grep -q '"format":[[:space:]]*"rewardmath"' out/run.json || fail "run.json format"
grep -q '"source":"modified_with_GPT-4"' $M/candidates.jsonl

# the pairwise judges have no gain: the correlation leaves them out
# without a word, report.md lists them under the main table with their
# benchmark metrics and says why
if grep -q 'dropped: ab' run1.txt; then fail "correlate warned of judges"; fi
if grep -q '"ab' out/correlation/correlation.json; then
  fail "a pairwise judge in the correlation"; fi
"$BONRUN" plot out > plot.txt 2>&1 || { cat plot.txt; fail "plot"; }
# judge_row RM MDNAME: its report row, from the two benchmark.csv files
judge_row() {
  m=$(awk -F, -v r="$1" '$1 == r { printf "%.3f [%.3f, %.3f] | ", $4, $5, $6
      printf "%.3f [%.3f, %.3f]", $9, $10, $11 }' $M/benchmark.csv)
  o=$(awk -F, -v r="$1" '$1 == r { printf "%.3f [%.3f, %.3f]", $4, $5, $6 }' \
      $O/benchmark.csv)
  echo "| $2 | pairwise judge | $m | $o |"
}
grep -qxF -- "$(judge_row ab ab)" out/report.md ||
  { grep '^| ab' out/report.md; fail "report row of ab"; }
grep -qxF -- "$(judge_row ab_a 'ab\_a')" out/report.md ||
  fail "report row of ab_a"
[ "$(grep -c '^| ab' out/report.md)" -eq 2 ] || fail "a judge in the main table"
grep -q '^| judge | 0\.' out/report.md || fail "the single-answer judge's row"
grep -q 'A pairwise judge compares two solutions' out/report.md ||
  fail "report does not say why the judges have no gain"

# a rerun computes nothing
cp $M/scores.jsonl m1.jsonl
cp $O/scores.jsonl o1.jsonl
"$BONRUN" run direct.json > run2.txt 2>&1 || { cat run2.txt; fail "rerun"; }
grep -q '0 new samples, 0 new scores' run2.txt || fail "rerun sampled"
[ "$(grep -c ' 0 new scores$' run2.txt)" -eq 2 ] || fail "rerun scored"
cmp m1.jsonl $M/scores.jsonl
cmp o1.jsonl $O/scores.jsonl
grep -q 'one_to_many  up to date' run2.txt

# the pairwise release of the same problems: the same texts, so every RM
# but the position-sensitive ab_a gets the same metrics
cfg pairwise outp $fast "$D/RewardMATH_pairwise.json" rewardmath_pairwise 64
"$BONRUN" run pairwise.json > run3.txt 2>&1 || { cat run3.txt; fail "pairwise"; }
grep -v '^ab_a,' $M/benchmark.csv | cut -d, -f1-13 > direct_m.csv
grep -v '^ab_a,' outp/benchmarks/one_to_many/benchmark.csv | cut -d, -f1-13 \
  > pairwise_m.csv
cmp direct_m.csv pairwise_m.csv || fail "pairwise file gives other metrics"

# kill a run midway through the benchmarks, rerun: the same metrics
start_server slowport --port 0 --delay-ms 60
cfg kill outk $port "$D/RewardMATH_direct.json" rewardmath 1
"$BONRUN" run -q kill.json > kill.txt 2>&1 &
pid=$!
i=0
while [ "$(cat outk/benchmarks/one_to_many/scores.jsonl 2>/dev/null | wc -l)" -lt 10 ]; do
  i=$((i + 1)); [ $i -lt 600 ] || fail "the run never reached the benchmarks"
  sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null || true
n=$(wc -l < outk/benchmarks/one_to_many/scores.jsonl)
[ "$n" -lt 116 ] || fail "the run finished before it was killed ($n records)"
[ ! -f outk/benchmarks/one_to_many/benchmark.csv ] || fail "killed too late"
cfg kill outk $fast "$D/RewardMATH_direct.json" rewardmath 64
"$BONRUN" run kill.json > kill2.txt 2>&1 || { cat kill2.txt; fail "resume"; }
cmp $M/benchmark.csv outk/benchmarks/one_to_many/benchmark.csv ||
  fail "resumed one-to-many metrics differ"
cmp $O/benchmark.csv outk/benchmarks/one_to_one/benchmark.csv ||
  fail "resumed one-to-one metrics differ"
[ "$(wc -l < outk/benchmarks/one_to_many/scores.jsonl)" -eq \
  "$(wc -l < $M/scores.jsonl)" ] || fail "records lost or doubled"

# a bad record stops the run at config load: file:line:field, no output
sed '0,/"solution_type": "rejected"/s//"solution_type": "wrong"/' \
  "$D/RewardMATH_direct.json" > bad.json
line=$(awk '/^    \{/ { n++; if(n == 2) { print NR; exit } }' bad.json)
cfg badrun outb $fast bad.json rewardmath 64
if "$BONRUN" run badrun.json > bad.txt 2>&1; then fail "bad record accepted"; fi
grep -q "badrun.json: benchmarks.one_to_many: bad.json:$line: field \"solution_type\": expected \"chosen\" or \"rejected\"" bad.txt ||
  { cat bad.txt; fail "bad record message"; }
[ ! -e outb ] || fail "a failed config wrote $(ls outb)"
stop_servers
echo ok
