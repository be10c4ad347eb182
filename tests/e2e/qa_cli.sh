# QA regressions: mistakes a first-time user makes get one clear line, and
# small experiments (fewer than 3 RMs) still finish with a report.
set -eu
cd "$TMP"
cfg() { # OUTPUT NAME PROXIES
  printf '{"name": "%s", "output": "%s", "dataset": {"problems": 5},
 "policy": {"samples": 4}, "proxies": [%s],
 "benchmarks": {"one_to_many": {"problems": 10}, "one_to_one": {"pairs": 10}},
 "analysis": {"bootstrap": 20}}\n' "$2" "$1" "$3"
}
# one RM: no correlation (needs 3), everything else, exit 0
cfg out/one one '{"name": "careful"}' > one.json
"$BONRUN" run one.json > one.out 2> one.err
grep -q 'correlate *skipped: 1 RM' one.err
test -s out/one/report.md
test -s out/one/analysis/gains.csv
test ! -e out/one/correlation/correlations.csv
U='accuracy: undefined (only 1 RM has both the metric and a gain; a '
grep -qF "${U}correlation needs at least 3)." out/one/report.md
if grep -q 'run `bonrun correlate`' out/one/report.md; then exit 1; fi
# a key given twice is an error, not a silent pick
printf '{"proxies": [{"name": "a"}], "seed": 1, "seed": 2}\n' > dupkey.json
if "$BONRUN" run dupkey.json 2> dupkey.err; then exit 1; fi
grep -q 'dupkey.json: seed: key given twice' dupkey.err
printf '{"proxies": [{"name": "a", "check": 1, "check": 0}]}\n' > dupkey2.json
if "$BONRUN" run dupkey2.json 2> dupkey2.err; then exit 1; fi
grep -q 'proxies\[0\].check: key given twice' dupkey2.err
# an empty (or blank) config is named as such, not as invalid JSON
: > empty.json
if "$BONRUN" run empty.json 2> empty.err; then exit 1; fi
grep -q 'empty.json: empty file: expected a JSON object (see configs/README.md)' empty.err
printf ' \n\n' > blank.json
if "$BONRUN" run blank.json 2> blank.err; then exit 1; fi
grep -q 'blank.json: empty file: expected a JSON object' blank.err
if grep -q 'invalid JSON' blank.err; then exit 1; fi
# a bad N is shown as given
printf '{"proxies": [{"name": "a"}], "policy": {"samples": -3}}\n' > neg.json
if "$BONRUN" run neg.json 2> neg.err; then exit 1; fi
grep -q 'policy.samples: .*got -3$' neg.err
# an output inside another run, or over a run of another name, is refused
cfg out/one/analysis/x inner '{"name": "careful"}' > inner.json
if "$BONRUN" run inner.json 2> inner.err; then exit 1; fi
grep -q 'inside the run folder "out/one"' inner.err
test ! -e out/one/analysis/x
cfg out/one other '{"name": "careful"}' > other.json
if "$BONRUN" run other.json 2> other.err; then exit 1; fi
grep -q 'already holds the run "one"' other.err
grep -Eq '"name":[[:space:]]*"one"' out/one/config.json
# analyze: --steps listing an aggregation twice says so
printf 'problem_id,sample_id,rm,score,correct,steps\n' > st.csv
for p in 1 2 3; do for s in 1 2 3 4; do
  echo "p$p,$s,prm,0.$s,$((s % 2)),0.$p;0.$s" >> st.csv
done; done
if "$BONRUN" analyze -q --scores st.csv --out st --steps min,min \
   2> st.err; then exit 1; fi
grep -q "'prm/min' is already taken (list each step aggregation once" st.err
# analyze --curves: every point at one kl cannot be fitted
printf 'rm,kl,gold\nz,1,0.5\nz,1,0.6\nz,1,0.7\n' > samekl.csv
if "$BONRUN" analyze -q --curves samekl.csv --out sk 2> sk.err; then exit 1; fi
grep -q "samekl.csv:2: rm 'z' has points at one kl value" sk.err
# correlate: a constant metric is named as the reason for nan
printf 'rm,acc\na,1\nb,1\nc,1\nd,1\n' > xc.csv
printf 'rm,delta\na,0.1\nb,0.3\nc,0.2\nd,0.5\n' > y.csv
"$BONRUN" correlate --x xc.csv:acc --y y.csv:delta --out cc > c.out \
  2> c.err
grep -q 'x takes the same value for every RM' c.err
# ... the table on stdout says n/a (never "+nan"); the files keep nan
grep -q 'pearson  r   = n/a  \[n/a, n/a\]' c.out
if grep -v '^  note:' c.out | grep -qi 'nan'; then exit 1; fi
grep -q ',nan,' cc/correlations.csv
# analyze --rm with no match: no bogus line number
if "$BONRUN" analyze -q --scores st.csv --out r --rm zz 2> r.err; then
  exit 1; fi
grep -q '^bonrun analyze: st.csv: no rows left after the RM filter' r.err
# serve: a bad option value names the option and its range
rc=0; "$BONRUN" serve --port -1 2> sv.err || rc=$?
test "$rc" -eq 2
grep -q -- "--port: expected an integer from 0 to 65535, got '-1'" sv.err
