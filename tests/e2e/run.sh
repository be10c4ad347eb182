# bonrun run: a small offline experiment end to end, the rerun reuses
# everything, and bad configs fail with one line and write nothing.
set -eu
cd "$TMP"
cat > small.json <<'JSON'
{
  "name": "small",
  "seed": 7,
  "output": "out/small",
  "dataset": {"source": "sim", "problems": 24},
  "policy": {"backend": "sim", "samples": 8},
  "proxies": [{"name": "careful"}, {"name": "confident"}, {"name": "coarse"}],
  "benchmarks": {"one_to_many": {"problems": 20}, "one_to_one": {"pairs": 20}},
  "analysis": {"bootstrap": 50}
}
JSON
"$BONRUN" run small.json 2> run1.err
test -s out/small/config.json
test "$(wc -l < out/small/problems.jsonl)" -eq 24
test "$(wc -l < out/small/samples.jsonl)" -eq $((24 * 8))
# one record per key: identical completions of a problem share one
test "$(wc -l < out/small/scores.jsonl)" -le $((24 * 8 * 3))
test "$(sed 's/^{"key":"\([0-9a-f]*\)".*/\1/' out/small/scores.jsonl |
        sort | uniq -d | wc -l)" -eq 0
test "$(wc -l < out/small/scores.csv)" -eq $((24 * 8 * 3 + 1))
head -1 out/small/scores.csv | grep -q '^problem_id,sample_id,rm,score,correct,answer$'
test "$(wc -l < out/small/benchmarks/one_to_many/candidates.csv)" -eq $((20 * 10 * 3 + 1))
test "$(wc -l < out/small/benchmarks/one_to_one/candidates.csv)" -eq $((20 * 2 * 3 + 1))
grep -q '"proxies"' out/small/config.json
# every default is resolved into the written config
grep -Eq '"bootstrap":[[:space:]]*50' out/small/config.json
grep -Eq '"level":[[:space:]]*0.95' out/small/config.json
# the rerun computes nothing and rewrites identical records
cp out/small/samples.jsonl s1; cp out/small/scores.jsonl c1
"$BONRUN" run small.json 2> run2.err
grep -q '0 new samples, 0 new scores' run2.err
cmp s1 out/small/samples.jsonl
cmp c1 out/small/scores.jsonl
# growing N keeps the first samples and draws only the new ones
sed 's/"samples": 8/"samples": 10/' small.json > bigger.json
"$BONRUN" run bigger.json 2> run3.err
grep -q "$((24 * 2)) new samples" run3.err
# a torn last record (kill -9 mid-write) is cut off and redone
head -c -20 out/small/samples.jsonl > torn && cp torn out/small/samples.jsonl
"$BONRUN" run bigger.json 2> run4.err
grep -q '1 new samples' run4.err

# bad configs: exit 1, one line naming file and key, nothing written
fail() { # NAME JSON EXPECTED
  printf '%s\n' "$2" > "$1.json"
  if "$BONRUN" run "$1.json" > "$1.out" 2> "$1.err"; then
    echo "$1: should have failed"; exit 1
  fi
  rc=0; "$BONRUN" run "$1.json" 2>/dev/null || rc=$?
  test "$rc" -eq 1
  test "$(wc -l < "$1.err")" -eq 1 || { cat "$1.err"; exit 1; }
  grep -qF "$3" "$1.err" || { echo "$1: want '$3' in:"; cat "$1.err"; exit 1; }
  grep -qF "$1.json" "$1.err"
  test ! -e "out/$1"
}
fail typo '{"output":"out/typo","proxies":[{"name":"a"}],"polcy":{}}' \
  'polcy: unknown key (did you mean "policy"?)'
fail wrongtype '{"output":"out/wrongtype","proxies":[{"name":"a"}],"policy":{"samples":"many"}}' \
  'policy.samples: expected an integer'
fail missingfile '{"output":"out/missingfile","proxies":[{"name":"a"}],"dataset":{"source":"file","path":"nope.jsonl"}}' \
  'nope.jsonl'
fail badbackend '{"output":"out/badbackend","proxies":[{"name":"a","backend":"gpt5"}]}' \
  'proxies[0].backend: unknown backend "gpt5"'
fail badpolicy '{"output":"out/badpolicy","proxies":[{"name":"a"}],"policy":{"backend":"magic"}}' \
  'policy.backend: unknown backend "magic"'
fail simkey '{"output":"out/simkey","proxies":[{"name":"a","chek":0.5}]}' \
  'proxies[0].chek: unknown key (did you mean "check"?)'
fail dupname '{"output":"out/dupname","proxies":[{"name":"a"},{"name":"a"}]}' \
  'names must be unique'
fail badjson '{"output":"out/badjson", "proxies": [}' 'badjson.json:1:'
if "$BONRUN" run does-not-exist.json 2> nofile.err; then exit 1; fi
grep -q 'does-not-exist.json: cannot open' nofile.err
# usage errors exit 2
rc=0; "$BONRUN" run 2>/dev/null || rc=$?; test "$rc" -eq 2
rc=0; "$BONRUN" run --shard 3/2 small.json 2>/dev/null || rc=$?; test "$rc" -eq 2
rc=0; "$BONRUN" frobnicate 2>/dev/null || rc=$?; test "$rc" -eq 2
"$BONRUN" run --help | grep -q 'usage: bonrun run'
"$BONRUN" --version | grep -q '^bonrun [0-9]'

# problems from a JSON-lines file, with its own field names
head -5 out/small/problems.jsonl | sed 's/"question"/"problem"/; s/"answer"/"solution"/' > probs.jsonl
cat > fromfile.json <<'JSON'
{"output": "out/fromfile", "seed": 3,
 "dataset": {"source": "file", "path": "probs.jsonl", "id_key": "problem_id",
             "question_key": "problem", "answer_key": "solution"},
 "policy": {"samples": 4}, "proxies": [{"name": "careful"}, {"name": "noisy"}],
 "benchmarks": {"one_to_many": {"source": "none"}, "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
"$BONRUN" run -q fromfile.json
test "$(wc -l < out/fromfile/samples.jsonl)" -eq 20
grep -q '"problem_id":"sim-000004"' out/fromfile/samples.jsonl
test -s out/fromfile/analysis/curves.csv
test ! -e out/fromfile/benchmarks/one_to_many/benchmark.csv
# a line without the question field is named by file and line
printf '{"problem_id":"a","problem":"x","solution":"1"}\n{"problem_id":"b","solution":"2"}\n' > bad.jsonl
sed 's/probs.jsonl/bad.jsonl/; s#out/fromfile#out/bad#' fromfile.json > badfile.json
if "$BONRUN" run badfile.json 2> badfile.err; then exit 1; fi
grep -q 'bad.jsonl:2: question field "problem" is missing' badfile.err
test ! -e out/bad

# a JSON array (the RewardMATH best-of-n set) with a filter on a field
cat > bon.json <<JSON
{"output": "out/bon", "seed": 3,
 "dataset": {"source": "file", "path": "$ROOT/data/rewardmath/bon_problems.json",
             "filter": {"data_source": "agieval_sat"}, "problems": 12},
 "policy": {"samples": 2}, "proxies": [{"name": "careful"}],
 "benchmarks": {"one_to_many": {"source": "none"}, "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 0}, "plots": {"enabled": false}}
JSON
"$BONRUN" run -q bon.json
test "$(wc -l < out/bon/problems.jsonl)" -eq 12
test "$(wc -l < out/bon/samples.jsonl)" -eq 24
grep -q '"problem_id":"890"' out/bon/problems.jsonl ||
  { echo "first SAT problem id"; exit 1; }
# the sim policy answers real problems: around their references, some
# right and some wrong, none without an answer
! grep -q '"reason":"no answer"' out/bon/samples.jsonl ||
  { echo "sim policy left real problems unanswered"; exit 1; }
grep -q '"correct":true' out/bon/samples.jsonl &&
  grep -q '"correct":false' out/bon/samples.jsonl ||
  { echo "sim policy on real problems: all right or all wrong"; exit 1; }
# a bad filter is named by its key, before anything is written
sed 's/"data_source": "agieval_sat"/"data_source": {"x": 1}/; s#out/bon#out/badf#' bon.json > badf.json
if "$BONRUN" run badf.json 2> badf.err; then exit 1; fi
grep -q 'dataset.filter: data_source: expected a string' badf.err ||
  { echo "filter message: $(cat badf.err)"; exit 1; }
test ! -e out/badf

# the full run writes figures and a report; `bonrun plot` alone redraws
# them byte for byte
test -s out/small/report.md
grep -q 'Verdict' out/small/report.md
for f in gold_vs_d gold_vs_n proxy_vs_d bench_vs_gain corr_heatmap; do
  test -s "out/small/plots/$f.png"
  test -s "out/small/plots/$f.gp"
done
md5sum out/small/plots/*.png out/small/report.md > sums
"$BONRUN" plot out/small > /dev/null 2>&1
md5sum -c --quiet sums

# a `file` benchmark with a malformed problem: the message says what is
# wrong (file, line, problem) and how to fix it in config terms -- not a
# command-line option `run` does not take
{ echo problem_id,sample_id,rm,score,correct
  printf '%s\n' q1,a,careful,0.9,1 q1,b,careful,0.2,0 q2,a,careful,0.9,1 \
    q2,b,careful,0.2,1; } > otm.csv
cat > filebench.json <<'JSON'
{"output": "out/filebench", "seed": 3,
 "dataset": {"source": "sim", "problems": 6},
 "policy": {"samples": 4}, "proxies": [{"name": "careful"}],
 "benchmarks": {"one_to_many": {"source": "file", "path": "otm.csv"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 0}, "plots": {"enabled": false}}
JSON
if "$BONRUN" run -q filebench.json 2> filebench.err; then exit 1; fi
grep -q "otm.csv:4: problem 'q2' has 2 correct candidates" filebench.err
grep -q 'benchmarks.one_to_many.source' filebench.err
if grep -q -- '--skip-bad' filebench.err; then
  echo "run advises an option it does not take:"; cat filebench.err; exit 1
fi
