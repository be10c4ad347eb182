#!/bin/sh
# tests/fuzz/runinfo_seeds.sh DIR - write the seed corpus of the runinfo
# fuzz target into DIR: the run.json of tests/data/plotrun/ and variants
# (a shard, a replay, nulls, a wrong type, a level, cut short).  Run from
# the repository root; tests/fuzz/run.sh calls it, so no seed is
# committed.
set -eu
dir=$1
src=tests/data/plotrun/run.json
mkdir -p "$dir"
cp "$src" "$dir/plotrun"
sed 's/"shard": null/"shard": {"k": 2, "n": 4}/' "$src" > "$dir/shard"
sed 's/"shard": null/"replay": {"path": "c.jsonl", "n_rule": "fewest", \
"completions": 9, "file_problems": 4, "dataset_problems": 4, \
"problems_without": 1, "unknown_problems": 1, "unknown_completions": 1, \
"fewest": 2, "most": 3, "unused": 1}, "shard": null/' "$src" > "$dir/replay"
sed 's/"model": "[^"]*"/"model": null/' "$src" > "$dir/nulls"
sed 's/"errors": 12/"errors": "12"/' "$src" > "$dir/wrong_type"
sed 's/"shard": null/"shard": null, "level": 0.9/' "$src" > "$dir/level"
sed 's/"shard": null/"shard": null, "level": 1/' "$src" > "$dir/level_bad"
head -c 300 "$src" > "$dir/cut"
tr -d ' \n' < "$src" > "$dir/compact"
