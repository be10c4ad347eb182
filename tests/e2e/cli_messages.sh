#!/bin/sh
# Every command answers a usage error in one shape (runner/cli.h):
#   bonrun CMD: WHAT (see bonrun CMD --help)
# exactly that one line on stderr, nothing on stdout, exit 2; for an
# unknown option, an option without its value and a value out of range
# alike.  And every command answers -h and --help on stdout with exit 0.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$TMP"
# usage CMD WHAT ARGS...
usage() {
  cmd=$1; what=$2; shift 2
  set +e
  "$BONRUN" "$cmd" "$@" < /dev/null > out.txt 2> err.txt
  rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "$cmd $*: exit $rc, not 2"
  [ ! -s out.txt ] || fail "$cmd $*: wrote on stdout: $(cat out.txt)"
  printf 'bonrun %s: %s (see bonrun %s --help)\n' "$cmd" "$what" "$cmd" \
    > want.txt
  cmp -s want.txt err.txt ||
    fail "$cmd $*: got '$(cat err.txt)', want '$(cat want.txt)'"
}
commands="run verify analyze bench correlate plot merge serve"
for c in $commands; do
  usage "$c" "unknown option '--bogus'" --bogus
  usage "$c" "unknown option '--bogus'" --bogus=1 x
  usage "$c" "unknown option '-Z'" -Z
  usage "$c" "option '--help' takes no value" --help=yes
  for h in -h --help; do
    "$BONRUN" "$c" $h > out.txt 2> err.txt || fail "$c $h: exit $?"
    head -1 out.txt | grep -q "^usage: bonrun $c" || fail "$c $h: usage"
    [ ! -s err.txt ] || fail "$c $h: wrote on stderr"
  done
done
[ "$(echo "$commands" | wc -w)" -eq 8 ] || fail "a command went missing"
# an option at the end with no value
usage run "option '--output' needs a value" x.json --output
usage run "option '-o' needs a value" x.json -o
usage verify "option '-j' needs a value" -j
usage verify "option '--jobs' needs a value" --jobs
usage analyze "option '--scores' needs a value" --scores
usage analyze "option '--bootstrap' needs a value" --out o --bootstrap
usage bench "option '--threads' needs a value" --scores s --threads
usage correlate "option '--x' needs a value" --y a:b --x
usage plot "option '-f' needs a value" dir -f
usage plot "option '--format' needs a value" dir --format
usage serve "option '--port' needs a value" --port
# merge takes no option with a value: its operand is what can be missing
usage merge "expected OUT"
usage run "expected one CONFIG file (try configs/demo.json)"
usage plot "expected one RUN_DIR"
usage run "unexpected argument 'b.json'" a.json b.json
usage verify "unexpected argument 'b'" a b
usage analyze "unexpected argument 'extra'" --scores s --out o extra
# a value out of range, named with the range
usage run "--shard: expected K/N with 1 <= K <= N <= 1000000000, or auto, \
got '1/1000000001'" --shard 1/1000000001 x.json
usage verify "-j: expected an integer from 0 to 1024, got '1025'" -j 1025
usage analyze "--bootstrap: expected an integer from 0 to 1000000, got \
'1000001'" --scores s --out o --bootstrap 1000001
usage analyze "--n-grid: expected integers from 1 to 1000000 separated by \
commas, got '1,1000001'" --scores s --out o --n-grid 1,1000001
usage analyze "--extrap-kl: expected a positive number, got '0'" \
  --scores s --out o --extrap-kl 0
usage bench "--threads: expected an integer from 0 to 1024, got '1025'" \
  --scores s --threads 1025
usage bench "--missing: expected worst or drop, got 'best'" \
  --scores s --missing best
usage bench "--format: expected csv, tsv or jsonl, got 'xls'" \
  --scores s --format xls
usage correlate "--permutations: expected an integer from 0 to \
1000000000, got '1000000001'" --x a:b --y c:d --permutations 1000000001
usage correlate "--seed: expected an integer from 0 to \
18446744073709551615, got '18446744073709551616'" --x a:b --y c:d \
  --seed 18446744073709551616
usage plot "--format: expected png, svg or pdf, got 'gif'" dir --format gif
usage serve "--fail-429: expected a probability from 0 to 1, got '2'" \
  --fail-429 2
usage serve "--port: expected an integer from 0 to 65535, got '65536'" \
  --port 65536
usage serve "unexpected argument 'x'" x
usage serve "fault probabilities add up to more than 1" --drop 0.6 \
  --malformed 0.6
# an abbreviation is fine when it is unique, and named when it is not
usage analyze "option '--col' is ambiguous: write more of its name" \
  --scores s --out o --col x
usage analyze "--bootstrap: expected an integer from 0 to 1000000, got \
'x'" --scores s --out o --boot x
# the other usage errors of a command, same shape
usage analyze "--scores FILE (or --curves FILE) and --out DIR are \
required" --out o
usage analyze "give either --scores or --curves, not both" --scores s \
  --curves c --out o
usage analyze "option '--threads' does not apply to --curves (only --out, \
--extrap-kl, --rm and -q do)" --curves c --out o --threads 2
usage bench "--scores FILE is required" --out o
usage correlate "need at least one --x FILE:COLUMN and one --y \
FILE:COLUMN" --x a:b
echo ok
