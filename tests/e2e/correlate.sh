#!/bin/sh
# bonrun correlate on small tables: figures, files, joins and errors.
set -eu
cd "$TMP"

cat > bench.csv <<'CSV'
rm,accuracy,mrr
rmA,0.6,0.7
rmB,0.4,0.55
rmC,0.8,0.85
rmD,0.3,0.5
rmE,0.7,0.8
rmQ,0.1,x
CSV
cat > gains.csv <<'CSV'
rm,delta,auc
rmA,0.05,0.02
rmB,0.02,0.01
rmC,0.09,0.05
rmD,0.01,nan
rmE,0.07,0.04
rmZ,0.01,0.01
CSV

$BONRUN correlate --help | grep -q 'usage: bonrun correlate'
$BONRUN correlate --x bench.csv:accuracy --y gains.csv:delta \
  --y gains.csv:auc --out c >out.txt 2>err.txt
[ -f c/correlation.json ] && [ -f c/correlations.csv ]
head -1 c/correlations.csv | grep -q \
  '^x,y,n,pearson,pearson_lo,pearson_hi,pearson_p,r2,spearman,spearman_lo,spearman_hi,spearman_p,kendall,kendall_lo,kendall_hi,kendall_p'
# monotone data: rho = tau = 1; exact permutation p = 2/5! = 1/60
grep -q '^bench.csv:accuracy,gains.csv:delta,5,0.99[0-9]*,[^,]*,[^,]*,[^,]*,[^,]*,1,1,1,0.01666666667,1,1,1,0.01666666667,' c/correlations.csv
grep -q '^bench.csv:accuracy,gains.csv:auc,4,' c/correlations.csv
grep -q 'only in bench.csv, dropped: rmQ' err.txt
grep -q 'only in gains.csv, dropped: rmZ' err.txt
grep -q 'nan value, dropped: rmD' err.txt
grep -q 'intervals are wide with few RMs' out.txt
grep -q '"exact":[[:space:]]*true' c/correlation.json
grep -q '"tau_b":[[:space:]]*1' c/correlation.json

# deterministic for a seed
$BONRUN correlate --x bench.csv:accuracy --y gains.csv:delta --y \
  gains.csv:auc --out c2 >/dev/null 2>&1
cmp c/correlations.csv c2/correlations.csv

# n > 8: Monte Carlo permutations
{
  echo "rm,x,y"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    echo "m$i,$i,$(( (i * 7) % 13 ))"
  done
} > big.csv
$BONRUN correlate --x big.csv:x --y big.csv:y --permutations 2000 \
  --bootstrap 100 --out b >/dev/null 2>&1
grep -q '"exact":[[:space:]]*false' b/correlation.json
grep -q '"orders":[[:space:]]*2000' b/correlation.json
grep -q '"warning":[[:space:]]*null' b/correlation.json

# errors name the file and column
if $BONRUN correlate --x bench.csv:nope --y gains.csv:delta 2>e.txt; then
  exit 1; fi
grep -q "bench.csv: no column 'nope' (the columns are: rm, accuracy, mrr)" e.txt
if $BONRUN correlate --x bench.csv:mrr --y gains.csv:delta 2>e.txt; then
  exit 1; fi
grep -q "bench.csv:7: column 'mrr' of RM 'rmQ': 'x' is not a number" e.txt
printf 'rm,v\na,1\nb,2\nzz,3\n' > few.csv
if $BONRUN correlate --x few.csv:v --y gains.csv:delta 2>e.txt; then
  exit 1; fi
grep -q 'needs at least 3' e.txt
if $BONRUN correlate --x nofile.csv:v --y gains.csv:delta 2>e.txt; then
  exit 1; fi
grep -q 'nofile.csv' e.txt
printf 'name,v\na,1\n' > norm.csv
if $BONRUN correlate --x norm.csv:v --y gains.csv:delta 2>e.txt; then
  exit 1; fi
grep -q "norm.csv: no 'rm' column" e.txt
# the verdict: the gains' intervals (delta_lo, delta_hi) are part of it
awk 'BEGIN { print "rm,accuracy"
  for(i = 1; i <= 12; i++) printf "m%d,%.2f\n", i, 0.1 + i / 20 }' > vb.csv
awk 'BEGIN { print "rm,delta,delta_lo,delta_hi,flat"
  for(i = 1; i <= 12; i++)
    printf "m%d,%.2f,%.2f,%.2f,0.5\n", i, 0.1 + i / 100, 0.08 + i / 100,
           0.12 + i / 100 }' > vg.csv
$BONRUN correlate --x vb.csv:accuracy --y vg.csv:delta --out v >v.txt \
  2>/dev/null
grep -q 'verdict: vb.csv:accuracy predicts vg.csv:delta across 12 RMs (Pearson r = 1.00, 95% CI \[1.00, 1.00\]), and the gains differ beyond their bootstrap noise (the intervals of m12 and m1 do not overlap).' v.txt
grep -q '"verdict":[[:space:]]*"predicts"' v/correlation.json
grep -q '"y_intervals":[[:space:]]*true' v/correlation.json
# gains within each other's noise: inconclusive, not "predicts"
awk -F, -v OFS=, 'NR > 1 { $3 = 0; $4 = 0.9 } { print }' vg.csv > vn.csv
$BONRUN correlate --x vb.csv:accuracy --y vn.csv:delta >vn.txt 2>/dev/null
grep -q 'verdict: vb.csv:accuracy: inconclusive across 12 RMs (Pearson r = 1.00.*, but the gains do not differ beyond their bootstrap noise' vn.txt
# a constant y: undefined, and why
$BONRUN correlate --x vb.csv:accuracy --y vg.csv:flat >vf.txt 2>/dev/null
grep -q 'verdict: vb.csv:accuracy: undefined (Pearson r is not a number: the gain is the same for every RM).' vf.txt
if grep -q 'r = 0.00' vf.txt; then exit 1; fi
# --exclude and --rm pick the RMs
$BONRUN correlate --x bench.csv:accuracy --y gains.csv:delta \
  --exclude rmA --out ex >/dev/null 2>&1
grep -q '^bench.csv:accuracy,gains.csv:delta,4,' ex/correlations.csv
$BONRUN correlate --x bench.csv:accuracy --y gains.csv:delta --rm rmA \
  --rm rmB --rm rmC --out sel >/dev/null 2>sel.txt
grep -q '^bench.csv:accuracy,gains.csv:delta,3,' sel/correlations.csv
if grep -q 'only in' sel.txt; then exit 1; fi
set +e
$BONRUN correlate --x bench.csv:accuracy 2>/dev/null
rc=$?
set -e
[ "$rc" -eq 2 ]
echo ok
