#!/usr/bin/env bash
# `stats` on the local standalone cluster with 1 and 2 workers of one core each, beside
# local[2], on the same files with a warm page cache; prints a table from the runs table.
#
#   bench/cluster.sh [FILES] [SAMPLES]      default 10000 x 100000 (8 GB under data/bench-cluster)
#   WAREHOUSE=DIR bench/cluster.sh          where the runs go (default: data/warehouse)
#
# The files are generated once (seed 7) and kept: a folder already complete is reused. The
# script starts and stops its own clusters (1g a worker, executors 1g) and refuses to run beside
# one already running. Job seconds exclude Spark's start-up and the executors' registration.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=${1:-10000}
SAMPLES=${2:-100000}
DATA=$ROOT/data/bench-cluster
WAREHOUSE=${WAREHOUSE:-$ROOT/data/warehouse}
LOG=$ROOT/data/bench-cluster.log
MASTER=spark://127.0.0.1:7077
SUBMIT=$ROOT/submit.sh

fail() { echo "bench/cluster.sh: $1" >&2; exit "${2:-1}"; }

if "$SUBMIT" cluster status >/dev/null 2>&1; then
  fail "a cluster already runs (./submit.sh cluster status); stop it first" 2
fi
mkdir -p "$DATA"
: >"$LOG"

have=$(find "$DATA/" -maxdepth 1 -name 'file_*.npy' -size "$((SAMPLES * 8 + 128))c" | wc -l)
if (( have < FILES )); then
  need_kb=$(( (FILES - have) * (SAMPLES * 8 + 128) / 1024 + 1024 * 1024 ))
  free_kb=$(df -Pk "$DATA" | awk 'NR == 2 { print $4 }')
  (( free_kb >= need_kb )) || fail "generating needs $((need_kb / 1024)) MB free in $DATA, there is $((free_kb / 1024)) MB"
  echo "== generate $FILES x $SAMPLES into $DATA"
  "$SUBMIT" generate --out "$DATA" --files "$FILES" --samples "$SAMPLES" --seed 7 2>>"$LOG" ||
    fail "generate failed; see $LOG"
fi

echo "== warm the page cache"
find "$DATA/" -maxdepth 1 -name 'file_*.npy' -print0 | xargs -0 cat >/dev/null

stats() {
  local id=$1; shift
  echo "== stats on $* ($id)"
  "$SUBMIT" "$@" stats --in "$DATA" --warehouse "$WAREHOUSE" --run-id "$id" 2>>"$LOG" ||
    fail "stats $id failed; see $LOG"
}

started=
stop_cluster() { if [[ -n $started ]]; then started=; "$SUBMIT" cluster stop >/dev/null; fi; }
trap stop_cluster EXIT

stats bench-cluster-local --master 'local[2]'
for workers in 1 2; do
  "$SUBMIT" cluster start --workers "$workers" --cores 1 --memory 1g
  started=1
  stats "bench-cluster-$workers" --master "$MASTER"
  stop_cluster
done

echo
echo "$FILES files x $SAMPLES samples ($(( FILES * (SAMPLES * 8 + 128) / 1000000 )) MB), load average $(cut -d' ' -f1-3 /proc/loadavg):"
"$SUBMIT" sql --warehouse "$WAREHOUSE" --format csv \
  "SELECT run_id, master, job_seconds, files_per_second, mb_per_second FROM runs
   WHERE run_id IN ('bench-cluster-local', 'bench-cluster-1', 'bench-cluster-2') ORDER BY master, run_id" 2>>"$LOG" |
  awk -F, 'NR == 1 { printf "%-24s %8s %14s %10s %8s\n", "master", "workers", "job seconds", "files/s", "MB/s"; next }
    { workers = $1 ~ /local/ ? "-" : substr($1, length("bench-cluster-") + 1)
      printf "%-24s %8s %14.2f %10.0f %8.0f\n", $2, workers, $3, $4, $5 }'
