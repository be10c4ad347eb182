#!/bin/sh
# e2e/rewardmath_dryrun: configs/rewardmath.json runs unchanged but for its
# size and ports against `bonrun serve --config`: the real model names of
# the policy and the four RMs (classifier, outcome, process, judge) are
# served, no 404 and no error record; the served policy answers the
# shipped problems around their references (serve reads the config's
# dataset), so samples have answers and some are right; every RM scores
# every sample, the process RM step by step; the benchmarks are read from
# dataset files (the RewardMATH sample of tests/data, RewardBench rows
# with a subset filter) and every RM gets its metrics; the report has the
# per-group gains of data_source and feature.level.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
# five free ports: let the system pick them, then free them again
ports=""
for i in 0 1 2 3 4; do
  start_server "free$i"
  ports="$ports $port"
done
stop_servers
set -- $ports
# RewardBench rows (allenai/reward-bench's shape): two math-prm pairs and
# one of another subset, which the config's subsets filter leaves out
cat > rb.jsonl <<'EOF'
{"prompt": "What is 2+3?", "chosen": "2 + 3 = 5.\n\nThe answer is 5.", "rejected": "2 + 3 = 6.\n\nThe answer is 6.", "subset": "math-prm", "id": 1}
{"prompt": "What is 4*5?", "chosen": "4 * 5 = 20.\n\nThe answer is 20.", "rejected": "4 * 5 = 25.\n\nThe answer is 25.", "subset": "math-prm", "id": 2}
{"prompt": "Say hi.", "chosen": "Hi!", "rejected": "No.", "subset": "xstest-should-respond", "id": 3}
EOF
sed -e 's|"runs/rewardmath"|"out/rm"|' \
    -e 's|"problems": 0|"problems": 24|' \
    -e "s|\"data/rewardmath/|\"$ROOT/data/rewardmath/|" \
    -e 's|"samples": 64|"samples": 4|' \
    -e 's|"n_per_request": 8|"n_per_request": 4|' \
    -e 's|"bootstrap": 1000|"bootstrap": 20|' \
    -e "s|\"bench/rewardmath.jsonl\"|\"$ROOT/tests/data/rewardmath/RewardMATH_direct.json\"|" \
    -e 's|"bench/rewardbench.jsonl"|"rb.jsonl"|' \
    -e "s|127.0.0.1:8000|127.0.0.1:$1|" -e "s|127.0.0.1:8001|127.0.0.1:$2|" \
    -e "s|127.0.0.1:8002|127.0.0.1:$3|" -e "s|127.0.0.1:8003|127.0.0.1:$4|" \
    -e "s|127.0.0.1:8004|127.0.0.1:$5|" \
    "$ROOT/configs/rewardmath.json" > rm.json
grep -q "127.0.0.1:$5" rm.json || fail "ports not rewritten"
grep -q '"problems": 24' rm.json || fail "size not rewritten"
start_server serve --config rm.json
test "$(wc -l < serve)" -eq 5 || { cat serve; fail "not listening on 5 ports"; }
"$BONRUN" run rm.json > run.out 2> run.err || { cat run.err; fail "dry run"; }
if grep -q '"error"' out/rm/samples.jsonl out/rm/scores.jsonl; then
  fail "error records"
fi
test "$(grep -c '"text"' out/rm/samples.jsonl)" -eq 96 || fail "96 samples"
! grep -q 'no extractable final answer' run.err ||
  fail "the served policy did not answer the real problems"
right=$(grep -c '"correct":true' out/rm/samples.jsonl || true)
test "$right" -gt 0 && test "$right" -lt 96 ||
  fail "$right of 96 samples right: expected some, not all"
for rm in skywork-llama3.1-8b internlm2-7b-reward math-shepherd \
          llama3-8b-judge; do
  test "$(grep -c "\"rm\":\"$rm\"" out/rm/scores.jsonl)" -ge 1 ||
    fail "$rm scored nothing"
  grep -q "^$rm," out/rm/analysis/gains.csv || fail "$rm not analysed"
done
# each distinct completion once per RM: scores.csv has every sample
test "$(grep -c ',math-shepherd,' out/rm/scores.csv)" -eq 96 ||
  fail "math-shepherd did not score every sample"
grep '"rm":"math-shepherd"' out/rm/scores.jsonl | grep -q '"steps":\[[^]]*,' ||
  fail "no step scores from the process RM"
grep -q '^data_source,MATH,' out/rm/analysis/groups/groups.csv ||
  fail "no data_source group"
grep -q '^feature.level,' out/rm/analysis/groups/groups.csv ||
  fail "no level groups"
grep -q '^## Gains by group$' out/rm/report.md || fail "report groups"
# the benchmarks: 2 RewardMATH problems of 1 + 9, 2 math-prm pairs
for rm in skywork-llama3.1-8b internlm2-7b-reward math-shepherd \
          llama3-8b-judge; do
  grep -q "^$rm,2,9," out/rm/benchmarks/one_to_many/benchmark.csv ||
    fail "no one-to-many metrics for $rm"
  grep -q "^$rm,2,1," out/rm/benchmarks/one_to_one/benchmark.csv ||
    fail "no one-to-one metrics for $rm"
done
[ -s out/rm/correlation/correlations.csv ] || fail "no correlation"
stop_servers
echo "rewardmath dry run ok"
