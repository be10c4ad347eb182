#!/bin/sh
# tests/fuzz/gold_seeds.sh DIR - write the seed corpus of the gold fuzz
# target into DIR, made from the case tables: one file per case,
# "GOLD<0x1f>PRED" ("<NL>" turned into a newline).  Run from the
# repository root; tests/fuzz/run.sh calls it, so no seed is committed.
set -eu
dir=$1
mkdir -p "$dir"
awk -v dir="$dir" '
  /^[ \t]*(#|\[|$)/ { next }
  {
    line = $0
    sub(/ \/\/.*$/, "", line)
    sub(/ @@ .*$/, "", line)
    sub(/^[ \t]*[^ ]+ /, "", line)
    n = index(line, "|||")
    if(n) {
      g = substr(line, 1, n - 1); p = substr(line, n + 3)
    } else {
      g = line; p = ""
    }
    gsub(/^[ \t]+|[ \t]+$/, "", g); gsub(/^[ \t]+|[ \t]+$/, "", p)
    gsub(/<NL>/, "\n", g); gsub(/<NL>/, "\n", p)
    f = sprintf("%s/case_%04d", dir, ++k)
    printf "%s\037%s", g, p > f
    close(f)
  }' tests/cases/*.txt
