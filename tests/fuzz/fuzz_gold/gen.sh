#!/bin/sh
# Regenerate the seed corpus of fuzz_gold from the case tables: one file per
# case, "GOLD<0x1f>PRED" ("<NL>" turned into a newline).  Run from the
# repository root: sh tests/fuzz/fuzz_gold/gen.sh
set -eu
dir=tests/fuzz/fuzz_gold
rm -f "$dir"/case_*
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
  }' tests/gold_cases.txt tests/gold_cases_audit.txt
