#!/bin/sh
# e2e/runinfo: `bonrun run` writes RUN/run.json (stats/formats.md): the
# RMs by name, N, the problem count, sample counts that agree with
# samples.jsonl, the shard of a --shard run; the terminal warns exactly
# when more than 20 % of the completed samples have no extractable answer;
# report.md describes the run from run.json; run.json records the level of
# the intervals (analysis.level), and the report and figures state it.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$TMP"

# field FILE KEY: the number after "KEY": in a run.json
field() { sed -n "s/.*\"$2\":[[:space:]]*\([0-9]*\).*/\1/p" "$1" | head -1; }

# check_counts DIR ERRFILE: run.json's counts against samples.jsonl, and
# the terminal warning present exactly when the rule says so
check_counts() {
  j=$1/run.json
  [ -s "$j" ] || fail "$j missing"
  lines=$(wc -l < "$1/samples.jsonl")
  texts=$(grep -c '"text":' "$1/samples.jsonl" || true)
  empty=$(grep -c '"answer":""' "$1/samples.jsonl" || true)
  [ "$(field "$j" total)" -eq "$lines" ] || fail "total != $lines"
  [ "$(field "$j" completed)" -eq "$texts" ] || fail "completed != $texts"
  [ "$(field "$j" no_answer)" -eq "$empty" ] || fail "no_answer != $empty"
  [ "$(field "$j" errors)" -eq $((lines - texts)) ] || fail "errors"
  # every record says why it stopped (finish_reason): counted
  cut=$(grep -c '"finish_reason":"length"' "$1/samples.jsonl" || true)
  [ "$(field "$j" truncated)" -eq "$cut" ] || fail "truncated != $cut"
  if [ $((empty * 100)) -gt $((texts * 20)) ]; then
    grep -q "^bonrun: warning: $empty of $texts completed samples .* have \
no extractable final answer (more than 20%)" "$2" ||
      fail "no terminal warning for $empty of $texts without an answer"
  else
    ! grep -q 'no extractable final answer' "$2" ||
      fail "a warning for $empty of $texts without an answer"
  fi
}

# --- a simulated experiment: few samples without an answer, no warning
cat > sim.json <<'JSON'
{"name": "ri", "seed": 5, "output": "out/sim",
 "dataset": {"source": "sim", "problems": 12},
 "policy": {"backend": "sim", "samples": 8},
 "proxies": [{"name": "careful"}, {"name": "confident"},
             {"name": "coarse"}],
 "benchmarks": {"one_to_many": {"problems": 10},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}}
JSON
"$BONRUN" run sim.json 2> sim.err || { cat sim.err; fail "run sim.json"; }
J=out/sim/run.json
grep -Eq '"format":[[:space:]]*1,' $J || fail "format"
grep -Eq '"name":[[:space:]]*"ri"' $J || fail "name"
[ "$(field $J seed)" -eq 5 ] || fail "seed"
[ "$(field $J samples_per_problem)" -eq 8 ] || fail "N"
[ "$(field $J problems)" -eq 12 ] || fail "problems"
[ "$(field $J total)" -eq 96 ] || fail "total"
grep -Eq '"shard":[[:space:]]*null' $J || fail "shard null"
for rm in careful confident coarse; do
  grep -Eq "\"name\":[[:space:]]*\"$rm\"" $J || fail "rm $rm"
done
check_counts out/sim sim.err
L='- reward models (3): `careful` (sim), `confident` (sim), `coarse` (sim)'
grep -qxF -- "$L" out/sim/report.md || fail "report lists the RMs of run.json"
grep -q '^- problems: 12 (dataset: sim)$' out/sim/report.md ||
  fail "report problem count"
grep -q '^- benchmarks: one-to-many sim (10 problems); one-to-one none$' \
  out/sim/report.md || fail "report benchmarks"
cp $J run1.json
"$BONRUN" run sim.json 2>/dev/null
cmp run1.json $J || fail "a rerun changed run.json"
grep -Eq '"level":[[:space:]]*0.95,' $J || fail "level 0.95 by default"
grep -qF 'estimate [95% bootstrap interval]' out/sim/report.md ||
  fail "report at 95 %"

# --- analysis.level 0.9: every interval of the report and the figures
# says 90 %, none 95 %
sed -e 's|"output": "out/sim"|"output": "out/lv"|' \
    -e 's|"bootstrap": 20}|"bootstrap": 20, "level": 0.9}|' sim.json > lv.json
"$BONRUN" run lv.json 2> lv.err || { cat lv.err; fail "run lv.json"; }
grep -Eq '"level":[[:space:]]*0.9,' out/lv/run.json || fail "level 0.9"
R=out/lv/report.md
grep -qF 'Accuracies and gains: estimate [90% bootstrap interval].' $R ||
  fail "report table note at 90 %"
grep -qF 'when the 90% interval of Pearson r across RMs' $R ||
  fail "verdict rule at 90 %"
grep -qF "title '90% bootstrap band'" out/lv/plots/gold_vs_d.gp ||
  fail "gold_vs_d.gp at 90 %"
if grep -n '95%' $R out/lv/plots/*.gp; then fail "95 % at level 0.9"; fi

# --- problems whose reference has no final answer (proofs): the simulated
# policy answers them politely with none, so more than 20 % of the samples
# have no answer; the terminal and the report warn by the same rule
cat > ds.jsonl <<'EOF'
{"id": "p1", "question": "Prove that sqrt 2 is irrational.", "answer": "If sqrt 2 = p/q in lowest terms, p and q are both even."}
{"id": "p2", "question": "Show that there are infinitely many primes.", "answer": "Multiply them all and add one."}
{"id": "q3", "question": "Find x if 3x+4=19.", "answer": "5"}
EOF
cat > real.json <<'JSON'
{"name": "real", "seed": 3, "output": "out/real",
 "dataset": {"source": "file", "path": "ds.jsonl"},
 "policy": {"backend": "sim", "samples": 8},
 "proxies": [{"name": "careful"}, {"name": "confident"},
             {"name": "coarse"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}}
JSON
"$BONRUN" run real.json 2> real.err || { cat real.err; fail "run real"; }
check_counts out/real real.err
grep -q 'no extractable final answer' real.err ||
  fail "no terminal warning for the proofs"
grep -Eq '"path":[[:space:]]*"ds.jsonl"' out/real/run.json ||
  fail "dataset path"
grep -q '^> \*\*Warning:\*\* ' out/real/report.md ||
  fail "the terminal warned, the report did not"

# --- a shard says which one it is (it writes OUTPUT/shards/K-of-N)
"$BONRUN" run --shard 2/3 -o out/shard sim.json 2> shard.err ||
  { cat shard.err; fail "shard run"; }
S=out/shard/shards/2-of-3
grep -Eq '"k":[[:space:]]*2' $S/run.json || fail "shard k"
grep -Eq '"n":[[:space:]]*3' $S/run.json || fail "shard n"
[ "$(field $S/run.json problems)" -eq 4 ] || fail "shard problems"
check_counts $S shard.err
echo "runinfo e2e ok"
