#!/bin/sh
# bonrun import on the official RewardMATH result files
# (tests/data/rewardmath/results/), then bench and correlate on the
# imported tables: the official scorer's figures, and r = 0.5468 over the
# 13 RMs of both benchmarks with no hand filtering (process RMs by prod).
set -eu
cd "$TMP"
R="$ROOT/tests/data/rewardmath/results"

$BONRUN import --help | grep -q 'usage: bonrun import rewardmath'
$BONRUN --help | grep -q '^  import '
$BONRUN import --list-names >names.txt
grep -q '^internlm2_20b  *internlm2-20b-reward$' names.txt
grep -q '^internlm2-20b  *internlm2-20b-reward$' names.txt

$BONRUN import rewardmath "$R"/RewardMATH/*.json.gz --out rm.csv \
  >imp.txt 2>imp.err
$BONRUN import rewardbench "$R"/Rewardbench/*.json.gz --out rb.jsonl \
  -q >/dev/null 2>rb.err
head -1 rm.csv | grep -q '^problem_id,sample_id,rm,score,correct,steps,kind$'
[ "$(wc -l <rm.csv)" -eq 149731 ]   # 31 RMs x 483 problems x 10
grep -q 'wrote rm.csv: 149730 rows, 31 RMs, 483 problems' imp.txt
grep -q '^gpt-4-0125-preview-pairwise  *pairwise  *483  *4830' imp.txt
grep -q '^math-shepherd-mistral-7b-prm  *steps ' imp.txt
# the quirks, counted
grep -q 'repeated problem records dropped.*chatgpt_reward.json.gz 2, gpt4_reward.json.gz 2, gpt4o_reward.json.gz 2' imp.err
grep -q 'null verdicts.*losses.*gpt4_pairwise_reward.json.gz 35' imp.err
grep -q 'empty generator labels.*1 in each of the 31 files' imp.err
grep -q 'LABEL#2.*147 in each of the 31 files' imp.err
grep -q '4 RMs with step scores only' imp.err
# one model, one name in both benchmarks
for rm in internlm2-20b-reward GRM-Gemma-2B Skywork-Reward-Llama-3.1-8B \
          math-shepherd-mistral-7b-prm; do
  grep -q ",$rm," rm.csv
  grep -q "\"rm\":\"$rm\"" rb.jsonl
done

# the official figures: no --pairwise, no --steps
$BONRUN bench --scores rm.csv --bootstrap 0 --out rmb -q 2>bench.err
$BONRUN bench --scores rb.jsonl --bootstrap 0 --out rbb -q 2>/dev/null
pct() { # RM COLUMN: the figure in % with 2 decimals
  awk -F, -v rm="$1" -v col="$2" 'NR == 1 { for(i = 1; i <= NF; i++)
    if($i == col) c = i } $1 == rm { printf "%.2f\n", 100 * $c }' \
    rmb/benchmark.csv
}
[ "$(pct internlm2-7b-reward accuracy)" = 37.27 ]
[ "$(pct internlm2-7b-reward mrr)" = 55.17 ]
[ "$(pct math-shepherd-mistral-7b-prm/prod accuracy)" = 17.18 ]
[ "$(pct math-shepherd-mistral-7b-prm/prod mrr)" = 34.68 ]
[ "$(pct gpt-4-0125-preview-pairwise accuracy)" = 29.81 ]
[ "$(pct gpt-4-0125-preview-pairwise mrr)" = 51.92 ]
grep -q '^gpt-4-0125-preview-pairwise,.*,pairwise$' rmb/benchmark.csv
grep -q '^math-shepherd-mistral-7b-prm/prod,.*,steps$' rmb/benchmark.csv
# a process RM is never an RM of its own
if grep -q '^math-shepherd-mistral-7b-prm,' rmb/benchmark.csv rbb/benchmark.csv
then exit 1; fi
grep -q 'math-shepherd-mistral-7b-prm as math-shepherd-mistral-7b-prm/prod' \
  bench.err
[ "$(wc -l <rmb/benchmark.csv)" -eq 32 ]
[ "$(wc -l <rbb/benchmark.csv)" -eq 14 ]
# --pairwise still works, and says the same
$BONRUN bench --scores rm.csv --bootstrap 0 --out pw -q \
  --rm gpt-4-0125-preview-pairwise --pairwise gpt-4-0125-preview-pairwise \
  2>/dev/null
[ "$(sed -n 2p pw/benchmark.csv)" = \
  "$(grep '^gpt-4-0125-preview-pairwise,' rmb/benchmark.csv)" ]

# r over the 13 RMs of both benchmarks, no filtering
$BONRUN correlate --x rmb/benchmark.csv:accuracy \
  --y rbb/benchmark.csv:accuracy --out c >corr.txt 2>corr.err
awk -F, 'NR == 2 { printf "%s %.4f %.4f %.4f\n", $3, $4, $9, $13 }' \
  c/correlations.csv >fig.txt
[ "$(cat fig.txt)" = "13 0.5468 0.5227 0.4000" ]
grep -q '18 RMs only in rmb/benchmark.csv' corr.err
grep -q 'verdict: .*inconclusive, no evidence either way across 13 RMs (Pearson r = 0.55, 95% CI \[-0.01, 0.84\], which includes 0)' corr.txt
grep -q '"verdict":[[:space:]]*"inconclusive"' c/correlation.json
if grep -q 'not predict' corr.txt; then exit 1; fi

# benchmark.csv files from before the rule, with the process RMs' own rows
# (accuracy 0, every score missing): those rows are left out with a
# warning, not correlated (they made r = 0.793)
for f in rmb rbb; do
  mkdir -p old$f
  cp $f/benchmark.csv old$f/
  awk -F, -v OFS=, '$1 ~ /\/prod$/ { sub(/\/prod$/, "", $1); $4 = 0;
    $13 = $2 * ($3 + 1); print }' $f/benchmark.csv >>old$f/benchmark.csv
done
[ "$(wc -l <oldrbb/benchmark.csv)" -eq 18 ]
$BONRUN correlate --x oldrmb/benchmark.csv:accuracy \
  --y oldrbb/benchmark.csv:accuracy --out oc >/dev/null 2>oc.err
grep -q '4 RMs without a single score (a process RM enters as its step aggregations, e.g. RM/prod), dropped: ' oc.err
[ "$(cut -d, -f3- c/correlations.csv)" = \
  "$(cut -d, -f3- oc/correlations.csv)" ]

# --exclude and --rm
$BONRUN correlate --x rmb/benchmark.csv:accuracy \
  --y rbb/benchmark.csv:accuracy --exclude GRM-Gemma-2B --out ex \
  >/dev/null 2>ex.err
awk -F, 'NR == 2 { printf "%s %.3f\n", $3, $4 }' ex/correlations.csv \
  >ex.txt
[ "$(cat ex.txt)" = "12 0.728" ]   # the leave-one-out figure of the 13
$BONRUN correlate --x rmb/benchmark.csv:accuracy \
  --y rbb/benchmark.csv:accuracy --rm internlm2-7b-reward \
  --rm ArmoRM-Llama3-8B-v0.1 --rm beaver-7b-v2.0-reward --rm nosuch \
  --out sel >/dev/null 2>sel.err
[ "$(awk -F, 'NR == 2 { print $3 }' sel/correlations.csv)" = 3 ]
grep -q "selected RM 'nosuch' is in none of the tables" sel.err
if grep -q 'only in' sel.err; then exit 1; fi

# errors name the file and what to do
if $BONRUN import rewardmath "$R"/Rewardbench/rewardbench_beaver.json.gz \
     --out x.csv 2>e1.txt; then exit 1; fi
grep -q 'rewardbench_beaver.json.gz: 2 candidates per problem: a RewardBench file, not RewardMATH (use bonrun import rewardbench for it)' e1.txt
[ ! -f x.csv ]
if $BONRUN import rewardbench "$R"/RewardMATH/beaver_reward.json.gz \
     --out x.csv 2>e2.txt; then exit 1; fi
grep -q 'beaver_reward.json.gz: more than 2 candidates per problem' e2.txt
mkdir -p copy
cp "$R"/RewardMATH/beaver_reward.json.gz copy/
cp "$R"/RewardMATH/beaver_reward.json.gz b2.json.gz
if $BONRUN import rewardmath "$R"/RewardMATH/beaver_reward.json.gz \
     copy/beaver_reward.json.gz --out x.csv 2>e3.txt; then exit 1; fi
grep -q "both give RM 'beaver-7b-v2.0-reward'; name one of them with --name FILE=NAME" e3.txt
$BONRUN import rewardmath "$R"/RewardMATH/beaver_reward.json.gz \
  copy/beaver_reward.json.gz --name copy/beaver_reward.json.gz=beaver-copy \
  --out x.csv -q 2>/dev/null
grep -q '^p[0-9a-f]*,human_to_GPT-4,beaver-copy,' x.csv
grep -q '^p[0-9a-f]*,human_to_GPT-4,beaver-7b-v2.0-reward,' x.csv
if $BONRUN import rewardmath b2.json.gz --name nope=x --out x.csv \
     2>e4.txt; then exit 1; fi
grep -q "no file 'nope' among those given" e4.txt
# a file whose candidates differ from the first one's
printf '[{"problem":"q","solution_reference":["human_to_GPT-4","g1","g2"],"score":[1,2,3]}]\n' >small.json
if $BONRUN import rewardmath b2.json.gz small.json --out x.csv \
     2>e5.txt; then exit 1; fi
grep -q "small.json: problem p[0-9a-f]*, candidate 'human_to_GPT-4' is not in b2.json.gz; every file must hold the same candidates" e5.txt
if $BONRUN import mathbench b2.json.gz --out x.csv 2>e6.txt; then exit 1; fi
grep -q "'mathbench': expected rewardmath or rewardbench" e6.txt
# the TSV and JSON lines writers give the same benchmark
$BONRUN import rewardmath b2.json.gz --out t.tsv -q 2>/dev/null
$BONRUN import rewardmath b2.json.gz --out t.jsonl -q 2>/dev/null
$BONRUN import rewardmath b2.json.gz --out t.csv -q 2>/dev/null
for f in tsv jsonl csv; do
  $BONRUN bench --scores t.$f --bootstrap 0 --out b$f -q 2>/dev/null
done
cmp btsv/benchmark.csv bcsv/benchmark.csv
cmp bjsonl/benchmark.csv bcsv/benchmark.csv
echo ok
