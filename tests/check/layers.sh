#!/bin/sh
# tests/check/layers.sh - the layer rule (docs/ARCHITECTURE.md): a source
# file includes project headers of its own folder and of lower levels only.
#   level 0  util
#   level 1  gold stats sim net ingest
#   level 2  policy proxy plots
#   level 3  runner
# Prints every violation as FILE:LINE: FOLDER -> FOLDER and exits 1 if any.
set -u
status=0
for f in $(ls util/*.[ch] gold/*.[ch] stats/*.[ch] sim/*.[ch] net/*.[ch] \
             ingest/*.[ch] \
             policy/*.[ch] proxy/*.[ch] plots/*.[ch] runner/*.[ch] \
             2>/dev/null); do
  awk -v file="$f" '
    function level(d) {
      if(d == "util") return 0
      if(d == "gold" || d == "stats" || d == "sim" || d == "net" ||
         d == "ingest") return 1
      if(d == "policy" || d == "proxy" || d == "plots") return 2
      if(d == "runner") return 3
      return -1
    }
    BEGIN { split(file, p, "/"); own = p[1]; lo = level(own) }
    /^[ \t]*#[ \t]*include[ \t]*"/ {
      h = $0
      sub(/^[^"]*"/, "", h); sub(/".*$/, "", h)
      n = split(h, q, "/")
      if(n < 2) next
      d = q[1]
      if(d == own) next
      lv = level(d)
      if(lv < 0 || lv >= lo) {
        printf "%s:%d: %s -> %s (%s)\n", file, NR, own, d, h
        bad = 1
      }
    }
    END { exit bad }' "$f" || status=1
done
[ $status -eq 0 ] && echo "layers: ok"
exit $status
