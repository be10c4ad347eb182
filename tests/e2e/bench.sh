#!/bin/sh
# bonrun bench on small hand-checked tables: outputs, ties, missing scores,
# step aggregations, ensembles, pairwise judges and the error messages.
set -eu
cd "$TMP"

cat > s.csv <<'CSV'
problem_id,sample_id,rm,score,correct,steps
p1,a,rmA,0.9,1,0.9;0.8
p1,b,rmA,0.2,0,0.5;0.1
p1,c,rmA,0.3,0,0.6;0.7
p1,a,rmB,1,1,
p1,b,rmB,1,0,
p1,c,rmB,0,0,
p2,a,rmA,0.1,1,0.2;0.9
p2,b,rmA,0.4,0,0.8;0.8
p2,c,rmA,0.3,0,0.1;0.2
p2,a,rmB,0.5,1,
p2,b,rmB,0.2,0,
p2,c,rmB,,0,
CSV

$BONRUN bench --help | grep -q 'usage: bonrun bench'
$BONRUN bench --scores s.csv --out o --steps min --bootstrap 200 \
  --ensemble 'mean:rmA,rmB' >out.txt 2>err.txt
head -1 o/benchmark.csv | grep -q \
  '^rm,problems,k,accuracy,accuracy_lo,accuracy_hi,accuracy_ties,accuracy_random,mrr,mrr_lo,mrr_hi,mrr_random,missing'
# rmA: p1 won, p2 last of 3 -> accuracy 0.5, mrr (1 + 1/3)/2
grep -q '^rmA,2,2,0.5,[^,]*,[^,]*,0.5,0.5,0.6666666667,' o/benchmark.csv
# rmB: p1 tied on top (ties 1, random 0.5), p2 won; 1 missing score
grep -q '^rmB,2,2,0.5,[^,]*,[^,]*,1,0.75,0.75,[^,]*,[^,]*,0.875,1,' \
  o/benchmark.csv
grep -q '^rmA/min,2,2,0.5,' o/benchmark.csv
grep -q '^"ens-mean(rmA,rmB)",2,' o/benchmark.csv
[ "$(wc -l <o/benchmark.csv)" -eq 5 ]
grep -q '"problems_used":[[:space:]]*2' o/summary.json
grep -q 'standardised' err.txt
grep -q 'rmB: 1 missing score' err.txt
grep -q 'random baseline' out.txt

# deterministic: the same seed gives the same file
$BONRUN bench --scores s.csv --out o2 --steps min --bootstrap 200 \
  --ensemble 'mean:rmA,rmB' >/dev/null 2>&1
cmp o/benchmark.csv o2/benchmark.csv
# ... whatever the thread count
$BONRUN bench --scores s.csv --out o3 --steps min --bootstrap 200 \
  --ensemble 'mean:rmA,rmB' --threads 3 -q >o3.txt 2>&1
cmp o/benchmark.csv o3/benchmark.csv
if grep -q 'accuracy' o3.txt; then exit 1; fi
# --rm keeps one RM
$BONRUN bench --scores s.csv --rm rmB --bootstrap 0 --out r >/dev/null 2>&1
[ "$(wc -l <r/benchmark.csv)" -eq 2 ]
grep -q '^rmB,' r/benchmark.csv

# random baseline k = 9: every candidate tied -> 10% and H_10/10
{
  echo "problem_id,sample_id,rm,score,correct"
  for p in 1 2 3; do
    echo "q$p,0,flat,1,1"
    for s in 1 2 3 4 5 6 7 8 9; do echo "q$p,$s,flat,1,0"; done
  done
} > flat.csv
$BONRUN bench --scores flat.csv --out f --bootstrap 0 >/dev/null
grep -q '^flat,3,9,0,nan,nan,1,0.1,0.1,nan,nan,0.2928968254,0,0.1,0.2928968254,1,0,score$' f/benchmark.csv

# pairwise judge: the score on an incorrect candidate is the A/B outcome
cat > pw.csv <<'CSV'
problem_id,sample_id,rm,score,correct
p1,a,judge,,1
p1,b,judge,1,0
p1,c,judge,1,0
p2,a,judge,,1
p2,b,judge,0,0
p2,c,judge,0.5,0
CSV
$BONRUN bench --scores pw.csv --pairwise judge --bootstrap 0 --out pwo \
  >/dev/null
grep -q '^judge,2,2,0.5,nan,nan,0.5,0.5,0.6666666667,nan,nan,' pwo/benchmark.csv
grep -q ',pairwise$' pwo/benchmark.csv

# JSON lines input gives the same numbers
cat > s.jsonl <<'JL'
{"problem_id": "p1", "sample_id": 1, "rm": "r", "score": 0.9, "correct": 1}
{"problem_id": "p1", "sample_id": 2, "rm": "r", "score": 0.1, "correct": 0}
{"problem_id": "p2", "sample_id": 1, "rm": "r", "score": 0.1, "correct": 1}
{"problem_id": "p2", "sample_id": 2, "rm": "r", "score": 0.9, "correct": 0}
JL
$BONRUN bench --scores s.jsonl --bootstrap 0 --out j >/dev/null
grep -q '^r,2,1,0.5,' j/benchmark.csv

# errors: a problem with two correct candidates names the problem and line
cat > bad.csv <<'CSV'
problem_id,sample_id,rm,score,correct
p1,a,r,0.9,1
p1,b,r,0.2,0
p2,a,r,0.9,1
p2,b,r,0.2,1
p3,a,r,0.1,0
p3,b,r,0.2,0
CSV
if $BONRUN bench --scores bad.csv 2>e.txt >/dev/null; then exit 1; fi
grep -q "bad.csv:4: problem 'p2' has 2 correct candidates" e.txt
$BONRUN bench --scores bad.csv --skip-bad --out sk >/dev/null 2>e.txt
grep -q "skipped 2 malformed problems" e.txt
grep -q '"problems_skipped":[[:space:]]*2' sk/summary.json

if $BONRUN bench --scores s.csv --ensemble 'mean:rmA,rmZ' 2>e.txt; then
  exit 1; fi
grep -q "no RM 'rmZ'" e.txt
if $BONRUN bench --scores s.csv --steps median 2>e.txt; then exit 1; fi
grep -q "unknown step aggregation 'median'" e.txt
sed 's/0.5;0.1/1.5;0.1/' s.csv > s2.csv
if $BONRUN bench --scores s2.csv --steps prod 2>e.txt; then exit 1; fi
grep -q 'RM rmA, problem p1, sample b: step 1 score 1.5 is outside \[0,1\]' e.txt
$BONRUN bench --scores s2.csv --steps max -q --bootstrap 0 2>/dev/null
if $BONRUN bench --scores bad.csv --skip-bad --steps max 2>e.txt; then
  exit 1; fi
grep -q 'no steps column' e.txt
if $BONRUN bench --scores missing.csv 2>e.txt; then exit 1; fi
grep -q 'missing.csv' e.txt
set +e
$BONRUN bench --bootstrap x --scores s.csv 2>/dev/null
rc=$?
set -e
[ "$rc" -eq 2 ]
echo ok
