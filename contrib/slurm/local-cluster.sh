#!/bin/sh
# local-cluster.sh - a throwaway single-node Slurm cluster on this machine,
# to try the templates of this folder (and for tests/e2e/slurm.sh).
#
#   sh contrib/slurm/local-cluster.sh up STATE_DIR     start munged,
#        slurmctld and slurmd with everything (config, keys, sockets, logs,
#        PID files) under STATE_DIR; prints "export SLURM_CONF=..."
#   sh contrib/slurm/local-cluster.sh wait STATE_DIR JOBID...   until the
#        jobs have left the queue (polls every 0.2 s: sbatch --wait sleeps
#        up to 32 s between looks)
#   sh contrib/slurm/local-cluster.sh down STATE_DIR   cancel every job and
#        stop the daemons by their PIDs
#
# Needs root and Debian's slurmctld, slurmd, slurm-client and munge (as
# root: apt-get install -y --no-install-recommends slurmctld slurmd
# slurm-client munge).  Nothing outside STATE_DIR is written: munged gets
# its own socket and a copy of the key, the daemons listen on two free
# ports, so a system munged or another cluster on the machine is left
# alone.  Exit 0 ok, 1 failure, 77 "cannot run here" (not root, packages
# missing), with one line saying why.
set -u

die() { echo "local-cluster: $*" >&2; exit 1; }
skip() { echo "local-cluster: $*" >&2; exit 77; }

[ $# -ge 2 ] || { sed -n '2,20s/^# \{0,1\}//p' "$0" >&2; exit 2; }
cmd=$1
S=$2
shift 2

# 1 if PID is a live process (not a zombie) whose comm is NAME
alive() {
  [ -r "/proc/$1/stat" ] || return 1
  st=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$st" != Z ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# stop_pid PID NAME: TERM, then KILL after 10 s
stop_pid() {
  alive "$1" "$2" || return 0
  kill -TERM "$1" 2>/dev/null
  i=0
  while alive "$1" "$2" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  if alive "$1" "$2"; then
    echo "local-cluster: $2 ($1) ignored SIGTERM for 10 s: SIGKILL" >&2
    kill -KILL "$1" 2>/dev/null
  fi
}

# a TCP port nobody listens on, from $1 on
free_port() {
  p=$1
  while [ "$p" -lt 65000 ]; do
    hex=$(printf '%04X' "$p")
    if ! awk -v h=":$hex" '$2 ~ h"$" && $4 == "0A" {f=1} END {exit !f}' \
         /proc/net/tcp /proc/net/tcp6 2>/dev/null &&
       ! grep -qx "$p" "$S/ports.taken" 2>/dev/null; then
      echo "$p" >> "$S/ports.taken"
      echo "$p"
      return 0
    fi
    p=$((p + 1))
  done
  return 1
}

squeue_ids() { squeue -h -o %i 2>/dev/null; }

up() {
  [ "$(id -u)" = 0 ] || skip "not root: a Slurm cluster needs root"
  for c in munged slurmctld slurmd sbatch squeue scontrol setpriv; do
    command -v $c >/dev/null 2>&1 ||
      skip "$c is not installed (apt-get install slurmctld slurmd" \
        "slurm-client munge)"
  done
  id munge >/dev/null 2>&1 || skip "no user munge (is munge installed?)"
  if [ -f "$S/slurmctld.bgpid" ] && alive "$(cat "$S/slurmctld.bgpid")" \
       slurmctld; then
    echo "export SLURM_CONF=$S/slurm.conf"
    return 0
  fi
  mkdir -p "$S/spool" "$S/ctld" "$S/log" "$S/munge" || die "cannot create $S"
  S=$(cd "$S" && pwd)
  chmod 0755 "$S"   # munged (user munge) must reach its folder
  rm -f "$S/ports.taken"
  # munged insists on a folder it owns that everyone may enter, and on a
  # key only it can read
  M=$S/munge
  chown munge:munge "$M" && chmod 0711 "$M" || die "cannot chown $M"
  if [ -r /etc/munge/munge.key ]; then
    cp /etc/munge/munge.key "$M/munge.key"
  else
    dd if=/dev/urandom of="$M/munge.key" bs=1024 count=1 2>/dev/null
  fi
  chown munge:munge "$M/munge.key" && chmod 0400 "$M/munge.key"
  setpriv --reuid=munge --regid=munge --init-groups \
    munged -F --socket="$M/socket" --key-file="$M/munge.key" \
    --pid-file="$M/munged.pid" --log-file="$M/munged.log" \
    --seed-file="$M/munged.seed" >"$S/log/munged.out" 2>&1 &
  echo $! > "$S/munged.bgpid"
  i=0
  while [ ! -S "$M/socket" ] && [ $i -lt 50 ] &&
        alive "$(cat "$S/munged.bgpid")" munged; do
    sleep 0.1
    i=$((i + 1))
  done
  [ -S "$M/socket" ] ||
    die "munged did not start: $(tail -1 "$S/log/munged.out")"
  # below the kernel's ephemeral range (32768-60999), where port 0 lands
  base=$((10000 + $(printf '%s' "$S" | cksum | cut -d' ' -f1) % 20000))
  cport=$(free_port $base) && dport=$(free_port $((cport + 1))) ||
    die "no free TCP port"
  node=$(slurmd -C | sed -n 's/^NodeName=[^ ]* //p' | head -1)
  [ -n "$node" ] || die "slurmd -C printed no node line"
  name=ci$(printf '%s' "$S" | cksum | cut -d' ' -f1 | cut -c1-6)
  cat > "$S/slurm.conf" <<EOF
# written by contrib/slurm/local-cluster.sh
ClusterName=$name
SlurmctldHost=$(uname -n)(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$M/socket,cred_expire=${SLURM_CRED_EXPIRE:-5}
MailProg=/bin/true
SlurmctldPort=$cport
SlurmdPort=$dport
StateSaveLocation=$S/ctld
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_interval=1,bf_interval=1
MpiDefault=none
ReturnToService=2
KillWait=5
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$name NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=debug Nodes=$name Default=YES MaxTime=INFINITE State=UP
EOF
  nohup slurmctld -D -f "$S/slurm.conf" >"$S/log/slurmctld.out" 2>&1 &
  echo $! > "$S/slurmctld.bgpid"
  nohup slurmd -D -N "$name" -f "$S/slurm.conf" >"$S/log/slurmd.out" 2>&1 &
  echo $! > "$S/slurmd.bgpid"
  export SLURM_CONF="$S/slurm.conf"
  i=0
  while [ $i -lt 150 ]; do
    st=$(sinfo -h -o %t 2>/dev/null)
    case "$st" in idle*|mix*|alloc*) break ;; esac
    alive "$(cat "$S/slurmctld.bgpid")" slurmctld ||
      die "slurmctld exited: $(tail -3 "$S/log/slurmctld.out")"
    alive "$(cat "$S/slurmd.bgpid")" slurmd ||
      die "slurmd exited: $(tail -3 "$S/log/slurmd.out")"
    sleep 0.1
    i=$((i + 1))
  done
  case "$st" in
    idle*|mix*|alloc*) ;;
    *) die "the node is not up after 15 s (state '$st'; see $S/log)" ;;
  esac
  echo "export SLURM_CONF=$S/slurm.conf"
}

# wait until every job named has left the queue (timeout: $WAIT_S, 120 s)
wait_jobs() {
  export SLURM_CONF="$S/slurm.conf"
  limit=$(( ${WAIT_S:-120} * 5 ))
  i=0
  while [ $i -lt $limit ]; do
    left=$(squeue -h -o %i -j "$(echo "$@" | tr ' ' ',')" 2>/dev/null)
    [ -z "$left" ] && return 0
    sleep 0.2
    i=$((i + 1))
  done
  echo "local-cluster: still queued after ${WAIT_S:-120} s: $left" >&2
  return 1
}

down() {
  [ -f "$S/slurm.conf" ] || return 0
  export SLURM_CONF="$S/slurm.conf"
  ctld=$(cat "$S/slurmctld.bgpid" 2>/dev/null)
  if [ -n "$ctld" ] && alive "$ctld" slurmctld; then
    ids=$(squeue_ids)
    if [ -n "$ids" ]; then
      scancel $ids 2>/dev/null
      WAIT_S=15 wait_jobs $ids
    fi
  fi
  # a job step that outlived the cancel (slurmstepd ignores SIGTERM)
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = slurmstepd ] || continue
    if ls -l "$d/fd" 2>/dev/null | grep -q "$S/"; then
      echo "local-cluster: slurmstepd ${d#/proc/} still runs: SIGKILL" >&2
      kill -KILL "${d#/proc/}" 2>/dev/null
    fi
  done
  for n in slurmd slurmctld; do
    p=$(cat "$S/$n.bgpid" 2>/dev/null) && [ -n "$p" ] && kill -TERM "$p" \
      2>/dev/null
  done
  for n in slurmd slurmctld; do
    p=$(cat "$S/$n.bgpid" 2>/dev/null) && [ -n "$p" ] && stop_pid "$p" $n
  done
  p=$(cat "$S/munged.bgpid" 2>/dev/null) && [ -n "$p" ] && stop_pid "$p" munged
  rm -f "$S/slurmctld.bgpid" "$S/slurmd.bgpid" "$S/munged.bgpid"
  return 0
}

case "$cmd" in
  up) up ;;
  down) down ;;
  wait) wait_jobs "$@" ;;
  *) die "unknown command $cmd (up, wait, down)" ;;
esac
