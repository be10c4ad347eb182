#!/bin/sh
# e2e: `bonrun verify` - verdicts, passthrough fields, malformed lines,
# order under -j 2, exit codes.
set -eu
B=$BONRUN
cd "$TMP"

. "$ROOT/tests/e2e/lib.sh"

# --help: stdout, exit 0
$B verify --help | grep -q "usage: bonrun verify" || fail "help"

# a few good lines: exit 0, one output line each, fields present
cat >good.jsonl <<'JSON'
{"id": 1, "gold": "\\frac{3}{4}", "pred": "so \\boxed{0.75}"}
{"id": 2, "gold": "(2,5)", "pred": "\\boxed{[2,5)}", "extra": {"k": [1, 2.50]}}
{"id": 3, "gold": 72, "pred": "48+24 = 72 clips.\n#### 72"}
{"id": 4, "gold": "x = \\frac{5}{3}", "pred": "The final answer is $\\frac{5}{3}$."}
JSON
$B verify good.jsonl >good.out || fail "good input exited $?"
[ "$(wc -l <good.out)" -eq 4 ] || fail "expected 4 output lines"
sed -n 1p good.out | grep -q '"correct":true' || fail "line 1 verdict"
sed -n 1p good.out | grep -q '"pred_answer":"0.75"' || fail "line 1 answer"
sed -n 1p good.out | grep -q '"gold_type":"rational"' || fail "line 1 type"
sed -n 2p good.out | grep -q '"correct":false' || fail "line 2 verdict"
sed -n 2p good.out | grep -q '"reason":"bracket mismatch"' || fail "line 2 reason"
# passthrough: other fields keep their text (2.50 stays 2.50)
sed -n 2p good.out | grep -q '"extra": {"k": \[1, 2.50\]}' || fail "passthrough"
sed -n 3p good.out | grep -q '"correct":true' || fail "GSM8K line"
sed -n 4p good.out | grep -q '"correct":true' || fail "equation line"

# stdin gives the same output as FILE, and "-" means stdin
$B verify <good.jsonl >stdin.out
cmp -s good.out stdin.out || fail "stdin differs from FILE"
$B verify - <good.jsonl >dash.out
cmp -s good.out dash.out || fail "- differs from FILE"

# malformed lines: an output line each, the run goes on, exit 1
cat >bad.jsonl <<'JSON'
{"id": 1, "gold": "2", "pred": "2"}
this is not json
{"id": 3, "gold": "2"}
[1, 2]

{"id": 6, "gold": "3", "pred": "\\boxed{4}"}
JSON
set +e
$B verify bad.jsonl >bad.out 2>bad.err
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "malformed input: exit $rc, expected 1"
[ "$(wc -l <bad.out)" -eq 6 ] || fail "expected 6 output lines"
[ "$(grep -c '"reason":"malformed input"' bad.out)" -eq 4 ] ||
  fail "expected 4 malformed verdicts"
sed -n 2p bad.out | grep -q '"error":"line 2: ' || fail "error names line"
sed -n 3p bad.out | grep -q 'pred' || fail "error names the field"
sed -n 6p bad.out | grep -q '"id": 6' || fail "run did not go on"
sed -n 6p bad.out | grep -q '"correct":false' || fail "line 6 verdict"
grep -q "malformed" bad.err || fail "stderr message"

# order with -j 2 across several chunks: ids come back in input order and
# the output equals the single-threaded one
i=0
: >many.jsonl
while [ $i -lt 9000 ]; do
  case $((i % 4)) in
    0) printf '{"id": %d, "gold": "%d", "pred": "\\\\boxed{%d}"}\n' $i $i $i ;;
    1) printf '{"id": %d, "gold": "x^2+%d", "pred": "%d+x^2"}\n' $i $i $i ;;
    2) printf '{"id": %d, "gold": "\\\\frac{%d}{7}", "pred": "%d/8"}\n' \
         $i $i $i ;;
    3) printf 'broken %d\n' $i ;;
  esac
  i=$((i + 1))
done >>many.jsonl
set +e
$B verify -j 2 many.jsonl >many2.out 2>many.err
rc2=$?
$B verify -j 1 many.jsonl >many1.out 2>>many.err
rc1=$?
$B verify -j 0 many.jsonl >many0.out 2>>many.err
rc0=$?
set -e
[ "$rc2" -eq 1 ] && [ "$rc1" -eq 1 ] && [ "$rc0" -eq 1 ] || fail "exit codes"
cmp -s many1.out many2.out || fail "-j 2 output differs from -j 1"
cmp -s many1.out many0.out || fail "-j 0 output differs from -j 1"
[ "$(wc -l <many2.out)" -eq 9000 ] || fail "line count"
sed -n 's/^{"id": \([0-9]*\),.*/\1/p' many2.out >ids.txt
awk 'NR > 1 && $1 <= prev { bad = 1 } { prev = $1 } END { exit bad }' \
  ids.txt || fail "ids out of order"
[ "$(grep -c '"correct":true' many2.out)" -eq 4500 ] ||
  fail "expected 4500 correct (ids 0 mod 4 and 1 mod 4)"
sed -n '4p' many2.out | grep -q '"error":"line 4: ' || fail "line numbers"
sed -n '8996p' many2.out | grep -q '"error":"line 8996: ' ||
  fail "line numbers past the first chunk"

# usage errors: 2; a missing file: 1
set +e
$B verify --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad option"
$B verify -j -3 good.jsonl >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad -j"
$B verify -j x good.jsonl >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad -j x"
$B verify a b >/dev/null 2>&1; [ $? -eq 2 ] || fail "two files"
$B verify no-such-file.jsonl >/dev/null 2>&1; [ $? -eq 1 ] || fail "missing"
set -e

# --strict: a completion's answer comes from a box or an answer phrase
# only; the default (lenient) also reads a math span, a bare answer and,
# last, the last number of prose (reason "... (last number)")
cat >modes.jsonl <<'JSON'
{"id": 1, "gold": "18", "pred": "She has 26 - 8 = 18 dollars left."}
{"id": 2, "gold": "9", "pred": "Answer $9$"}
{"id": 3, "gold": "5", "pred": "so \\boxed{5}"}
{"id": 4, "gold": "34", "pred": "Final Answer: The final answer is 34. I hope it is correct."}
{"id": 5, "gold": "\\frac{1}{2}", "pred": "\\frac{1}{2}"}
JSON
$B verify modes.jsonl >lenient.out || fail "lenient run"
$B verify --strict modes.jsonl >strict.out || fail "strict run"
[ "$(grep -c '"correct":true' lenient.out)" -eq 5 ] || fail "lenient verdicts"
sed -n 1p lenient.out | grep -q '"reason":"equal (last number)"' ||
  fail "last-number reason"
sed -n 1p strict.out | grep -q '"reason":"no answer"' || fail "strict prose"
sed -n 2p strict.out | grep -q '"correct":false' || fail "strict math span"
sed -n 3p strict.out | grep -q '"correct":true' || fail "strict box"
sed -n 4p strict.out | grep -q '"correct":true' || fail "strict phrase"
sed -n 5p strict.out | grep -q '"reason":"no answer"' || fail "strict bare"
$B verify --help | grep -q -- '--strict' || fail "help names --strict"

# the config key gold.extract: "lenient" (default) or "strict"; anything
# else is an error naming the key
cat >extract.json <<'JSON'
{"name": "x", "output": "out/x", "dataset": {"problems": 2},
 "policy": {"samples": 2}, "proxies": [{"name": "careful"}],
 "gold": {"extract": "sloppy"},
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "plots": {"enabled": false}}
JSON
set +e
$B run extract.json >/dev/null 2>extract.err
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "gold.extract sloppy accepted"
grep -q 'gold.extract' extract.err || fail "error does not name gold.extract"
[ ! -d out/x ] || [ ! -s out/x/samples.jsonl ] || fail "bad config wrote samples"
sed 's/"sloppy"/"strict"/' extract.json >strict.json
$B run strict.json >/dev/null 2>strict.err || fail "gold.extract strict run"
grep -Eq '"extract":[[:space:]]*"strict"' out/x/config.json ||
  fail "gold.extract not in the resolved config"

# an empty input: no output, exit 0
$B verify </dev/null >empty.out || fail "empty input"
[ ! -s empty.out ] || fail "empty input gave output"
echo "verify e2e ok"
