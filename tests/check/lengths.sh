#!/bin/sh
# tests/check/lengths.sh [MAX] - no function outside tests/ runs over MAX
# lines (default 120), counted from its first line to its closing brace
# by universal-ctags.  Prints each offender and exits 1 if any.
set -u
max=${1:-120}
if ! ctags --version 2>/dev/null | grep -q Universal; then
  echo "lengths: universal-ctags not found (apt-get install universal-ctags)"
  exit 1
fi
ctags -x --c-kinds=f --_xformat='%{input}:%{line} %{end} %{name}' \
    util/*.c gold/*.c stats/*.c sim/*.c net/*.c ingest/*.c policy/*.c \
    proxy/*.c \
    plots/*.c runner/*.c 2>/dev/null |
  awk -v max="$max" '
    { split($1, a, ":"); n = $2 - a[2] + 1
      if(n > max) { printf "%s %s: %d lines (max %d)\n", $1, $3, n, max; bad++ } }
    END { if(!bad) print "lengths: ok (max " max ")"; exit bad > 0 }'
