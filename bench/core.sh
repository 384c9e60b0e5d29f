#!/usr/bin/env bash
# The core benchmark: `generate` and `stats` beside numpy's own loop and a C reader, on the same
# files, in the same run, so the ratios hold even on a busy machine.
#
#   bench/core.sh [FILES] [SAMPLES]            default 2000 x 100000 (1.6 GB under data/)
#   PEERS=/path/to/bench bench/core.sh         where notebook_peer.py and limit.c are
#                                              (default: ../shared/bench beside the checkout)
#
# Times are job times without Spark's start-up (the commands print both). The page cache is warm
# for every stats reader: the folder is read once before the timed runs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=${1:-2000}
SAMPLES=${2:-100000}
PEERS=${PEERS:-$ROOT/../shared/bench}
DATA=$ROOT/data/bench-core
OURS=$DATA/files
THEIRS=$DATA/numpy
mkdir -p "$DATA"

[[ -f $PEERS/notebook_peer.py && -f $PEERS/limit.c ]] || {
  echo "bench/core.sh: no notebook_peer.py and limit.c in $PEERS (set PEERS)" >&2; exit 2; }
python3 -c 'import numpy' || { echo "bench/core.sh: needs python3 with numpy" >&2; exit 2; }
gcc -O2 -pthread -o "$DATA/limit" "$PEERS/limit.c" -lm

seconds_of() { sed -n "s/.*$1 \([0-9.]*\) s.*/\1/p" | head -1; }

echo "== generate $FILES x $SAMPLES (fresh folders; numpy: one process, as the notebook does)"
rm -rf "$OURS" "$THEIRS"
gen_ours=$("$ROOT/submit.sh" generate --out "$OURS" --files "$FILES" --samples "$SAMPLES" --seed 1 2>/dev/null \
  | tee /dev/stderr | sed -n 's/^ *\([0-9.]*\) s,.*/\1/p')
mkdir -p "$THEIRS"
gen_numpy=$(python3 "$PEERS/notebook_peer.py" "$THEIRS" "$FILES" "$SAMPLES" gen | tee /dev/stderr | awk '$1 == "gen" {print $3}')
rm -rf "$THEIRS"

echo "== stats, warm page cache"
cat "$OURS"/*.npy > /dev/null
stats_out=$("$ROOT/submit.sh" --master 'local[2]' stats --in "$OURS" --run-id bench-core 2>/dev/null | tee /dev/stderr)
stats_ours=$(seconds_of job <<< "$stats_out")
modes="seq threads pool"
python3 -c 'import joblib' 2>/dev/null && modes="$modes joblib_procs joblib_threads"
peer_out=$(python3 "$PEERS/notebook_peer.py" "$OURS" "$FILES" "$SAMPLES" $modes 2>&1 | tee /dev/stderr)
best_numpy=$(awk 'NF == 5 && $2 ~ /^[0-9]+$/ && $3 > 0 { if (best == "" || $3 < best) { best = $3; mode = $1 } } END { print best, mode }' <<< "$peer_out")
limit1=$("$DATA/limit" "$OURS" "$FILES" 1 | tee /dev/stderr | awk '{print $3}')
limit2=$("$DATA/limit" "$OURS" "$FILES" 2 | tee /dev/stderr | awk '{print $3}')

awk -v f="$FILES" -v go="$gen_ours" -v gn="$gen_numpy" -v so="$stats_ours" \
    -v bn="${best_numpy% *}" -v bm="${best_numpy#* }" -v l1="$limit1" -v l2="$limit2" 'BEGIN {
  printf "\n%-44s %10s %10s\n", "what", "seconds", "files/s"
  printf "%-44s %10.2f %10.0f\n", "generate: npystats local[*]", go, f / go
  printf "%-44s %10.2f %10.0f\n", "generate: numpy np.save loop", gn, f / gn
  printf "%-44s %10.2f %10.0f\n", "stats: npystats local[2] (job time)", so, f / so
  printf "%-44s %10.2f %10.0f\n", "stats: numpy best (" bm ")", bn, f / bn
  printf "%-44s %10.2f %10.0f\n", "stats: limit.c 1 thread", l1, f / l1
  printf "%-44s %10.2f %10.0f\n", "stats: limit.c 2 threads", l2, f / l2
  printf "\nratios (target): generate / numpy %.2fx (>= 4), stats / best numpy %.2fx (>= 2), stats / limit.c 2 threads %.2fx (>= 0.5)\n", gn / go, bn / so, l2 / so
}'
