# bonrun run --shard auto: K/N from the environment of a Slurm job array
# (with a step), a Kubernetes Indexed Job or BONRUN_SHARD; a resubmitted
# single index (a count of 1) runs its shard of the original array, read
# from the manifests; nothing is guessed: a one-task array with no shards
# recorded, a list that is no range, two sources at once are refused and
# write nothing.
set -eu
cd "$TMP"
unset SLURM_JOB_ID SLURM_ARRAY_JOB_ID SLURM_ARRAY_TASK_ID \
  SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_STEP \
  SLURM_ARRAY_TASK_COUNT JOB_COMPLETION_INDEX BONRUN_SHARD BONRUN_SHARDS \
  2>/dev/null || true
cat > a.json <<'JSON'
{"name": "a", "seed": 5, "output": "out/a",
 "dataset": {"source": "sim", "problems": 10},
 "policy": {"backend": "sim", "samples": 4},
 "proxies": [{"name": "careful"}, {"name": "verbose"}],
 "benchmarks": {"one_to_many": {"source": "none"},
                "one_to_one": {"source": "none"}},
 "analysis": {"bootstrap": 10}, "plots": {"enabled": false}}
JSON
# task JOB ID MIN MAX STEP COUNT [bonrun run options]: one array task
task() {
  j=$1 id=$2 lo=$3 hi=$4 st=$5 n=$6
  shift 6
  SLURM_ARRAY_JOB_ID=$j SLURM_JOB_ID=$((j + id + 1)) SLURM_ARRAY_TASK_ID=$id \
    SLURM_ARRAY_TASK_MIN=$lo SLURM_ARRAY_TASK_MAX=$hi \
    SLURM_ARRAY_TASK_STEP=$st SLURM_ARRAY_TASK_COUNT=$n \
    "$BONRUN" run --shard auto "$@" a.json
}

# sbatch --array=1-7:2: task 5 is shard 3/4
for id in 1 3 5 7; do task 40 $id 1 7 2 4 2> task$id.err; done
grep -q 'shard 3/4 (SLURM_ARRAY_TASK_ID=5 of the array 1-7:2, 4 tasks)' \
  task5.err
for k in 1 2 3 4; do
  grep -q '"complete":[[:space:]]*true' out/a/shards/$k-of-4/shard.json
done
grep -q '"slurm_job_id":[[:space:]]*"46"' out/a/shards/3-of-4/shard.json

# shard 3 dies mid-run; the user resubmits task 5 alone (--array=5: its
# count is 1, its min 5): it must still run shard 3/4, and finish it
s3=out/a/shards/3-of-4
sed 's/"complete":[[:space:]]*true/"complete": false/' $s3/shard.json > m
mv m $s3/shard.json
head -n 3 $s3/samples.jsonl > s && mv s $s3/samples.jsonl
task 50 5 5 5 1 1 2> resub.err
grep -q 'shard 3/4 (task 5 of a resubmitted array of 1: shard 3/4 of' resub.err
grep -q 'of the array 1-7:2 recorded in out/a/shards' resub.err
grep -q '"complete":[[:space:]]*true' $s3/shard.json
grep -q '"min":[[:space:]]*1' $s3/shard.json   # still the original array
test ! -e out/a/shards/1-of-1
# a resubmitted subset (--array=3,7: min 3, max 7, count 2)
task 60 7 3 7 1 2 -q
# the whole matches one machine
"$BONRUN" run -q -o out/one a.json
"$BONRUN" run -q --analyze-only a.json
cmp out/one/scores.csv out/a/scores.csv
cmp out/one/analysis/curves.csv out/a/analysis/curves.csv

# nothing is guessed
rc=0; task 70 3 3 3 1 1 -o out/b 2> one.err || rc=$?
test "$rc" -eq 1
grep -q 'a one-task array (task 3, SLURM_ARRAY_TASK_COUNT=1)' one.err
rc=0; task 71 3 1 8 1 3 -o out/b 2> list.err || rc=$?
test "$rc" -eq 1
grep -q 'not a range with one step' list.err
rc=0; task 72 4 0 7 1 8 2> other.err || rc=$?   # 8 tasks where 4 are
test "$rc" -eq 1
grep -q 'out/a/shards holds shards of 4 (the array 1-7:2)' other.err
rc=0; "$BONRUN" run --shard auto -o out/b a.json 2> none.err || rc=$?
test "$rc" -eq 1
grep -q 'no shard in the environment' none.err
rc=0; SLURM_JOB_ID=3 "$BONRUN" run --shard auto -o out/b a.json \
  2> job.err || rc=$?
test "$rc" -eq 1
grep -q 'not an array task' job.err
rc=0; BONRUN_SHARD=1/2 JOB_COMPLETION_INDEX=0 "$BONRUN" run --shard auto \
  -o out/b a.json 2> two.err || rc=$?
test "$rc" -eq 1
grep -q 'more than one shard (BONRUN_SHARD, JOB_COMPLETION_INDEX)' two.err
rc=0; JOB_COMPLETION_INDEX=1 "$BONRUN" run --shard auto -o out/b a.json \
  2> k8s.err || rc=$?
test "$rc" -eq 1
grep -q 'set BONRUN_SHARDS' k8s.err
test ! -e out/b

# a Kubernetes Indexed Job (N given), and BONRUN_SHARD anywhere
JOB_COMPLETION_INDEX=1 BONRUN_SHARDS=2 "$BONRUN" run --shard auto \
  -o out/k a.json 2> k.err
grep -q 'shard 2/2 (JOB_COMPLETION_INDEX=1 and BONRUN_SHARDS=2)' k.err
BONRUN_SHARD=1/2 "$BONRUN" run -q --shard auto -o out/k a.json
"$BONRUN" run -q --analyze-only -o out/k a.json
cmp out/one/scores.csv out/k/scores.csv
rc=0; "$BONRUN" run -q --shard 1/3 -o out/k a.json 2> n3.err || rc=$?
test "$rc" -eq 1
grep -q 'one output holds one split' n3.err
rc=0; "$BONRUN" run --shard 2/4x a.json 2>/dev/null || rc=$?
test "$rc" -eq 2
rc=0; "$BONRUN" run --shard 1/2 --analyze-only a.json 2>/dev/null || rc=$?
test "$rc" -eq 2
