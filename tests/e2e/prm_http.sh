# A process RM through HTTP: `bonrun run` with vllm-pooling PRMs
# (pooling "steps", aggregate "min") against `bonrun serve` on 127.0.0.1.
# Responses are cut at blank lines (text input) or at every line (the Qwen
# chat format); scores.jsonl gets one probability per step, as many as the
# response has steps, their min is the score, the two splits agree where
# they cut the same steps, and steps holding a false equation (an
# arithmetic slip) score lower than the others on average.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
start_server port --port 0
cat > prm.json <<JSON
{"name": "prm", "seed": 7, "output": "out",
 "dataset": {"source": "sim", "problems": 40},
 "policy": {"backend": "openai", "samples": 6, "model": "sim",
            "url": "http://127.0.0.1:$port", "in_flight": 8},
 "proxies": [
   {"name": "prm", "backend": "vllm-pooling", "model": "careful",
    "url": "http://127.0.0.1:$port", "pooling": "steps",
    "aggregate": "min", "use_activation": true, "batch": 8},
   {"name": "prmchat", "backend": "vllm-pooling", "model": "careful",
    "url": "http://127.0.0.1:$port", "pooling": "steps",
    "aggregate": "min", "input": "messages", "step_split": "\n",
    "step_tag": "<extra_0>", "step_label": 1}],
 "benchmarks": {"one_to_many": {"source": "none"}, "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 20}, "plots": {"enabled": false}}
JSON
"$BONRUN" run -q prm.json
if grep -q '"error"' out/scores.jsonl; then echo 'error records found'; exit 1; fi
# the resolved config names the defaults
grep -q '"step_tag":[[:space:]]*"<extra_0>"' out/config.json
grep -q 'Please reason step by step' out/config.json

# awk: the samples' steps (cut at blank lines) with a flag per step for a
# false equation, then the scores' steps; checks and sums
awk '
function num(s) { gsub(/^[[:space:]]+|[[:space:]]+$/, "", s); return s }
# 1 if the step has an equation a op b = c that is false
function slip(t,   rest, seg, a, b, c, op, m, bad) {
  bad = 0; rest = t
  while(match(rest, /\$[^$]*\$/)) {
    seg = substr(rest, RSTART + 1, RLENGTH - 2)
    rest = substr(rest, RSTART + RLENGTH)
    if(seg !~ /^ *-?[0-9]+ *(\\\\times|\+|-) *-?[0-9]+ *= *-?[0-9]+ *$/)
      continue
    op = seg ~ /\\\\times/ ? "*" : (seg ~ /^ *-?[0-9]+ *\+/ ? "+" : "-")
    m = seg; sub(/=.*/, "", m)
    if(op == "*") { split(m, p, /\\\\times/); a = p[1]; b = p[2] }
    else { a = m; sub(/^ *-?[0-9]+ */, "", a); b = substr(a, 2)
           a = substr(m, 1, length(m) - length(a)) }
    c = seg; sub(/.*=/, "", c)
    a = num(a) + 0; b = num(b) + 0; c = num(c) + 0
    if((op == "*" ? a * b : op == "+" ? a + b : a - b) != c) bad = 1
  }
  return bad
}
function field(s, k,   v) {
  if(!match(s, "\"" k "\":")) return ""
  v = substr(s, RSTART + RLENGTH)
  return v
}
FNR == 1 { file++ }
file == 1 {
  pid = substr(field($0, "problem_id"), 2); sub(/".*/, "", pid)
  smp = field($0, "sample"); sub(/,.*/, "", smp)
  t = field($0, "text"); t = substr(t, 2); sub(/","answer".*/, "", t)
  n = split(t, st, /\\n\\n/); k = 0
  for(i = 1; i <= n; i++) if(st[i] !~ /^ *$/) { k++; flag[pid, smp, k] = slip(st[i]) }
  nst["prm", pid, smp] = k
  n = split(t, st, /\\n/); k = 0
  for(i = 1; i <= n; i++) if(st[i] !~ /^ *$/) k++
  nst["prmchat", pid, smp] = k
  next
}
{
  rm = substr(field($0, "rm"), 2); sub(/".*/, "", rm)
  pid = substr(field($0, "problem_id"), 2); sub(/".*/, "", pid)
  smp = field($0, "sample"); sub(/,.*/, "", smp)
  sc = field($0, "score"); sub(/[,}].*/, "", sc)
  s = field($0, "steps"); sub(/\].*/, "", s); s = substr(s, 2)
  n = split(s, v, ",")
  if(n < 2 || n != nst[rm, pid, smp]) {
    print "bad step count " n " for " pid "/" smp " of " rm " (want " nst[rm, pid, smp] ")"; bad++ }
  mn = v[1] + 0
  for(i = 1; i <= n; i++) {
    if(v[i] + 0 < mn) mn = v[i] + 0
    if(v[i] + 0 <= 0 || v[i] + 0 >= 1) { print "not a probability: " v[i]; bad++ }
    if(rm == "prm") { sum[flag[pid, smp, i]] += v[i]; cnt[flag[pid, smp, i]]++ }
  }
  if(mn != sc + 0) { print "min " mn " != score " sc " for " pid "/" smp; bad++ }
  if(rm == "prm") one[pid, smp] = s; else two[pid, smp] = s
  rows[rm]++
}
END {
  # identical completions are scored once: about 40 x 6 rows per PRM
  if(rows["prm"] < 200 || rows["prm"] != rows["prmchat"]) {
    print rows["prm"] " and " rows["prmchat"] " score rows"; bad++ }
  for(x in one) {
    split(x, key, SUBSEP)
    if(nst["prm", key[1], key[2]] == nst["prmchat", key[1], key[2]]) {
      same++
      if(one[x] != two[x]) { print "same steps, other scores: " one[x] " vs " two[x]; bad++ }
    }
  }
  if(same < 50) { print "only " same " responses split alike"; bad++ }
  if(cnt[1] < 5) { print "only " cnt[1] " slip steps"; bad++ }
  else printf "slip steps: %d, mean %.3f; other steps: %d, mean %.3f\n", cnt[1], sum[1] / cnt[1], cnt[0], sum[0] / cnt[0]
  if(cnt[1] && sum[1] / cnt[1] >= sum[0] / cnt[0] - 0.3) { print "slip steps not lower"; bad++ }
  exit bad > 0
}' out/samples.jsonl out/scores.jsonl
