#!/bin/sh
# e2e/replay: completions made elsewhere (policy backend "file") end to end
# through `bonrun run` and the report.  A previous run's samples.jsonl,
# renamed to other common keys and gzipped, replays into the very same
# gold verdicts, scores and analysis; a rerun reuses everything, and a
# completion edited in the file is judged and scored anew (only it).  A
# hand-written file with a problem missing, an extra problem and uneven
# counts runs with N = the fewest and says what it left out on the
# terminal, in run.json and in the report; asking for more than a problem
# has is an error before anything is written.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$TMP"

# field FILE KEY: the number after "KEY": in a run.json
field() { sed -n "s/.*\"$2\":[[:space:]]*\([0-9]*\).*/\1/p" "$1" | head -1; }

cat > ds.jsonl <<'EOF'
{"id": "p1", "question": "Find x if 2x+3=11.", "answer": "4"}
{"id": "p2", "question": "What is 7*8?", "answer": "56"}
{"id": "p3", "question": "Compute 3^4.", "answer": "81"}
{"id": "p4", "question": "What is 100-37?", "answer": "63"}
{"id": "p5", "question": "What is 12/4?", "answer": "3"}
{"id": "p6", "question": "What is 9+10?", "answer": "19"}
EOF
# cfg CONFIG NAME POLICY: a config on ds.jsonl with three sim RMs
cfg() {
  cat > "$1" <<JSON
{"name": "$2", "seed": 3, "output": "out/$2",
 "dataset": {"source": "file", "path": "ds.jsonl"},
 "policy": $3,
 "proxies": [{"name": "careful"}, {"name": "confident"},
             {"name": "coarse"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 30}}
JSON
}

# --- a run with the sim policy, then its samples replayed
cfg a.json a '{"backend": "sim", "samples": 8}'
"$BONRUN" run a.json > /dev/null 2> a.err || { cat a.err; fail "run a"; }
# another tool's key names, gzipped
sed -e 's/"problem_id":/"unique_id":/' -e 's/"text":/"output":/' \
    -e 's/"sample":/"sample_index":/' out/a/samples.jsonl | gzip -c > c.jsonl.gz
cfg b.json b '{"backend": "file", "path": "c.jsonl.gz"}'
"$BONRUN" run b.json > /dev/null 2> b.err || { cat b.err; fail "run b"; }
grep -q '^bonrun: replaying c.jsonl.gz: 48 completions of 6 problems; N = 8 (the fewest' \
  b.err || fail "replay line: $(cat b.err)"
! grep -q 'warning: .*completion' b.err || fail "a complete file warned"
for f in analysis/gains.csv analysis/curves.csv analysis/fits.csv \
         scores.csv; do
  cmp out/a/$f out/b/$f || fail "replayed $f differs"
done
# the same texts, seeds and verdicts (the store keys differ: another policy)
sed 's/^{"key":"[0-9a-f]*",//' out/a/samples.jsonl | sort > sa
sed 's/^{"key":"[0-9a-f]*",//' out/b/samples.jsonl | sort > sb
cmp sa sb || fail "samples.jsonl records differ"
grep -Eq '"samples":[[:space:]]*8' out/b/config.json ||
  fail "N is written to the resolved config"
grep -Eq '"n_rule":[[:space:]]*"fewest"' out/b/run.json || fail "n_rule"
[ "$(field out/b/run.json completions)" -eq 48 ] || fail "completions"
grep -q '^- completions replayed from `c.jsonl.gz`: 48 completions of 6 problems; N = 8 (the fewest of a problem)$' \
  out/b/report.md || fail "report replay line"

# a rerun reuses every sample and score
"$BONRUN" run b.json > /dev/null 2> b2.err
grep -q ' 0 new samples, 0 new scores,' b2.err || fail "rerun recomputed"
# one completion edited: it alone is replayed, judged and scored anew
gzip -dc c.jsonl.gz | sed '5s/"output":"/"output":"(edited) /' |
  gzip -c > c2.gz
mv c2.gz c.jsonl.gz
"$BONRUN" run b.json > /dev/null 2> b3.err
grep -q ' 1 new samples, 3 new scores,' b3.err ||
  fail "an edited completion: $(grep sample+score b3.err)"
grep -q '"text":"(edited) ' out/b/samples.jsonl || fail "edit not stored"

# --- by hand: p4 missing, zz not in the dataset, uneven counts, ids as
# integers of another key, no sample index (file order)
cat > h.jsonl <<'EOF'
{"problem_id": "p1", "completion": "2x = 8, so x = 4. The answer is $\\boxed{4}$."}
{"problem_id": "p1", "completion": "The answer is $\\boxed{5}$."}
{"problem_id": "p2", "completion": "7*8 = 56, so \\boxed{56}"}
{"problem_id": "p1", "completion": "x = 4"}
{"problem_id": "zz", "completion": "\\boxed{1}"}
{"problem_id": "p2", "completion": "\\boxed{54}"}
{"problem_id": "p3", "completion": "\\boxed{81}"}
{"problem_id": "p3", "completion": "3^4 = 27, \\boxed{27}"}
{"problem_id": "p5", "completion": "\\boxed{3}"}
{"problem_id": "p5", "completion": ""}
{"problem_id": "p6", "completion": "\\boxed{19}"}
{"problem_id": "p6", "completion": "\\boxed{91}"}
EOF
cfg h.json h '{"backend": "file", "path": "h.jsonl"}'
"$BONRUN" run h.json > /dev/null 2> h.err || { cat h.err; fail "run h"; }
grep -q '^bonrun: h: 5 problems x 2 samples' h.err || fail "5 problems, N = 2"
grep -q '^bonrun: warning: 1 of the dataset.s 6 problems has no completion in h.jsonl (first: "p4"): left out of the run$' \
  h.err || fail "missing problem not reported"
grep -q '^bonrun: warning: 1 completion of 1 problem not in the dataset (first: "zz") ignored$' \
  h.err || fail "extra problem not reported"
grep -q '^bonrun: warning: problems have from 2 to 3 completions: N = 2; 1 completion beyond N (of 1 problem) not used$' \
  h.err || fail "uneven counts not reported"
[ "$(wc -l < out/h/samples.jsonl)" -eq 10 ] || fail "10 samples"
! grep -q '"problem_id":"p4"' out/h/problems.jsonl || fail "p4 not left out"
grep -q '"problem_id":"p1","sample":0,.*"answer":"4","correct":true' \
  out/h/samples.jsonl || fail "p1 sample 0 judged"
grep -q '"problem_id":"p1","sample":1,.*"answer":"5","correct":false' \
  out/h/samples.jsonl || fail "p1 sample 1 judged"
! grep -q '"text":"x = 4"' out/h/samples.jsonl || fail "rank 2 used"
grep -q '"problem_id":"p5","sample":1,.*"text":"","answer":"","correct":false' \
  out/h/samples.jsonl || fail "an empty completion is a sample without answer"
J=out/h/run.json
[ "$(field $J problems_without)" -eq 1 ] || fail "run.json without"
[ "$(field $J unknown_completions)" -eq 1 ] || fail "run.json unknown"
[ "$(field $J dataset_problems)" -eq 6 ] || fail "run.json dataset"
[ "$(field $J unused)" -eq 1 ] || fail "run.json unused"
[ "$(field $J problems)" -eq 5 ] || fail "run.json problems"
"$BONRUN" plot out/h > /dev/null 2>&1 || fail "plot h"
grep -q '^- completions replayed from `h.jsonl`: 12 completions of 6 problems; N = 2 (the fewest of a problem); problems have 2 to 3 completions, 1 beyond N not used; \*\*1 of the dataset.s 6 problems has no completion and is left out\*\*; 1 completion of 1 problem not in the dataset ignored$' \
  out/h/report.md || fail "report: $(grep replayed out/h/report.md)"

# asking for more than a problem has stops before anything is written
cfg h3.json h3 '{"backend": "file", "path": "h.jsonl", "samples": 3}'
if "$BONRUN" run h3.json 2> h3.err; then fail "N = 3 ran"; fi
grep -q 'h3.json: policy.samples: 4 of 5 problems have fewer than N = 3 completions in h.jsonl (the fewest: 2, problem "p2"): set policy.samples to at most 2' \
  h3.err || fail "N error: $(cat h3.err)"
[ ! -e out/h3 ] || fail "an error wrote the run folder"
cfg h2.json h2 '{"backend": "file", "path": "h.jsonl", "samples": 2}'
"$BONRUN" run h2.json > /dev/null 2> h2.err || { cat h2.err; fail "h2"; }
grep -Eq '"n_rule":[[:space:]]*"policy.samples"' out/h2/run.json ||
  fail "n_rule policy.samples"
cmp out/h/scores.csv out/h2/scores.csv || fail "the same N, other scores"

# a bad record names file and line
printf '{"problem_id": "p1", "text": "a"}\n{"problem_id": "p1"}\n' > bad.jsonl
cfg bad.json bad '{"backend": "file", "path": "bad.jsonl"}'
if "$BONRUN" run bad.json 2> bad.err; then fail "a bad file ran"; fi
grep -q 'bad.json: policy.path: bad.jsonl:2: text field "text" is missing' \
  bad.err || fail "bad record: $(cat bad.err)"
echo "replay e2e ok"
