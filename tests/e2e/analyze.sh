#!/bin/sh
# analyze: a small scores table through `bonrun analyze`; checks the files,
# their header columns, the row counts, usage errors and a bad input line.
set -eu
cd "$TMP"
# 12 problems x 8 samples x 2 RMs, with ties and one missing score
awk 'BEGIN {
  print "problem_id,sample_id,rm,score,correct,answer"
  srand(3)
  for(p = 0; p < 12; p++)
    for(s = 0; s < 8; s++) {
      c = (rand() < 0.4) ? 1 : 0
      a = c ? "42" : int(rand() * 3)
      printf "q%d,%d,good,%.2f,%d,%s\n", p, s, c + rand() * 0.8, c, a
      if(p == 3 && s == 2) printf "q%d,%d,\"weak, rm\",,%d,%s\n", p, s, c, a
      else printf "q%d,%d,\"weak, rm\",%d,%d,%s\n", p, s, int(rand() * 3), c, a
    }
}' > scores.csv
"$BONRUN" analyze --scores scores.csv --out out --bootstrap 50 --seed 7 \
  --threads 2 > stdout.txt
cat stdout.txt
for f in curves.csv fits.csv gains.csv summary.json; do
  [ -s "out/$f" ] || { echo "missing out/$f"; exit 1; }
done
head -1 out/curves.csv | grep -qx 'rm,n,kl,kl_plugin,d,gold,gold_lo,gold_hi,proxy,proxy_lo,proxy_hi,oracle,oracle_lo,oracle_hi,gold_pess,gold_opt,majority,weighted_vote,tie_rate'
head -1 out/fits.csv | grep -qx 'rm,curve,form,alpha,alpha_se,beta,beta_se,r2,d_star,kl_star,n_star,r_star,gold0,points,extrap_kl,extrap_rmse,alpha_lo,alpha_hi,beta_lo,beta_hi,d_star_lo,d_star_hi,n_star_lo,n_star_hi'
head -1 out/gains.csv | grep -qx 'rm,problems,samples,gold1,goldN,delta,delta_lo,delta_hi,peak_gold,peak_n,auc,norm_gain,proxy_gap,tie_rate'
# grid 1 2 4 7 (one pool lost a score) for 2 RMs; 2 curves x 2 forms each
[ "$(wc -l < out/curves.csv)" -eq 9 ]
[ "$(wc -l < out/fits.csv)" -eq 9 ]
[ "$(wc -l < out/gains.csv)" -eq 3 ]
grep -q '^"weak, rm",7,' out/curves.csv
grep -q '"missing_scores": 1' out/summary.json
grep -q 'n > N/4' out/summary.json
grep -q '^good ' stdout.txt
# the same again with one thread: identical curves
"$BONRUN" analyze --scores scores.csv --out out1 --bootstrap 50 --seed 7 \
  --threads 1 -q
cmp out/curves.csv out1/curves.csv
cmp out/fits.csv out1/fits.csv
# --rm filter and an explicit grid
"$BONRUN" analyze --scores scores.csv --out out2 --rm good --n-grid 2,4 \
  --bootstrap 0 -q
[ "$(wc -l < out2/curves.csv)" -eq 4 ]
# usage errors exit 2, bad input exits 1 and names the line
set +e
"$BONRUN" analyze --out x 2>err.txt; [ $? -eq 2 ] || exit 1
"$BONRUN" analyze --scores scores.csv --out x --bootstrap -1 2>err.txt
[ $? -eq 2 ] || exit 1
printf 'problem_id,sample_id,rm,score,correct\np,1,a,0.5,1\np,2,a,oops,0\n' \
  > bad.csv
"$BONRUN" analyze --scores bad.csv --out x 2>err.txt; [ $? -eq 1 ] || exit 1
set -e
grep -q 'bad.csv:3:' err.txt
"$BONRUN" analyze --help | grep -q 'usage: bonrun analyze'

# ensembles and step aggregations are analysed as RMs: a table with a PRM
# (steps) and "good2", a copy of "good" under another name
awk 'BEGIN {
  print "problem_id,sample_id,rm,score,correct,steps"
  srand(5)
  for(p = 0; p < 10; p++)
    for(s = 0; s < 8; s++) {
      c = (rand() < 0.5) ? 1 : 0
      g = c + int(rand() * 4) / 2
      printf "q%d,%d,good,%.2f,%d,\n", p, s, g, c
      printf "q%d,%d,good2,%.2f,%d,\n", p, s, g, c
      printf "q%d,%d,prm,%.2f,%d,%.2f;%.2f\n", p, s, rand(), c,
        0.3 + 0.5 * c * rand(), rand()
    }
}' > prm.csv
"$BONRUN" analyze --scores prm.csv --out ens --bootstrap 40 --seed 3 \
  --steps min,last --ensemble 'self=mean:good,good2' \
  --ensemble 'mean:good,prm/min' -q 2>err.txt
grep -q standardised err.txt
# 3 table RMs + 2 aggregations + 2 ensembles, grid 1 2 4 8
[ "$(wc -l < ens/gains.csv)" -eq 8 ]
[ "$(wc -l < ens/curves.csv)" -eq 29 ]
[ "$(wc -l < ens/fits.csv)" -eq 29 ]
for rm in 'prm/min' 'prm/last' 'self' '"ens-mean(good,prm/min)"'; do
  grep -q "^$rm,10," ens/gains.csv || { echo "no gains row $rm"; exit 1; }
  grep -q "^$rm,gold,bon," ens/fits.csv || { echo "no fit row $rm"; exit 1; }
done
# the ensemble of good with (a copy of) itself has good's gold curve and
# intervals (columns 5-8: d, gold, gold_lo, gold_hi; 12-16: oracle .. opt)
grep '^good,' ens/curves.csv | cut -d, -f2,5-8,12-16 > a.txt
grep '^self,' ens/curves.csv | cut -d, -f2,5-8,12-16 > b.txt
[ -s a.txt ] && cmp a.txt b.txt
# the same with one thread
"$BONRUN" analyze --scores prm.csv --out ens1 --bootstrap 40 --seed 3 \
  --steps min,last --ensemble 'self=mean:good,good2' \
  --ensemble 'mean:good,prm/min' -q --threads 1 2>/dev/null
cmp ens/curves.csv ens1/curves.csv
cmp ens/fits.csv ens1/fits.csv
# errors: unknown member, unknown aggregation, steps without a steps column
set +e
"$BONRUN" analyze --scores prm.csv --out x --ensemble 'mean:good,nope' \
  2>err.txt; [ $? -eq 1 ] || exit 1
grep -q "no RM 'nope'" err.txt || exit 1
"$BONRUN" analyze --scores prm.csv --out x --steps bogus 2>err.txt
[ $? -eq 1 ] || exit 1
grep -q "bogus" err.txt || exit 1
"$BONRUN" analyze --scores scores.csv --out x --steps min 2>err.txt
[ $? -eq 1 ] || exit 1
grep -q "no steps column" err.txt || exit 1
set -e

# --curves: curves with their own KL (an RL run), both forms fitted
awk 'BEGIN {
  print "rm,kl,gold,proxy"
  for(i = 0; i < 9; i++) {
    kl = i * i / 4; d = sqrt(kl)
    printf "rl-a,%.12g,%.12g,%.12g\n", kl, 0.25 + d * (0.6 - 0.2 * d), 2 * d
    l = d > 0 ? log(d) : 0
    printf "rl-b,%.12g,%.12g,\n", kl, 0.1 + d * (0.3 - 0.25 * l)
  }
}' > curves.csv
"$BONRUN" analyze --curves curves.csv --out cv > cv.txt
grep -q '^rl-a ' cv.txt
head -1 cv/fits.csv | grep -q '^rm,curve,form,alpha,alpha_se,beta,beta_se,'
[ "$(wc -l < cv/fits.csv)" -eq 9 ]
# alpha and beta recovered (to 6 digits) by the matching form
awk -F, '$1 == "rl-a" && $2 == "gold" && $3 == "bon" {
  exit !($4 > 0.599999 && $4 < 0.600001 && $6 > 0.199999 && $6 < 0.200001) }' \
  cv/fits.csv
awk -F, '$1 == "rl-b" && $2 == "gold" && $3 == "rl" {
  exit !($4 > 0.299999 && $4 < 0.300001 && $6 > 0.249999 && $6 < 0.250001) }' \
  cv/fits.csv
grep -q '"curves": "curves.csv"' cv/summary.json
set +e
"$BONRUN" analyze --curves curves.csv --scores scores.csv --out x 2>err.txt
[ $? -eq 2 ] || exit 1
"$BONRUN" analyze --curves curves.csv --bootstrap 5 --out x 2>err.txt
[ $? -eq 2 ] || exit 1
grep -q -- '--bootstrap' err.txt || exit 1
printf 'rm,gold\na,1\n' > nokl.csv
"$BONRUN" analyze --curves nokl.csv --out x 2>err.txt; [ $? -eq 1 ] || exit 1
grep -q "nokl.csv:1: no column 'kl'" err.txt || exit 1
printf 'rm,kl,gold\na,0,1\na,1,2\na,-1,3\n' > neg.csv
"$BONRUN" analyze --curves neg.csv --out x 2>err.txt; [ $? -eq 1 ] || exit 1
grep -q "neg.csv:4: kl -1 is negative" err.txt || exit 1
printf 'rm,kl,gold\na,0,1\na,1,2\n' > few.csv
"$BONRUN" analyze --curves few.csv --out x 2>err.txt; [ $? -eq 1 ] || exit 1
grep -q "few.csv:2: rm 'a' has 2 points" err.txt || exit 1
set -e
# one problem: the bootstrap over problems is meaningless; warned on stderr
# and in summary.json (12 problems above: no such warning)
if grep -q 'only .* problem(s)' out/summary.json; then exit 1; fi
awk -F, 'NR == 1 || $1 == "q0"' scores.csv > one.csv
"$BONRUN" analyze --scores one.csv --out one --bootstrap 20 -q 2>err.txt
grep -q 'warning: only 1 problem(s): the bootstrap' err.txt
grep -q '"only 1 problem(s): the bootstrap' one/summary.json
echo ok
