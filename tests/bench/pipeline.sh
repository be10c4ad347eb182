#!/bin/sh
# tests/bench/pipeline.sh - `bonrun run` on the simulator at configs/demo.json
# scaled to PROBLEMS x 1024 samples x 9 RMs (default 100: about 100k
# samples, well under a minute; BENCH_PIPE_PROBLEMS=2000 is issue 14's
# 2M-sample run): the sample+score phase per sample, beside the floor of
# the simulation alone (tests/bench/run.c, sim_pipeline_floor), the whole
# run's wall time and peak RSS.  Medians of 3 runs.
set -eu
BONRUN=${BONRUN:-./bonrun}
problems=${BENCH_PIPE_PROBLEMS:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e "s/\"problems\": 300}/\"problems\": $problems}/" \
    -e 's/"samples": 64/"samples": 1024/' \
    -e "s#runs/demo#$tmp/out#" configs/demo.json > "$tmp/cfg.json"
n=$((problems * 1024))
for i in 1 2 3; do
  rm -rf "$tmp/out"
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$BONRUN" run "$tmp/cfg.json" \
    > /dev/null 2> "$tmp/err" || { cat "$tmp/err"; exit 1; }
  phase=$(sed -n 's/^sample+score .* in \([0-9.]*\)s.*/\1/p' "$tmp/err")
  echo "$phase $(cat "$tmp/time")" >> "$tmp/runs"
done
med() { sort -n | sed -n 2p; }
phase=$(cut -d' ' -f1 "$tmp/runs" | med)
wall=$(cut -d' ' -f2 "$tmp/runs" | med)
rss=$(cut -d' ' -f3 "$tmp/runs" | med)
floor=$(BONRUN_BENCH_PIPE_PROBLEMS=$problems ./build/rel/bench \
        sim_pipeline_floor | sed -n 's/.*alone.* \([0-9.]*\) us per.*/\1/p')
awk -v n="$n" -v p="$phase" -v w="$wall" -v r="$rss" -v f="$floor" 'BEGIN {
  us = p / n * 1e6
  printf "  bonrun run, %d samples x 9 RMs: sample+score %.2f s = %.2f us per sample; whole run %.2f s, peak RSS %.0f MiB (medians of 3)\n", n, p, us, w, r / 1024
  printf "  floor: the simulation alone %.2f us per sample; the pipeline adds %.2f us per sample\n", f, us - f
}'
