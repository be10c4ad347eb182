# `bonrun serve --threads 1` answers every request with 128, 256 and 512
# keep-alive connections open at once (bonrun's client sends the next
# request on a connection as soon as the last is answered, so every
# connection is ready at once while the one thread works).
# libmicrohttpd 0.9.75's epoll loop, after taking a full batch of 128
# ready connections, waited again with no timeout before serving them: with
# exactly 128 * k ready and nothing more coming, the server slept with
# their requests unread (sim/server.c now runs its own poll loop).  A
# stalled request fails here after timeout_s; nothing fails on speed.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
start_server pf --threads 1
for inflight in 128 256 512; do
  cat > c$inflight.json <<JSON
{"name": "c$inflight", "output": "out/c$inflight",
 "dataset": {"source": "sim", "problems": 40},
 "policy": {"backend": "openai", "samples": 64, "model": "sim",
            "url": "http://127.0.0.1:$port", "in_flight": $inflight,
            "max_tokens": 64, "timeout_s": 20, "retries": 0,
            "abort_after": 0},
 "proxies": [{"name": "careful"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 0}, "plots": {"enabled": false}}
JSON
  "$BONRUN" run -q c$inflight.json 2> c$inflight.err ||
    fail "in_flight $inflight: $(cat c$inflight.err)"
  test "$(wc -l < out/c$inflight/samples.jsonl)" -eq 2560 ||
    fail "in_flight $inflight: not every sample was recorded"
  if grep -q '"error"' out/c$inflight/samples.jsonl; then
    fail "in_flight $inflight: $(grep -m1 '"error"' \
      out/c$inflight/samples.jsonl | cut -c1-300)"
  fi
done
