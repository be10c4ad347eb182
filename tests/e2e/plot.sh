#!/bin/sh
# e2e/plot: `bonrun plot` on the hand-made run in tests/data/plotrun/.
# Every figure gets its .dat, .gp and image of the requested format, gnuplot
# prints no warning, report.md has the table and the verdict, a second run
# gives identical bytes, the scripts rerun by hand, absent inputs are
# skipped with a note, many RMs and hostile RM names work.
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
V='Across 4 RMs, one-to-many accuracy predicts the BoN gain (Pearson r = '
V="${V}1.00, 95% CI [0.96, 1.00]); one-to-one accuracy does not (r = 0.28, "
V="${V}95% CI [-0.93, 0.98]). With only 4 RMs the intervals are wide"
grep -qF "$V" "$R" || fail "verdict sentence"
grep -q '^- name: plot-fixture' "$R" || fail "config name"
grep -q '^- policy: sim (sim-math-1)' "$R" || fail "config policy"
grep -q '^- reward models (4):' "$R" || fail "config RMs"
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
rm -rf "$TMP/part/correlation" "$TMP/part/benchmarks" "$TMP/part/config.json"
"$BONRUN" plot --strict "$TMP/part" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "partial run dir"; }
grep -q 'skipped bench_vs_gain' "$TMP/err" || fail "note for bench_vs_gain"
grep -q 'skipped corr_heatmap' "$TMP/err" || fail "note for corr_heatmap"
magic "$TMP/part/plots/gold_vs_d.png" png
[ ! -e "$TMP/part/plots/corr_heatmap.png" ] || fail "heatmap without input"
grep -q 'No correlation' "$TMP/part/report.md" || fail "report w/o corr"
grep -q 'no config.json' "$TMP/part/report.md" || fail "report w/o config"

# --- a broken config.json: noted in report.md and on stderr, still exit 0
fresh badcfg
printf '{"name": "x",' > "$TMP/badcfg/config.json"
"$BONRUN" plot "$TMP/badcfg" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "broken config.json is not fatal"; }
grep -q "^bonrun plot: warning: $TMP/badcfg/config.json could not be parsed" \
  "$TMP/err" || fail "no stderr warning for a broken config.json"
grep -q 'config.json could not be parsed' "$TMP/badcfg/report.md" ||
  fail "report.md lacks the config.json problem"
magic "$TMP/badcfg/plots/gold_vs_d.png" png

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
"$BONRUN" plot --strict "$TMP/many" >/dev/null 2>"$TMP/err" ||
  { cat "$TMP/err"; fail "13 RMs"; }
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
