#!/bin/sh
# e2e/groups: the shipped RewardMATH best-of-n set (a JSON array with
# integer ids and nested fields) filtered and grouped by feature.level and
# data_source, end to end through `bonrun run` and the report:
# problems.jsonl records the groups; every group gets the usual analysis
# files, a row in groups.csv with the problem counts of the data file, and
# its gains in gains_by_group.csv; a group holding every problem gives
# exactly the run's own gains; the groups' gold@1 average back to the
# run's; small groups warn as the analysis does; a rerun skips the stage;
# dropping group_by removes the tables and the report section.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$TMP"
DATA="$ROOT/data/rewardmath/bon_problems.json"

cat > g.json <<JSON
{"name": "g", "seed": 7, "output": "out/g",
 "dataset": {"source": "file", "path": "$DATA", "problems": 0,
             "filter": {"data_source": ["MATH", "agieval_sat"]}},
 "policy": {"backend": "sim", "samples": 8},
 "proxies": [{"name": "careful"}, {"name": "confident"},
             {"name": "coarse"}],
 "benchmarks": {"one_to_many": {"problems": 20},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 50, "group_by": ["feature.level", "data_source"]}}
JSON
"$BONRUN" run g.json > g.out 2> g.err || { cat g.err; fail "run g.json"; }
R=out/g
[ "$(wc -l < $R/problems.jsonl)" -eq 601 ] || fail "601 problems kept"
grep -q '^{"problem_id":"0",.*"groups":{"feature.level":"2","data_source":"MATH"}}$' \
  $R/problems.jsonl || fail "problems.jsonl records the groups"
grep -q '"groups":{"feature.level":"(missing)","data_source":"agieval_sat"}' \
  $R/problems.jsonl || fail "a SAT problem has no level"

# groups.csv: the counts of the data file (levels exist on MATH only)
G=$R/analysis/groups/groups.csv
head -1 $G | grep -qx 'key,value,dir,problems,status,warnings' || fail "header"
for lv in 1 2 3 4 5; do
  want=$(grep -c "\"level\": $lv\$" "$DATA")
  grep -q "^feature.level,$lv,analysis/groups/feature.level/$lv,$want,ok," $G ||
    fail "level $lv: $want problems"
done
grep -q '^feature.level,(missing),analysis/groups/feature.level/_missing_,101,ok,' \
  $G || fail "the SAT problems are the (missing) level"
grep -q '^data_source,MATH,analysis/groups/data_source/MATH,500,ok,' $G ||
  fail "MATH group"
grep -q '^data_source,agieval_sat,analysis/groups/data_source/agieval_sat,101,ok,' \
  $G || fail "SAT group"
[ "$(wc -l < $G)" -eq 9 ] || fail "8 groups"
for d in feature.level/1 feature.level/5 feature.level/_missing_ \
         data_source/MATH; do
  for f in curves.csv fits.csv gains.csv summary.json; do
    [ -s "$R/analysis/groups/$d/$f" ] || fail "$d/$f"
  done
done
grep -q '"scores.csv (group feature.level = 5)"' \
  $R/analysis/groups/feature.level/5/summary.json || fail "summary input"

# gains_by_group.csv: every group's gains.csv, prefixed
B=$R/analysis/gains_by_group.csv
head -1 $B | grep -qx "key,value,$(head -1 $R/analysis/gains.csv)" ||
  fail "gains_by_group header"
[ "$(wc -l < $B)" -eq 25 ] || fail "8 groups x 3 RMs"
tail -n +2 $R/analysis/groups/feature.level/3/gains.csv | sed 's/^/feature.level,3,/' \
  > want3
grep '^feature.level,3,' $B | cmp - want3 || fail "level 3 rows"

# the per-level gold@1 (equal weight per problem) averages back to the
# run's gold@1
awk -F, 'NR > 1 && $1 == "careful" { print $4 }' $R/analysis/gains.csv > all
awk -F, -v all="$(cat all)" '
  NR > 1 && $1 == "feature.level" && $3 == "careful" { s += $4 * $6; n += $4 }
  END { d = s / n - all; if(d < 0) d = -d; exit !(n == 601 && d < 1e-9) }' \
  $B || fail "levels' gold@1 do not average to the run's $(cat all)"

# the report shows the groups
grep -q '^## Gains by group$' $R/report.md || fail "report section"
grep -q '^### feature\.level$' $R/report.md || fail "report key"
grep -q '^| value | problems | gold at n = 1 | careful | confident | coarse |$' \
  $R/report.md || fail "report table header"
grep -q '^| agieval\\_sat | 101 | ' $R/report.md || fail "report SAT row"

# a rerun skips the stage; a group of every problem is the run itself
"$BONRUN" run g.json 2> g2.err > /dev/null
grep -q '^groups  *up to date' g2.err || fail "rerun recomputed the groups"
cat > m.json <<JSON
{"name": "m", "seed": 7, "output": "out/m",
 "dataset": {"source": "file", "path": "$DATA", "problems": 0,
             "filter": {"data_source": "MATH"}},
 "policy": {"backend": "sim", "samples": 8},
 "proxies": [{"name": "careful"}, {"name": "confident"},
             {"name": "coarse"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 50, "group_by": "data_source",
              "ensembles": ["mean:careful,coarse"]},
 "plots": {"enabled": false}}
JSON
"$BONRUN" run m.json > /dev/null 2> m.err || { cat m.err; fail "run m.json"; }
cmp out/m/analysis/gains.csv out/m/analysis/groups/data_source/MATH/gains.csv ||
  fail "the one group's gains differ from the run's"
cmp out/m/analysis/curves.csv \
  out/m/analysis/groups/data_source/MATH/curves.csv || fail "curves differ"

# small groups warn as the analysis does
sed -e 's/"problems": 0,/"problems": 30,/' -e 's#out/g#out/s#' \
  -e 's/"name": "g"/"name": "s"/' g.json > s.json
"$BONRUN" run s.json > /dev/null 2> s.err || { cat s.err; fail "run s.json"; }
grep -q '^bonrun: warning: group feature.level = 1: only [0-9] problem(s): the bootstrap' \
  s.err || fail "no warning for a small group"
grep -q '^feature.level,1,[^,]*,[0-9],warning,".*only [0-9] problem(s)' \
  out/s/analysis/groups/groups.csv || fail "groups.csv status"
grep -q '^- \\\* 1 (' out/s/report.md || fail "report names the warned group"

# a field no problem has is an error before anything runs
sed -e 's/"feature.level"/"feature.levle"/' -e 's#out/g#out/bad#' \
  -e 's/"name": "g"/"name": "bad"/' g.json > bad.json
if "$BONRUN" run bad.json 2> bad.err; then fail "a misspelt key ran"; fi
grep -q 'analysis.group_by: no problem of .* has the field "feature.levle"' \
  bad.err || fail "bad key message: $(cat bad.err)"
[ ! -e out/bad ] || fail "something was written"

# without group_by, the tables and the report section go
sed 's/, "group_by": \["feature.level", "data_source"\]//' g.json > g3.json
"$BONRUN" run g3.json > /dev/null 2>&1 || fail "run without group_by"
[ ! -e $B ] && [ ! -e $G ] || fail "stale group tables"
! grep -q 'Gains by group' $R/report.md || fail "stale report section"
echo "groups e2e ok"
