# tests/e2e/lib.sh - shared helpers of the end-to-end scripts.  Source it
# after `set -eu`:  . "$ROOT/tests/e2e/lib.sh"
#
#   fail MSG...              print "FAIL: MSG" and exit 1
#   start_server PF ARGS...  start `$BONRUN serve --port-file PF ARGS...` in
#                            the background (log in PF.log), wait until it
#                            listens, set $port; the server is killed by PID
#                            when the script exits
#   stop_servers             kill every server started so far
#   records FILE             a record store's lines without their key
#                            (which names the backend), sorted
#   records_last FILE        the same for the record in force of each key
#                            (the store's last line of it)
#
# Servers listen on 127.0.0.1 only.  $BONRUN may be overridden per call
# with SERVE_BIN=... (the benchmark uses the release build).

lib_pids=""

fail() { echo "FAIL: $*"; exit 1; }

stop_servers() {
  for p in $lib_pids; do kill "$p" 2>/dev/null || true; done
  for p in $lib_pids; do wait "$p" 2>/dev/null || true; done
  lib_pids=""
}

trap stop_servers EXIT

records() { sed 's/^{"key":"[0-9a-f]*",/{/' "$1" | sort; }
records_last() {
  tac "$1" | awk -F'"' '!seen[$4]++' | sed 's/^{"key":"[0-9a-f]*",/{/' | sort
}

start_server() { # PORTFILE ARGS...
  pf=$1; shift
  rm -f "$pf"
  "${SERVE_BIN:-$BONRUN}" serve --port-file "$pf" "$@" > "$pf.log" 2>&1 &
  lib_pids="$lib_pids $!"
  i=0
  while [ ! -s "$pf" ]; do
    i=$((i + 1))
    if [ $i -ge 200 ]; then
      echo "server did not start"; cat "$pf.log"; exit 1
    fi
    sleep 0.05
  done
  port=$(cat "$pf")
}
