# bonrun run: identical completions of one problem (frequent with a plain,
# skilled policy) are scored once per RM, so the store never holds a key
# twice, and a run cut short (records lost at the end) resumes to exactly
# the records and scores table of an uninterrupted run.
set -eu
cd "$TMP"
cat > dup.json <<'JSON'
{"name": "dup", "seed": 3, "output": "out",
 "dataset": {"problems": 12},
 "policy": {"samples": 32, "verbosity": 0, "variety": 0, "bluff": 0,
            "skill": 3},
 "proxies": [{"name": "careful"}, {"name": "noisy"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 0}, "plots": {"enabled": false}}
JSON
"$BONRUN" run -q dup.json
# the test means something only if completions repeat
total=$(wc -l < out/samples.jsonl)
uniq_texts=$(sed 's/.*"text":\("[^"]*"\).*/\1/' out/samples.jsonl | sort -u |
             wc -l)
test "$uniq_texts" -lt "$total"
# one record per key
sed 's/^{"key":"\([0-9a-f]*\)".*/\1/' out/scores.jsonl | sort | uniq -d \
  > dups
test ! -s dups
LC_ALL=C sort out/scores.jsonl > full.sorted
cp out/scores.csv full.csv
# lose the second half of the score records, as an interrupt would
n=$(wc -l < out/scores.jsonl)
head -n $((n / 2)) out/scores.jsonl > cut && mv cut out/scores.jsonl
"$BONRUN" run -q dup.json
LC_ALL=C sort out/scores.jsonl > resumed.sorted
cmp full.sorted resumed.sorted
cmp full.csv out/scores.csv
