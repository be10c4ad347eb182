#!/bin/sh
# Numeric options of every command: a negative, signed, blank-led,
# fractional, overflowing or non-numeric value is a usage error (exit 2)
# with a line naming the option, never a silent wrap or truncation.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
# bad OPTION-NAME-IN-MESSAGE CMD ARGS...: exit 2 and the option named
bad() {
  want=$1; shift
  set +e
  "$BONRUN" "$@" < /dev/null > out.txt 2> err.txt
  rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "$* exited $rc, not 2"
  grep -q -- "$want" err.txt || fail "$*: no '$want' in: $(cat err.txt)"
}
for s in -5 ' -5' +5 abc '' 1.5 18446744073709551616; do
  bad --seed analyze --scores x.csv --out o --seed "$s"
  bad --seed bench --scores x.csv --out o --seed "$s"
  bad --seed correlate --x a:b --y c:d --seed "$s"
  bad --seed serve --seed "$s"
done
grep -q 'non-negative integer' err.txt || fail "serve --seed message"
for s in -1 ' 5' +5 x '' 2.5; do
  bad --bootstrap analyze --scores x.csv --out o --bootstrap "$s"
  bad --threads analyze --scores x.csv --out o --threads "$s"
  bad --n-grid analyze --scores x.csv --out o --n-grid "$s"
  bad --bootstrap bench --scores x.csv --out o --bootstrap "$s"
  bad --threads bench --scores x.csv --out o --threads "$s"
  bad --bootstrap correlate --x a:b --y c:d --bootstrap "$s"
  bad --permutations correlate --x a:b --y c:d --permutations "$s"
  bad --port serve --port "$s"
  bad --threads serve --threads "$s"
  bad --max-requests serve --max-requests "$s"
  bad -j verify -j "$s"
done
for s in inf nan -1 x ''; do
  bad --extrap-kl analyze --scores x.csv --out o --extrap-kl "$s"
  bad --level analyze --scores x.csv --out o --level "$s"
  bad --level bench --scores x.csv --out o --level "$s"
  bad --level correlate --x a:b --y c:d --level "$s"
done
bad --port serve --port 1e3
bad --delay-ms serve --delay-ms 0x10
for s in -1/2 ' 1/2' 1/+2 1/2x 3/2 0/1 1/ /1 1/99999999999999999999; do
  bad --shard run --shard "$s" x.json
done
# good values still pass the parser (then fail on the missing file: 1)
set +e
"$BONRUN" analyze --scores none.csv --out o --seed 0 2> err.txt
[ $? -eq 1 ] || fail "analyze --seed 0"
"$BONRUN" analyze --scores none.csv --out o \
  --seed 18446744073709551615 2> err.txt
[ $? -eq 1 ] || fail "analyze --seed 2^64-1"
"$BONRUN" bench --scores none.csv --out o --seed 12 2> err.txt
[ $? -eq 1 ] || fail "bench --seed 12"
"$BONRUN" run --shard 2/3 none.json 2> err.txt
[ $? -eq 1 ] || fail "run --shard 2/3"
set -e
echo '{"gold": "1", "pred": "1"}' | "$BONRUN" verify -j 2 > v.txt
grep -q true v.txt
echo ok
