#!/bin/sh
# e2e/plot: `bonrun plot` on the hand-made run in tests/data/plotrun/.
# Every figure gets its .dat, .gp and image of the requested format, gnuplot
# prints no warning, report.md has the table, the verdict and the run as
# run.json describes it, a second run gives identical bytes, the scripts
# rerun by hand, absent inputs are skipped with a note (a run without
# run.json too), a broken run.json costs one line, the no-answer warning
# and the verdict's rule hold on small fixtures, many RMs and hostile RM
# names work; the level of the intervals comes from run.json (90 % said
# everywhere; 95 % said or not gives the same bytes); a pairwise judge's
# benchmark metrics get their own table and stay out of the verdict.
set -eu
FIGS="gold_vs_d proxy_vs_d gold_vs_n bench_vs_gain corr_heatmap"
. "$ROOT/tests/e2e/lib.sh"

fresh() { # fresh copy of the fixture in $TMP/$1
  rm -rf "$TMP/$1"
  cp -r "$ROOT/tests/data/plotrun" "$TMP/$1"
  rm -f "$TMP/$1/make_fixture.py"
}

# magic FILE EXT: the image is non-empty and of its format
magic() {
  [ -s "$1" ] || fail "$1 is missing or empty"
  case $2 in
  png) [ "$(od -An -c -N4 "$1" | tr -d ' ')" = '211PNG' ] ||
         fail "$1 is not a PNG" ;;
  svg) grep -q '<svg' "$1" || fail "$1 is not an SVG" ;;
  pdf) [ "$(head -c 5 "$1")" = '%PDF-' ] || fail "$1 is not a PDF" ;;
  esac
}

# check_run DIR EXT: figures, scripts, data, report of a finished run
check_run() {
  for f in $FIGS; do
    [ -s "$1/plots/$f.dat" ] || fail "$f.dat missing"
    [ -s "$1/plots/$f.gp" ] || fail "$f.gp missing"
    magic "$1/plots/$f.$2" "$2"
    grep -q "set output '$f.$2'" "$1/plots/$f.gp" || fail "$f.gp output"
    grep -q "'$f.dat'" "$1/plots/$f.gp" || fail "$f.gp does not read $f.dat"
    grep -q "$f.$2" "$1/report.md" || fail "report.md lacks a link to $f.$2"
  done
}

# --- png, strict: no gnuplot warnings at all
fresh run
"$BONRUN" plot --strict "$TMP/run" >"$TMP/out" 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "bonrun plot exited $?"; }
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "stderr not empty"; }
grep -q '^5 figures' "$TMP/out" || fail "summary line: $(cat "$TMP/out")"
check_run "$TMP/run" png
R="$TMP/run/report.md"
grep -q '^| RM | one-to-many accuracy | one-to-one accuracy | gain at n = 64' \
  "$R" || fail "report table header"
grep -q '^| skywork\\_v2 | 0.620 \[0.565, 0.675\] | 0.710 \[0.660, 0.760\]' \
  "$R" || fail "report table row"
grep -q "^| Ana's RM, \"big\" |" "$R" || fail "report row with quotes"
V='One-to-many accuracy predicts the BoN gain across 4 RMs (Pearson r = '
V="${V}1.00, 95% CI [0.96, 1.00]), and the gains differ beyond their "
V="${V}bootstrap noise (the intervals of skywork\\_v2 and prm/min do not "
V="${V}overlap). One-to-one accuracy: inconclusive, no evidence either way "
V="${V}across 4 RMs (Pearson r = 0.28, 95% CI [-0.93, 0.98], which includes "
V="${V}0). With only 4 RMs the intervals of r are wide"
grep -qF "$V" "$R" || fail "verdict sentence"
grep -q '^How the verdict is reached: a metric \*predicts\*' "$R" ||
  fail "the verdict's rule"
! grep -q 'does not predict' "$R" || fail "'does not' from a wide interval"
# the run from run.json: RMs by the names the tables use, not their models
grep -q '^- name: plot-fixture$' "$R" || fail "run name"
grep -qF -- '- problems: 500 (dataset: file `data/math500.jsonl`)' "$R" ||
  fail "run problems"
grep -q '^- samples per problem (N): 256$' "$R" || fail "run N"
grep -qF -- '- policy: openai (`Qwen/Qwen2.5-Math-7B-Instruct`)' "$R" ||
  fail "run policy"
RMS='- reward models (4): `skywork_v2` (vllm-classify, '
RMS="$RMS"'`Skywork/Skywork-Reward-V2-Llama-3.1-8B`), `internlm2-7b` ('
grep -qF -- "$RMS" "$R" || fail "run RMs"
S='- samples: 128000 drawn, 127988 completed, 1536 with no extractable '
S="${S}answer (1.2% of the completed), 12 failed"
grep -qxF -- "$S" "$R" || fail "run samples"
! grep -q 'Warning' "$R" || fail "a no-answer warning at 1.2%"
# peaks: prm/min overoptimizes (n* about 3.9), skywork peaks beyond n = 64
grep -q "prm/min (peak n\* ≈ 3.9)" "$TMP/run/plots/gold_vs_d.gp" ||
  fail "peak of prm/min"
grep -q "skywork_v2 (peak n\* > 64)" "$TMP/run/plots/gold_vs_d.gp" ||
  fail "peak beyond the grid"
grep -q "x2tics ('1' 0, '2' 0.439" "$TMP/run/plots/gold_vs_d.gp" ||
  fail "n on the upper axis"
# the RM label with an apostrophe is quoted for gnuplot
grep -qF "'Ana''s RM, \"big\"'" "$TMP/run/plots/bench_vs_gain.gp" ||
  fail "gnuplot quoting of RM names"

# --- second run: identical bytes
cp -r "$TMP/run" "$TMP/run1"
"$BONRUN" plot --strict "$TMP/run" >/dev/null 2>&1 || fail "second run"
diff -r "$TMP/run1" "$TMP/run" || fail "second run differs"

# --- the level of the intervals: run.json's, in the report and in every
# script; none left at 95 %
fresh lv90
sed 's/"shard": null/"shard": null, "level": 0.9/' \
  "$ROOT/tests/data/plotrun/run.json" > "$TMP/lv90/run.json"
"$BONRUN" plot --strict "$TMP/lv90" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "plot at level 0.9"; }
R9="$TMP/lv90/report.md"
P9="$TMP/lv90/plots"
for s in 'Accuracies and gains: estimate [90% bootstrap interval].' \
         'across 4 RMs (Pearson r = 1.00, 90% CI [0.96, 1.00])' \
         'when the 90% interval of Pearson r across RMs excludes 0' \
         'per RM, with 90% bootstrap bands, the fitted' \
         'every gain metric, with 90% intervals.'; do
  grep -qF -- "$s" "$R9" || fail "report.md at 90 % lacks: $s"
done
grep -qF "title '90% bootstrap band'" "$P9/gold_vs_d.gp" || fail "gold_vs_d"
grep -qF "title '90% bootstrap band'" "$P9/gold_vs_n.gp" || fail "gold_vs_n"
grep -qF "title '90% bootstrap bands'" "$P9/proxy_vs_d.gp" || fail "proxy_vs_d"
grep -qF "'RMs (bars: 90% intervals)'" "$P9/bench_vs_gain.gp" ||
  fail "bench_vs_gain bars"
grep -qF "'4 RMs, 90% intervals (few RMs" "$P9/bench_vs_gain.gp" ||
  fail "bench_vs_gain key"
grep -qF "Pearson r [90% interval]'" "$P9/corr_heatmap.gp" ||
  fail "corr_heatmap title"
if grep -n '95%' "$R9" "$P9"/*.gp; then fail "95 % left at level 0.9"; fi
# 95 % said in run.json or not (an old run): the same bytes
fresh lv95
sed 's/"shard": null/"shard": null, "level": 0.95/' \
  "$ROOT/tests/data/plotrun/run.json" > "$TMP/lv95/run.json"
"$BONRUN" plot --strict "$TMP/lv95" >/dev/null 2>&1 || fail "level 0.95"
diff -r -x run.json "$TMP/run1" "$TMP/lv95" || fail "0.95 given differs"
# a level that is no level is named, and the outputs say 95 %
fresh lvbad
sed 's/"shard": null/"shard": null, "level": 95/' \
  "$ROOT/tests/data/plotrun/run.json" > "$TMP/lvbad/run.json"
"$BONRUN" plot "$TMP/lvbad" >/dev/null 2>"$TMP/err" || fail "bad level"
grep -qF 'level: expected a number between 0 and 1, got a number' \
  "$TMP/err" || fail "bad level not named: $(cat "$TMP/err")"
grep -qF "title '95% bootstrap band'" "$TMP/lvbad/plots/gold_vs_d.gp" ||
  fail "bad level: not the default"

# --- a pairwise judge: benchmark metrics (kind pairwise), no gain: a table
# of its own under the main one; the verdict and the figure are unchanged
fresh judge
for b in one_to_many one_to_one; do
  f="$TMP/judge/benchmarks/$b/benchmark.csv"
  awk 'NR == 1 { print $0 ",kind"; next } { print $0 ",score" }' "$f" \
    > "$f.new"
  mv "$f.new" "$f"
done
echo 'ab_judge,300,9,0.51,0.455,0.565,0.51,0.51,0.6,0.55,0.65,0.6,4,pairwise' \
  >> "$TMP/judge/benchmarks/one_to_many/benchmark.csv"
echo 'ab_judge,300,1,0.81,0.77,0.85,0.81,0.81,0.9,0.88,0.92,0.9,0,pairwise' \
  >> "$TMP/judge/benchmarks/one_to_one/benchmark.csv"
"$BONRUN" plot --strict "$TMP/judge" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "plot with a pairwise judge"; }
RJ="$TMP/judge/report.md"
if sed -n '/^## Main table/,/^### RMs with benchmark metrics only$/p' \
     "$RJ" | grep -q 'judge'; then fail "the judge is in the main table"; fi
L='| ab\_judge | pairwise judge | 0.510 [0.455, 0.565] | 0.600 [0.550, '
L="${L}0.650] | 0.810 [0.770, 0.850] |"
grep -qxF -- "$L" "$RJ" || fail "the judge's row"
W='Estimate [95% bootstrap interval]. These RMs have no BoN gain (no row '
W="${W}in analysis/gains.csv), so the main table and the verdict leave them "
W="${W}out. A pairwise judge compares two solutions"
grep -qF -- "$W" "$RJ" || fail "why the judge has no gain"
grep -qF "$V" "$RJ" || fail "the verdict changed with a judge"
cmp "$TMP/run1/plots/bench_vs_gain.dat" "$TMP/judge/plots/bench_vs_gain.dat" ||
  fail "the judge entered bench_vs_gain"
! grep -q 'benchmark metrics only' "$R" || fail "a judge table without judges"

# --- the scripts are self-contained: rerunning one by hand redraws it
( cd "$TMP/run/plots" && gnuplot gold_vs_d.gp 2>"$TMP/gperr" ) ||
  fail "gnuplot gold_vs_d.gp by hand"
[ ! -s "$TMP/gperr" ] || fail "gnuplot by hand warned: $(cat "$TMP/gperr")"
cmp "$TMP/run1/plots/gold_vs_d.png" "$TMP/run/plots/gold_vs_d.png" ||
  fail "rerun by hand differs"

# --- svg and pdf, each twice, identical
for ext in svg pdf; do
  fresh "r$ext"
  "$BONRUN" plot --strict --format $ext "$TMP/r$ext" >/dev/null 2>"$TMP/err" ||
    { cat "$TMP/err"; fail "--format $ext"; }
  check_run "$TMP/r$ext" $ext
  cp -r "$TMP/r$ext" "$TMP/r${ext}1"
  "$BONRUN" plot --strict --format $ext "$TMP/r$ext" >/dev/null 2>&1
  diff -r "$TMP/r${ext}1" "$TMP/r$ext" || fail "$ext second run differs"
done

# --- absent inputs are skipped with a note, not an error
fresh part
rm -rf "$TMP/part/correlation" "$TMP/part/benchmarks" "$TMP/part/run.json"
"$BONRUN" plot --strict "$TMP/part" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "partial run dir"; }
grep -q 'skipped bench_vs_gain' "$TMP/err" || fail "note for bench_vs_gain"
grep -q 'skipped corr_heatmap' "$TMP/err" || fail "note for corr_heatmap"
magic "$TMP/part/plots/gold_vs_d.png" png
[ ! -e "$TMP/part/plots/corr_heatmap.png" ] || fail "heatmap without input"
grep -q 'No correlation' "$TMP/part/report.md" || fail "report w/o corr"
# a run folder from before run.json: one line says so, the rest is drawn
L='- no run.json in this folder (older runs and analyze output folders '
L="${L}have none): the run is not described here."
grep -qxF -- "$L" "$TMP/part/report.md" || fail "report w/o run.json"
grep -q '^- analysed: 500 problems, 256 samples, 4 RMs' \
  "$TMP/part/report.md" || fail "report w/o run.json: analysed line"
grep -q '^| skywork\\_v2 | n/a | n/a | 0.185' "$TMP/part/report.md" ||
  fail "report w/o run.json: main table"

# --- a broken run.json: noted in report.md and on stderr, still exit 0
fresh badrun
printf '{"format": 1,' > "$TMP/badrun/run.json"
"$BONRUN" plot "$TMP/badrun" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "broken run.json is not fatal"; }
W="bonrun plot: warning: $TMP/badrun/run.json: not valid JSON; report.md "
W="${W}leaves the run description out and intervals are labelled at the "
W="${W}default level, 95%"
grep -qxF -- "$W" "$TMP/err" || fail "no stderr warning for a broken run.json"
L="- run.json could not be read: $TMP/badrun/run.json: not valid JSON: "
L="${L}the run is not described here."
grep -qxF -- "$L" "$TMP/badrun/report.md" ||
  fail "report.md lacks the run.json problem"
magic "$TMP/badrun/plots/gold_vs_d.png" png
# a field of the wrong type is named
fresh badfield
sed 's/"no_answer": 1536/"no_answer": "many"/' \
  "$ROOT/tests/data/plotrun/run.json" > "$TMP/badfield/run.json"
"$BONRUN" plot "$TMP/badfield" >/dev/null 2>&1 || fail "bad field"
grep -qF 'samples.no\_answer: expected an integer \>= 0, got a string' \
  "$TMP/badfield/report.md" || fail "the bad field is not named"

# --- more than 20 % of the completed samples without an answer: a warning
# at the top of the report; exactly 20 % is not more
fresh noans
sed 's/"no_answer": 1536/"no_answer": 25598/' \
  "$ROOT/tests/data/plotrun/run.json" > "$TMP/noans/run.json"
"$BONRUN" plot "$TMP/noans" >/dev/null 2>&1 || fail "no-answer run"
W='> **Warning:** 25598 of 127988 completed samples (20.0%) have no final '
W="${W}answer the verifier could extract (more than 20%)."
sed -n 5p "$TMP/noans/report.md" | grep -qF -- "$W" ||
  fail "no warning above 20 %"
sed 's/"no_answer": 1536/"no_answer": 25597/' \
  "$ROOT/tests/data/plotrun/run.json" > "$TMP/noans/run.json"
"$BONRUN" plot "$TMP/noans" >/dev/null 2>&1 || fail "no-answer run"
! grep -q 'Warning' "$TMP/noans/report.md" || fail "a warning at 20 %"

# --- the verdict on small fixtures: gains of +-0.005 whose intervals all
# overlap; correlations recomputed by `bonrun correlate`
fresh noise
cat > "$TMP/noise/analysis/gains.csv" <<'EOF'
rm,problems,samples,gold1,goldN,delta,delta_lo,delta_hi,peak_gold,peak_n,auc,norm_gain,proxy_gap,tie_rate
skywork_v2,500,256,0.42,0.4198,-0.0002,-0.0202,0.0198,0.425,8,0.001,0,1,0
internlm2-7b,500,256,0.42,0.4249,0.0049,-0.0151,0.0249,0.428,4,0.002,0,1,0
prm/min,500,256,0.42,0.4158,-0.0042,-0.0242,0.0158,0.421,2,-0.001,0,1,0.08
"Ana's RM, ""big""",500,256,0.42,0.4222,0.0022,-0.0178,0.0222,0.426,4,0.001,0,1,0.21
EOF
O2O="$TMP/noise/benchmarks/one_to_one/benchmark.csv"
correlate_noise() {
  rm -rf "$TMP/noise/correlation"
  ( cd "$TMP/noise" && "$BONRUN" correlate \
      --x benchmarks/one_to_one/benchmark.csv:accuracy \
      --y analysis/gains.csv:delta --out correlation >/dev/null 2>&1 ) ||
    fail "correlate on the noise fixture"
  "$BONRUN" plot "$TMP/noise" >/dev/null 2>&1 || fail "plot noise"
}
# one-to-one tracks the tiny gains, r = 1.00 [0.96, 1.00]: inconclusive
correlate_noise
V='One-to-one accuracy: inconclusive across 4 RMs (Pearson r = 1.00, 95% '
V="${V}CI [0.96, 1.00], but the gains do not differ beyond their bootstrap "
V="${V}noise: every two of their intervals overlap)."
grep -qF -- "$V" "$TMP/noise/report.md" ||
  { grep -A2 '^## Verdict' "$TMP/noise/report.md"; fail "tiny gains"; }
! grep -q 'accuracy predicts' "$TMP/noise/report.md" ||
  fail "tiny gains 'predict'"
# the same accuracy for every RM: r is undefined, never "r = 0.00"
sed 's/^\(.*\),300,1,0\.[0-9]*,/\1,300,1,0.7,/' "$O2O" > "$O2O.new"
mv "$O2O.new" "$O2O"
correlate_noise
V='One-to-one accuracy: undefined (Pearson r is not a number: the '
V="${V}one-to-one accuracy is the same for every RM)."
grep -qF -- "$V" "$TMP/noise/report.md" ||
  { grep -A2 '^## Verdict' "$TMP/noise/report.md"; fail "flat metric"; }
! grep -q 'r = 0\.00' "$TMP/noise/report.md" || fail "undefined r as 0.00"

# --- a plain analyze folder (curves.csv directly inside)
rm -rf "$TMP/plain" && cp -r "$ROOT/tests/data/plotrun/analysis" "$TMP/plain"
"$BONRUN" plot --strict "$TMP/plain" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "plain analyze folder"; }
magic "$TMP/plain/plots/gold_vs_n.png" png
[ -s "$TMP/plain/report.md" ] || fail "plain folder report"

# --- many RMs (small multiples) with hostile names: 12 RMs
fresh many
for f in analysis/curves.csv analysis/fits.csv analysis/gains.csv \
         benchmarks/one_to_many/benchmark.csv \
         benchmarks/one_to_one/benchmark.csv; do
  p="$TMP/many/$f"
  { head -1 "$p"
    for k in 1 2 3; do
      tail -n +2 "$p" | sed "s/^\"/\"v$k /; t; s/^/v${k}_/"
    done
    # a name with backquotes, @ and a quoted newline must stay inert
    tail -n +2 "$p" | grep '^prm/min,' |
      sed "s|^prm/min,|\"\`touch $TMP/pwned\` @x\nline2\",|"
  } >"$p.new"
  mv "$p.new" "$p"
done
sed 's/"shard": null/"shard": null, "level": 0.8/' \
  "$ROOT/tests/data/plotrun/run.json" > "$TMP/many/run.json"
"$BONRUN" plot --strict "$TMP/many" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "13 RMs"; }
grep -qF "title '80% bootstrap band'" "$TMP/many/plots/gold_vs_d.gp" ||
  fail "small multiples at 80 %"
grep -qF "1 title '80% bootstrap band'" "$TMP/many/plots/gold_vs_n.gp" ||
  fail "small multiples of gold_vs_n at 80 %"
[ ! -e "$TMP/pwned" ] || fail "an RM name ran a command"
check_run "$TMP/many" png
grep -q 'set multiplot' "$TMP/many/plots/gold_vs_d.gp" ||
  fail "no small multiples for 13 RMs"
[ "$(grep -c '^set title' "$TMP/many/plots/gold_vs_d.gp")" -eq 13 ] ||
  fail "one panel per RM"

# --- usage and failures
set +e
"$BONRUN" plot >/dev/null 2>&1; [ $? -eq 2 ] || fail "no RUN_DIR: exit 2"
"$BONRUN" plot --format gif "$TMP/run" >/dev/null 2>&1
[ $? -eq 2 ] || fail "bad format: exit 2"
"$BONRUN" plot "$TMP/nonexistent" >/dev/null 2>&1
[ $? -eq 1 ] || fail "missing dir: exit 1"
BONRUN_GNUPLOT="$TMP/no-gnuplot" "$BONRUN" plot "$TMP/part" >/dev/null \
  2>"$TMP/err"
[ $? -eq 1 ] || fail "no gnuplot: exit 1"
grep -q 'cannot run gnuplot' "$TMP/err" || fail "no gnuplot: message"
"$BONRUN" plot --help | grep -q 'usage: bonrun plot' || fail "--help"
set -e
echo "plot e2e ok"
