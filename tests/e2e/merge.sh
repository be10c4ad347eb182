# bonrun merge: two shards of a run join into the same records as the
# unsharded run; rerunning the merged config recomputes nothing; repeated
# folders are deduplicated; configs that differ are refused.
set -eu
cd "$TMP"
cat > full.json <<'JSON'
{"name": "m", "seed": 3, "output": "out/full",
 "dataset": {"source": "sim", "problems": 9},
 "policy": {"backend": "sim", "samples": 4},
 "proxies": [{"name": "careful"}, {"name": "noisy"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
sed 's#out/full#out/s1#' full.json > s1.json
sed 's#out/full#out/s2#' full.json > s2.json
"$BONRUN" run -q full.json
"$BONRUN" run -q --shard 1/2 s1.json
"$BONRUN" run -q --shard 2/2 s2.json
test "$(wc -l < out/s1/samples.jsonl)" -lt 36
"$BONRUN" merge out/merged out/s1 out/s2 out/s1 2> merge.err
grep -q 'samples.jsonl: 36 records' merge.err
grep -q 'out/s1 and out/s1 are the same folder: merged once' merge.err
for f in samples.jsonl scores.jsonl; do
  sort out/full/$f > a; sort out/merged/$f > b
  cmp a b || { echo "$f differs"; diff a b | head; exit 1; }
done
test "$(wc -l < out/merged/problems.jsonl)" -eq 9
grep -q '"output":[[:space:]]*"out/merged"' out/merged/config.json
# the merged folder runs as an ordinary run that has everything
"$BONRUN" run out/merged/config.json 2> rerun.err
grep -q '0 new samples, 0 new scores' rerun.err
sort out/full/scores.csv > a; sort out/merged/scores.csv > b; cmp a b
# a torn last line in a shard is left out, not copied
cp -r out/s2 torn
printf '{"key":"0123456789abcdef","problem_id":"x' >> torn/samples.jsonl
"$BONRUN" merge -q out/m2 out/s1 torn
sort out/m2/samples.jsonl > b; sort out/full/samples.jsonl > a; cmp a b
# configs that differ (here the seed) are refused, naming the key
sed 's#"seed": 3#"seed": 4#; s#out/full#out/other#' full.json > other.json
"$BONRUN" run -q --shard 2/2 other.json
rc=0; "$BONRUN" merge out/bad out/s1 out/other 2> bad.err || rc=$?
test "$rc" -eq 1
grep -q 'differ in "seed"' bad.err
rc=0; "$BONRUN" merge out/x 2>/dev/null || rc=$?; test "$rc" -eq 2
"$BONRUN" merge --help | grep -q 'usage: bonrun merge'
