# A real single-node Slurm cluster (contrib/slurm/local-cluster.sh: munged,
# slurmctld, slurmd): a 4-task array of contrib/slurm/shard.sbatch, each task
# with its own `bonrun serve` standing in for vLLM, then merge.sbatch
# (afterany); the merged analysis/curves.csv and scores.csv equal a
# single-machine run byte for byte.  Then a task is cancelled mid-run: the
# merge job refuses the incomplete set (exit 1, naming the shard); the task
# is requeued, resumes, and a second merge job gives the same bytes again.
# Everything started is stopped by PID.  Exit 77 (skipped, one line why)
# where Slurm cannot be installed or started: not root, no packages and no
# apt, no curl.
set -eu
cd "$TMP"
. "$ROOT/tests/e2e/lib.sh"
skip() { echo "skip: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "not root: a Slurm cluster needs root"
have() { command -v "$1" >/dev/null 2>&1; }
if ! have slurmctld || ! have slurmd || ! have sbatch || ! have munged; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends slurmctld slurmd slurm-client munge \
    > apt.log 2>&1 ||
    skip "cannot install slurmctld slurmd slurm-client munge" \
      "(apt-get: $(tail -1 apt.log))"
fi
have curl || skip "no curl (the templates wait for /health with it)"
have flock || skip "no flock"

# one cluster at a time on this machine (helpers may run make test at once)
exec 9> /tmp/bonrun-e2e-slurm.lock
flock -w 600 9 || skip "another Slurm test held the lock for 10 minutes"
S=$(mktemp -d /tmp/bonrun-slurm.XXXXXX)   # short: unix socket paths
CL="$ROOT/contrib/slurm/local-cluster.sh"
pids=""
cleanup() {
  sh "$CL" down "$S" > down.log 2>&1 || true
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  stop_servers
  rm -rf "$S"
}
trap cleanup EXIT

rc=0
sh "$CL" up "$S" > up.log 2>&1 || rc=$?
[ $rc = 0 ] || skip "the Slurm cluster did not start: $(tail -1 up.log)"
export SLURM_CONF="$S/slurm.conf"
wait_jobs() { sh "$CL" wait "$S" "$@"; }
# state and exit code of a job that has ended: "COMPLETED 0:0"
job_end() {
  scontrol show job "$1" | tr ' ' '\n' |
    sed -n 's/^JobState=//p; s/^ExitCode=//p' | tr '\n' ' ' | sed 's/ $//'
}

# the ports: the configs name 127.0.0.1:$base; task i's server listens on
# $base + 10 i (shard.sbatch); the single machine's server is lib.sh's
listening() { # PORT: 0 if something listens on it
  awk -v h=":$(printf '%04X' "$1")" '$2 ~ h"$" && $4 == "0A" {f=1}
    END {exit !f}' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
base=$(( $(sed -n 's/^SlurmctldPort=//p' "$SLURM_CONF") + 100 ))
while listening $base || listening $((base + 10)) ||
      listening $((base + 20)) || listening $((base + 30)); do
  base=$((base + 7))
done
conf() { # NAME PORT
  cat > "$1.json" <<JSON
{"name": "$1", "seed": 11, "output": "out/$1",
 "dataset": {"source": "sim", "problems": 16},
 "policy": {"backend": "openai", "samples": 8, "model": "sim",
            "url": "http://127.0.0.1:$2", "in_flight": 8, "n_per_request": 4,
            "dialect": "bonrun"},
 "proxies": [
   {"name": "careful", "backend": "vllm-classify", "model": "careful",
    "url": "http://127.0.0.1:$2", "batch": 16},
   {"name": "verbose", "backend": "vllm-classify", "model": "verbose",
    "url": "http://127.0.0.1:$2", "batch": 16},
   {"name": "confident", "backend": "vllm-classify", "model": "confident",
    "url": "http://127.0.0.1:$2", "batch": 16}],
 "benchmarks": {"one_to_many": {"problems": 8, "incorrect": 3},
                "one_to_one": {"pairs": 8}},
 "analysis": {"bootstrap": 50}, "plots": {"enabled": false}}
JSON
}
conf arr $base
conf cut $base
start_server one.port
conf one $port

# the single machine, while Slurm gets busy
"$BONRUN" run -q one.json > one.log 2>&1 &
run_pid=$!
pids="$pids $run_pid"

export SERVER_CMD='"$BONRUN" serve --port "$PORT"'
export READY_TIMEOUT=30
sb="$ROOT/contrib/slurm"
one_cpu="--cpus-per-task=1"   # the templates ask for 4; this node has 2
A=$(sbatch --parsable $one_cpu --array=0-3 "$sb/shard.sbatch" arr.json)
M=$(sbatch --parsable $one_cpu --dependency=afterany:$A \
  "$sb/merge.sbatch" arr.json)
wait_jobs "$A" "$M"
test "$(job_end "$M")" = "COMPLETED 0:0" ||
  { cat bonrun-merge-$M.log; fail "merge job: $(job_end "$M")"; }
grep -q '4 of 4 shards -> out/arr: 16 problems' bonrun-merge-$M.log
for i in 0 1 2 3; do
  grep -q "bonrun exited 0" bonrun-shard-${A}_$i.log
done
grep -q '"slurm_job_id"' out/arr/shards/2-of-4/shard.json
wait "$run_pid" || { cat one.log; fail "the single-machine run"; }
stop_servers
for f in analysis/curves.csv scores.csv; do
  cmp out/one/$f out/arr/$f || fail "$f: the array differs"
done

# a task cancelled mid-run: its servers answer slowly this time
export SERVER_CMD='"$BONRUN" serve --port "$PORT" --delay-ms 40'
A=$(sbatch --parsable $one_cpu --array=0-3 "$sb/shard.sbatch" cut.json)
M=$(sbatch --parsable $one_cpu --dependency=afterany:$A \
  "$sb/merge.sbatch" cut.json)
i=0
until [ -s out/cut/shards/2-of-4/samples.jsonl ]; do
  i=$((i + 1)); [ $i -lt 300 ] || fail "task 1 never wrote"
  sleep 0.1
done
scancel "${A}_1"
wait_jobs "$A" "$M"
case "$(job_end "${A}_1")" in
  CANCELLED*) ;;
  *) fail "task 1: $(job_end "${A}_1")" ;;
esac
test "$(job_end "$M")" = "FAILED 1:0" ||
  { cat bonrun-merge-$M.log; fail "merge job: $(job_end "$M")"; }
grep -q '1 of 4 shards missing: 2/4 (out/cut/shards/2-of-4: not complete' \
  bonrun-merge-$M.log
test ! -e out/cut/scores.csv
scontrol requeue "${A}_1"
M=$(sbatch --parsable $one_cpu --dependency=afterany:${A}_1 \
  "$sb/merge.sbatch" cut.json)
WAIT_S=60 wait_jobs "${A}_1" "$M"
test "$(job_end "$M")" = "COMPLETED 0:0" ||
  { cat bonrun-merge-$M.log; fail "merge job: $(job_end "$M")"; }
log=bonrun-shard-${A}_1.log
grep -q 'stopped by SIGTERM' $log      # --open-mode=append: both attempts
grep -q 'restart 1' $log
grep -q 'reused' $log
for f in analysis/curves.csv scores.csv; do
  cmp out/one/$f out/cut/$f || fail "$f: the requeued array differs"
done
echo "slurm: array + merge, cancel + requeue + merge: identical to one machine"
