# A real config dry-runs offline: `bonrun serve --config` serves its model
# names (the policy's, and each proxy's as a sim RM) on every loopback port
# the config names, so configs/vllm.json runs unchanged but for its size:
# no 404, no error record.  --alias serves a preset under any name.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
# four free ports: let the system pick them, then free them again
ports=""
for i in 0 1 2 3; do
  start_server "free$i"
  ports="$ports $port"
done
stop_servers
set -- $ports
sed -e 's|"runs/vllm"|"out/vllm"|' \
    -e 's|"problems": 500|"problems": 3|' \
    -e 's|"samples": 64|"samples": 4|' \
    -e 's|"n_per_request": 8|"n_per_request": 4|' \
    -e 's|"problems": 300, "incorrect": 9|"problems": 3, "incorrect": 3|' \
    -e 's|"pairs": 300|"pairs": 3|' \
    -e 's|"bootstrap": 1000|"bootstrap": 20|' \
    -e 's|"analysis": {|"plots": {"enabled": false}, "analysis": {|' \
    -e "s|127.0.0.1:8000|127.0.0.1:$1|" -e "s|127.0.0.1:8001|127.0.0.1:$2|" \
    -e "s|127.0.0.1:8002|127.0.0.1:$3|" -e "s|127.0.0.1:8003|127.0.0.1:$4|" \
    "$ROOT/configs/vllm.json" > vllm.json
grep -q "127.0.0.1:$4" vllm.json || fail "ports not rewritten"
start_server serve --config vllm.json
test "$(wc -l < serve)" -eq 4 || { cat serve; fail "not listening on 4 ports"; }
"$BONRUN" run -q vllm.json 2> run.err || { cat run.err; fail "dry run"; }
if grep -q '"error"' out/vllm/samples.jsonl out/vllm/scores.jsonl; then
  fail "error records"
fi
test "$(grep -c '"text"' out/vllm/samples.jsonl)" -eq 12
# every RM of the config scored every sample (the sim one in process)
for rm in skywork-v2-8b qwen-math-rm-72b qwen-math-prm-7b careful; do
  test "$(grep -c "\"rm\":\"$rm\"" out/vllm/scores.jsonl)" -eq 12 ||
    fail "$rm did not score every sample"
done
# the PRM got one score per step
grep '"rm":"qwen-math-prm-7b"' out/vllm/scores.jsonl | grep -q '"steps":\[' ||
  fail "no PRM steps"
stop_servers
# --alias: a preset under the name a config uses
start_server alias --alias "Skywork/Skywork-Reward-V2-Llama-3.1-8B=verbose"
curl -s -X POST "http://127.0.0.1:$port/classify" \
  -d '{"model":"Skywork/Skywork-Reward-V2-Llama-3.1-8B","input":["a"]}' > a
grep -q '"probs"' a || { cat a; fail "alias not served"; }
rc=0; "$BONRUN" serve --alias nope=nosuchpreset 2> bad.err || rc=$?
test "$rc" -eq 2 && grep -q "unknown preset 'nosuchpreset'" bad.err ||
  { cat bad.err; fail "bad alias accepted"; }
