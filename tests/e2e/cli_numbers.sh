#!/bin/sh
# Numeric options of every command: a negative, signed, blank-led,
# fractional, overflowing, out-of-range or non-numeric value is a usage
# error (exit 2) with one line naming the option and its range, never a
# silent wrap or truncation; the bounds themselves are accepted.  One row
# per numeric option below (a new numeric option gets its row), so a limit
# that drifts from the row (runner/limits.h) or an option that parses on
# its own fails.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$TMP"
# run RC CMD OPT VALUE ARGS...: `bonrun CMD ARGS... OPT VALUE` exits RC
run() {
  want=$1 cmd=$2 opt=$3 val=$4; shift 4
  set +e
  "$BONRUN" "$cmd" "$@" "$opt" "$val" < /dev/null > out.txt 2> err.txt
  rc=$?
  set -e
  [ "$rc" -eq "$want" ] ||
    fail "$cmd $* $opt '$val' exited $rc, not $want: $(cat err.txt)"
}
# bad CMD OPT VALUE ARGS...: exit 2, one line "bonrun CMD: OPT: expected
# ..., got 'VALUE' (see bonrun CMD --help)"
bad() {
  run 2 "$@"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "$1 $2 '$3': $(cat err.txt)"
  grep -qF -- "bonrun $1: $2: expected " err.txt &&
    grep -qF -- ", got '$3' (see bonrun $1 --help)" err.txt ||
    fail "$1 $2 '$3': $(cat err.txt)"
}
# good CMD OPT VALUE ARGS...: the value passes the parser; the command then
# fails on its missing input file (exit 1)
good() { run 1 "$@"; }
big=18446744073709551616   # 2^64
# CMD OPTION KIND LO HI ARGS...   (KIND: int, u64, num, pos, list, pair)
rows=$(cat <<'EOF'
analyze --bootstrap int 0 1000000 --scores none.csv --out o
analyze --threads int 0 1024 --scores none.csv --out o
analyze --seed u64 0 0 --scores none.csv --out o
analyze --n-grid list 1 1000000 --scores none.csv --out o
analyze --level num 0.5 0.999 --scores none.csv --out o
analyze --extrap-kl pos 0 0 --scores none.csv --out o
bench --bootstrap int 0 1000000 --scores none.csv --out o
bench --threads int 0 1024 --scores none.csv --out o
bench --seed u64 0 0 --scores none.csv --out o
bench --level num 0.5 0.999 --scores none.csv --out o
correlate --bootstrap int 0 1000000 --x none.csv:a --y none.csv:b
correlate --permutations int 0 1000000000 --x none.csv:a --y none.csv:b
correlate --seed u64 0 0 --x none.csv:a --y none.csv:b
correlate --level num 0.5 0.999 --x none.csv:a --y none.csv:b
verify -j int 0 1024 none.jsonl
verify --jobs int 0 1024 none.jsonl
run --shard pair 1 1000000000 none.json
serve --port int 0 65535 --config none.json
serve --threads int 1 256 --config none.json
serve --delay-ms int 0 1000000000 --config none.json
serve --max-prompt int 0 1000000000000 --config none.json
serve --max-requests int 0 1000000000000000 --config none.json
serve --seed u64 0 0 --config none.json
serve --skill num -100 100 --config none.json
serve --spread num -100 100 --config none.json
serve --bluff num -100 100 --config none.json
serve --misread num -100 100 --config none.json
serve --verbosity num -100 100 --config none.json
serve --variety num -100 100 --config none.json
serve --retry-after num -1 86400 --config none.json
serve --duration num 0 1000000000 --config none.json
serve --fail-429 num 0 1 --config none.json
serve --fail-503 num 0 1 --config none.json
serve --fail-500 num 0 1 --config none.json
serve --drop num 0 1 --config none.json
serve --malformed num 0 1 --config none.json
EOF
)
# Each typed parser is checked value by value in tests/unit/runner_cli.c;
# here every option gets the bounds and a few of the strict rules, enough
# to catch an option that parses on its own or has drifted.
check_row() { # CMD OPTION KIND LO HI ARGS
  cmd=$1 opt=$2 kind=$3 lo=$4 hi=$5 args=$6
  # shellcheck disable=SC2086  # args: words on purpose
  case $kind in
  int)
    for v in ' 5' +5 x '' 2.5 0x10 $((lo - 1)) $((hi + 1)) $big; do
      bad $cmd $opt "$v" $args
    done
    good $cmd $opt $lo $args
    good $cmd $opt $hi $args ;;
  u64)
    for v in -5 +5 ' 5' 1.5 '' $big; do
      bad $cmd $opt "$v" $args
    done
    good $cmd $opt 0 $args
    good $cmd $opt 18446744073709551615 $args ;;
  num)
    below=$(awk "BEGIN { printf \"%.3f\", $lo - 0.001 }")
    above=$(awk "BEGIN { printf \"%.3f\", $hi + 0.001 }")
    for v in inf nan x ' 0.9' +0.9 0x1p-1 '' "$below" "$above"; do
      bad $cmd $opt "$v" $args
    done
    good $cmd $opt $lo $args
    good $cmd $opt $hi $args ;;
  pos)
    for v in inf nan 0 -1 ' 1' +1 ''; do
      bad $cmd $opt "$v" $args
    done
    good $cmd $opt 0.001 $args
    good $cmd $opt 1e3 $args ;;
  list)
    for v in ' 5' +5 '' 2.5 1, 1,,2 $((lo - 1)) "1,$((hi + 1))"; do
      bad $cmd $opt "$v" $args
    done
    good $cmd $opt "$lo,$hi" $args ;;
  pair)
    for v in -1/2 ' 1/2' 1/+2 1/2x 3/2 0/1 1/ "1/$((hi + 1))"; do
      bad $cmd $opt "$v" $args
    done
    good $cmd $opt 2/3 $args
    good $cmd $opt "$hi/$hi" $args ;;
  *) fail "kind $kind" ;;
  esac
}
# two lanes (odd and even rows) in their own folders, for the two cores
lane() {
  mkdir -p "lane$1" && cd "lane$1"
  echo "$rows" | awk -v l="$1" 'NR % 2 == l' |
    while read -r cmd opt kind lo hi args; do
      check_row "$cmd" "$opt" "$kind" "$lo" "$hi" "$args"
    done
}
lane 0 > lane0.log 2>&1 &
p0=$!
lane 1 > lane1.log 2>&1 &
p1=$!
ok=1
wait $p0 || ok=0
wait $p1 || ok=0
[ $ok -eq 1 ] || fail "$(cat lane0.log lane1.log)"
# the message names the range, from runner/limits.h
bad analyze --bootstrap 1000001 --scores x.csv --out o
grep -q "expected an integer from 0 to 1000000, got '1000001'" err.txt
bad correlate --level 1 --x a:b --y c:d
grep -q "expected a number from 0.5 to 0.999, got '1'" err.txt
# ... and the config keys share it
printf '{"proxies": [{"name": "a"}], "analysis": {"bootstrap": 1000001}}\n' \
  > boot.json
if "$BONRUN" run boot.json 2> err.txt; then fail "bootstrap 1000001"; fi
grep -q 'analysis.bootstrap: 1000001 is out of range: expected 0 to 1000000' \
  err.txt || fail "config bootstrap: $(cat err.txt)"
printf '{"proxies": [{"name": "a"}], "analysis": {"threads": 1025}}\n' \
  > thr.json
if "$BONRUN" run thr.json 2> err.txt; then fail "threads 1025"; fi
grep -q 'analysis.threads: 1025 is out of range: expected 0 to 1024' \
  err.txt || fail "config threads: $(cat err.txt)"

echo '{"gold": "1", "pred": "1"}' | "$BONRUN" verify -j 2 > v.txt
grep -q true v.txt
echo ok
