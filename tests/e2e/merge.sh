# bonrun merge and run --analyze-only: three shards join into byte for
# byte what one machine writes; the analysis samples, scores and replays
# nothing; an incomplete set, shards of another N or config, and two shards
# holding one record with different results are refused with exit 1 and
# nothing written; --partial merges on purpose and says so everywhere.
set -eu
cd "$TMP"
cat > full.json <<'JSON'
{"name": "m", "seed": 3, "output": "out/full",
 "dataset": {"source": "sim", "problems": 9},
 "policy": {"backend": "sim", "samples": 4},
 "proxies": [{"name": "careful"}, {"name": "noisy"}, {"name": "lenient"}],
 "benchmarks": {"one_to_many": {"source": "sim", "problems": 7,
                                "incorrect": 3},
                "one_to_one": {"source": "sim", "pairs": 5}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
sed 's#out/full#out/sh#' full.json > sh.json
"$BONRUN" run -q full.json
for k in 1 2 3; do "$BONRUN" run -q --shard $k/3 sh.json; done
grep -q '"complete":[[:space:]]*true' out/sh/shards/2-of-3/shard.json
grep -q '"shard":[[:space:]]*2' out/sh/shards/2-of-3/shard.json
test "$(wc -l < out/sh/shards/1-of-3/samples.jsonl)" -eq 12
test ! -f out/sh/samples.jsonl   # a shard writes only its own folder

# the merge: the tables one machine writes, byte for byte
"$BONRUN" merge out/sh 2> merge.err
grep -q '3 of 3 shards -> out/sh: 9 problems, 36 samples' merge.err
for f in problems.jsonl scores.csv; do
  cmp out/full/$f out/sh/$f || { echo "$f differs"; exit 1; }
done
for f in samples.jsonl scores.jsonl benchmarks/one_to_many/scores.jsonl \
         benchmarks/one_to_one/scores.jsonl; do
  sort out/full/$f > a; sort out/sh/$f > b
  cmp a b || { echo "$f: other records"; exit 1; }
done
grep -q '"output":[[:space:]]*"out/sh"' out/sh/config.json
grep -q '"merged":[[:space:]]*3' out/sh/shard.json
"$BONRUN" merge out/sh 2> again.err
grep -q 'already holds this merge of 3 of 3 shards' again.err

# the analysis: nothing sampled, scored or replayed; the same tables
before=$(cat out/sh/samples.jsonl out/sh/scores.jsonl | wc -c)
"$BONRUN" run --analyze-only sh.json > an.out 2> an.err
if grep -q 'sample+score' an.err; then
  echo "the analysis replayed the records"; exit 1
fi
grep -q '0 new scores' an.err
test "$(cat out/sh/samples.jsonl out/sh/scores.jsonl | wc -c)" -eq "$before"
for f in analysis/curves.csv analysis/gains.csv analysis/fits.csv run.json \
         benchmarks/one_to_many/candidates.csv \
         benchmarks/one_to_one/benchmark.csv; do
  cmp out/full/$f out/sh/$f || { echo "$f differs"; exit 1; }
done
# the merged folder is an ordinary run that has everything
"$BONRUN" run out/sh/config.json 2> rerun.err
grep -q '0 new samples, 0 new scores' rerun.err

# an incomplete set: refused (merge and the merge job alike), OUT untouched
mkdir -p out/inc/shards
cp -r out/sh/shards/1-of-3 out/sh/shards/2-of-3 out/sh/shards/3-of-3 \
  out/inc/shards/
sed 's/"complete":[[:space:]]*true/"complete": false/' \
  out/sh/shards/3-of-3/shard.json > out/inc/shards/3-of-3/shard.json
sed 's#out/full#out/inc#; s#"enabled": false#"enabled": true#' full.json \
  > inc.json
rc=0; "$BONRUN" merge out/inc 2> inc.err || rc=$?
test "$rc" -eq 1
grep -q '1 of 3 shards missing: 3/3 (out/inc/shards/3-of-3: not complete' \
  inc.err
grep -q -- '--partial' inc.err
rc=0; "$BONRUN" run -q --analyze-only inc.json 2> inc2.err || rc=$?
test "$rc" -eq 1
grep -q 'shards missing' inc2.err
test ! -e out/inc/samples.jsonl && test ! -e out/inc/scores.csv
rm -r out/inc/shards/3-of-3
rc=0; "$BONRUN" merge out/inc 2> inc3.err || rc=$?
test "$rc" -eq 1
grep -q '3/3 (no folder)' inc3.err

# --partial: on purpose, and said in the manifest, the summary and report
"$BONRUN" run --analyze-only --partial inc.json \
  > part.out 2> part.err
grep -q 'PARTIAL, 2 of 3 shards' part.err
grep -q '^PARTIAL: .*missing: 3' part.out
grep -q '"partial":[[:space:]]*true' out/inc/shard.json
grep -q '"missing":[[:space:]]*"3"' out/inc/shard.json
grep -q '^> \*\*Partial result\*\*: .*(missing: 3)' out/inc/report.md
test "$(wc -l < out/inc/problems.jsonl)" -eq 6

# shards of different N, or of another config: refused, naming them
sed 's#out/full#out/n4#' full.json > n4.json
"$BONRUN" run -q --shard 1/4 n4.json
rc=0; "$BONRUN" merge out/mix out/sh/shards/1-of-3 out/n4/shards/1-of-4 \
  2> mix.err || rc=$?
test "$rc" -eq 1
grep -q 'shards of different N: .* is shard 1/4' mix.err
sed 's#"seed": 3#"seed": 4#; s#out/full#out/s4#' full.json > s4.json
"$BONRUN" run -q --shard 2/3 s4.json
rc=0; "$BONRUN" merge out/mix out/sh/shards/1-of-3 out/s4/shards/2-of-3 \
  out/sh/shards/3-of-3 2> cfg.err || rc=$?
test "$rc" -eq 1
grep -q 'were run with different configs' cfg.err
test ! -e out/mix

# one record, two results: a shard computed by another model or server
mkdir -p out/cf
cp -r out/sh/shards out/cf/
head -1 out/cf/shards/1-of-3/samples.jsonl |
  sed 's/"text":"/"text":"changed /' >> out/cf/shards/2-of-3/samples.jsonl
rc=0; "$BONRUN" merge out/cf 2> cf.err || rc=$?
test "$rc" -eq 1
grep -q 'both hold the record .* of samples.jsonl with different results' \
  cf.err
test ! -e out/cf/samples.jsonl && test ! -e out/cf/samples.jsonl.tmp

# a torn last line (a shard killed mid-write) is left out, not copied
rm -r out/cf
mkdir -p out/torn
cp -r out/sh/shards out/torn/
printf '{"key":"0123456789abcdef","problem_id":"x' \
  >> out/torn/shards/2-of-3/samples.jsonl
"$BONRUN" merge out/torn 2> torn.err
grep -q '1 torn lines left out' torn.err
sort out/torn/samples.jsonl > b; sort out/full/samples.jsonl > a; cmp a b

# a record in two shards with one result (say, one question twice in the
# dataset) is kept once
mkdir -p out/dup
cp -r out/sh/shards out/dup/
head -1 out/dup/shards/1-of-3/samples.jsonl \
  >> out/dup/shards/2-of-3/samples.jsonl
"$BONRUN" merge out/dup 2> dup.err
grep -q '36 samples, .*(1 repeated keys' dup.err
sort out/dup/samples.jsonl > b; sort out/full/samples.jsonl > a; cmp a b

# OUT may not be a run of its own, or one of the shards
rc=0; "$BONRUN" merge out/full out/sh/shards/* 2> own.err || rc=$?
test "$rc" -eq 1
grep -q 'holds a run of its own' own.err
rc=0; "$BONRUN" merge out/sh/shards/1-of-3 out/sh/shards/1-of-3 \
  2>/dev/null || rc=$?
test "$rc" -eq 2
rc=0; "$BONRUN" merge out/nothing 2> none.err || rc=$?
test "$rc" -eq 1
grep -q 'holds no shard folders' none.err
"$BONRUN" merge --help | grep -q 'usage: bonrun merge'

# --analyze-only on a run that lacks records fails and computes nothing
cp -r out/full out/cut
rm out/cut/shard.json
head -n -5 out/full/scores.jsonl > out/cut/scores.jsonl
size=$(wc -c < out/cut/scores.jsonl)
rc=0; "$BONRUN" run -q --analyze-only -o out/cut full.json 2> cut.err ||
  rc=$?
test "$rc" -eq 1
grep -q 'scores are missing, and --analyze-only computes none' cut.err
test "$(wc -c < out/cut/scores.jsonl)" -eq "$size"
