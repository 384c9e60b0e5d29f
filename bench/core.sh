#!/usr/bin/env bash
# The core benchmark: `generate` and `stats` beside numpy's own loop and a C reader, on the same
# files, in the same run, so the ratios hold even on a busy machine.
#
#   bench/core.sh [FILES] [SAMPLES]            default 2000 x 100000 (1.6 GB under data/)
#   PEERS=/path/to/bench bench/core.sh         where notebook_peer.py and limit.c are
#                                              (default: ../shared/bench beside the checkout)
#   ROUNDS=5 bench/core.sh                     rounds of every measurement (default 5); medians
#   BENCH_DIR=/dev/shm/npystats bench/core.sh  where the files go (default data/bench-core): a
#                                              memory-backed folder takes the disk's file system
#                                              out of the comparison
#
# Times are job times without Spark's start-up (the commands print both); each npystats command
# is a fresh JVM, as a user runs it. Every round runs all the contenders back to back, and the
# medians over the rounds make the table; generate's contenders take turns going first. The
# page cache is warm for every stats reader: the folder is read again before each of them.
# Beside generate runs a floor that only writes: two processes writing files of the same size
# with no samples to draw, which no generator on this disk can beat.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=${1:-2000}
SAMPLES=${2:-100000}
ROUNDS=${ROUNDS:-5}
PEERS=${PEERS:-$ROOT/../shared/bench}
DATA=${BENCH_DIR:-$ROOT/data/bench-core}
# Every generate contender writes a new folder each round under $RUN; see "Nothing is deleted"
# below for why. The folder that stats reads is the last one npystats wrote.
RUN=$DATA/run-$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$DATA"

source "$ROOT/bench/lib.sh"
need_peers bench/core.sh "$DATA"
record_archives "$DATA"

# Writes FILES files of the generated size in two processes, through the page cache as np.save
# does, and prints the seconds: the floor for generate on this disk, since it draws no samples.
write_floor() {
  python3 - "$FLOOR" "$FILES" "$SAMPLES" <<'PY'
import os, sys, time
from multiprocessing import Process
d, files, samples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(d, exist_ok=True)
data = os.urandom(128 + 8 * samples)
def write(part):
    for i in range(part, files, 2):
        with open(f"{d}/file_{i}.npy", "wb") as f:
            f.write(data)
t = time.perf_counter()
workers = [Process(target=write, args=(p,)) for p in (0, 1)]
for w in workers: w.start()
for w in workers: w.join()
print(f"{time.perf_counter() - t:.3f}")
PY
}

# Every contender starts from the same state of the disk and of memory:
# - Nothing is deleted while the run lasts. ext4 without a journal (as on many VMs) does not
#   reuse an inode freed in the last minute, six while the inode table's block is dirty, and
#   scans past every such inode on each create. Deleting the last round's 2,000 files before a
#   contender charged it about 0.5 ms a file: creating 2,000 empty files took 0.04 s on a quiet
#   disk and 1.1 s right after such a delete, a cost that a user writing a new folder does not
#   pay. The run's folders are removed when it ends, so a run started within six minutes of the
#   last one pays it again.
# - Before each contender, what the others wrote is flushed to disk and dropped from the page
#   cache (settle). Kept cached, every round took more memory, and on a VM fresh memory can cost
#   far more than memory just freed: writing 2,000 files of 800 KB took 0.6, 1.1, 3.1 and 3.8 s
#   in four rounds with the files kept, and 0.4 to 0.6 s with them dropped after each round.
# - Then the script waits 5 s. Some VMs hand memory the guest frees back to the host within
#   seconds (free page reporting), and memory used again after that costs the host's page faults.
#   A contender that writes at once gets the memory the settle just freed while it is still
#   cheap; a JVM that starts Spark first does not: the write-only floor took 0.22 to 0.25 s
#   straight after a settle, and 0.67 to 0.82 s five seconds after one. After the wait every
#   contender starts from the same memory.
trap 'rm -rf "$RUN"' EXIT
run_gen_ours() {
  OURS=$RUN/npystats-$round
  settle "$RUN"
  gen_ours+=("$("$ROOT/submit.sh" generate --out "$OURS" --files "$FILES" --samples "$SAMPLES" --seed 1 2>/dev/null \
    | tee /dev/stderr | sed -n 's/^ *\([0-9.]*\) s,.*/\1/p')")
}
run_gen_numpy() {
  mkdir -p "$RUN/numpy-$round"
  settle "$RUN"
  gen_numpy+=("$(python3 "$PEERS/notebook_peer.py" "$RUN/numpy-$round" "$FILES" "$SAMPLES" gen | tee /dev/stderr | awk '$1 == "gen" {print $3}')")
}
run_gen_floor() {
  FLOOR=$RUN/floor-$round
  settle "$RUN"
  gen_floor+=("$(write_floor | tee /dev/stderr)")
}
# The order turns every round, so that no contender always draws the same position.
contenders=(run_gen_ours run_gen_numpy run_gen_floor)
gen_ours=() gen_numpy=() gen_floor=()
for round in $(seq "$ROUNDS"); do
  echo "== generate $FILES x $SAMPLES, round $round of $ROUNDS (numpy: one process, as the notebook does)"
  for k in 0 1 2; do
    "${contenders[(round - 1 + k) % 3]}"
  done
done

modes="seq threads pool"
python3 -c 'import joblib' 2>/dev/null && modes="$modes joblib_procs joblib_threads"
# The kernel may reclaim cached pages between runs (some VMs run a proactive reclaimer), so the
# folder is read again before each stats contender: each starts from a warm cache.
warm() { cat "$OURS"/*.npy > /dev/null; }
stats_ours=() stats_numpy=() limit1=() limit2=()
for round in $(seq "$ROUNDS"); do
  echo "== stats, warm page cache, round $round of $ROUNDS"
  warm
  stats_ours+=("$("$ROOT/submit.sh" --master 'local[2]' stats --in "$OURS" --run-id bench-core 2>/dev/null \
    | tee /dev/stderr | seconds_of job)")
  warm
  peer_out=$(python3 "$PEERS/notebook_peer.py" "$OURS" "$FILES" "$SAMPLES" $modes 2>&1 | tee /dev/stderr)
  stats_numpy+=("$(awk 'NF == 5 && $2 ~ /^[0-9]+$/ && $3 > 0 { if (best == "" || $3 < best) { best = $3; mode = $1 } } END { print best ":" mode }' <<< "$peer_out")")
  warm
  limit1+=("$("$DATA/limit" "$OURS" "$FILES" 1 | tee /dev/stderr | awk '{print $3}')")
  limit2+=("$("$DATA/limit" "$OURS" "$FILES" 2 | tee /dev/stderr | awk '{print $3}')")
done

best_modes=$(printf '%s\n' "${stats_numpy[@]}" | cut -d: -f2 | sort | uniq -c | sort -rn | awk '{ printf "%s%s", sep, $2; sep = "/" }')
awk -v f="$FILES" -v r="$ROUNDS" -v go="$(median <<< "${gen_ours[*]}")" -v gn="$(median <<< "${gen_numpy[*]}")" \
    -v gf="$(median <<< "${gen_floor[*]}")" -v so="$(median <<< "${stats_ours[*]}")" \
    -v bn="$(printf '%s\n' "${stats_numpy[@]}" | cut -d: -f1 | median)" -v bm="$best_modes" \
    -v l1="$(median <<< "${limit1[*]}")" -v l2="$(median <<< "${limit2[*]}")" 'BEGIN {
  printf "\nmedians of %d rounds\n%-52s %10s %10s\n", r, "what", "seconds", "files/s"
  printf "%-52s %10.2f %10.0f\n", "generate: npystats local[*]", go, f / go
  printf "%-52s %10.2f %10.0f\n", "generate: numpy np.save loop", gn, f / gn
  printf "%-52s %10.2f %10.0f\n", "generate: write-only floor (2 processes, no samples)", gf, f / gf
  printf "%-52s %10.2f %10.0f\n", "stats: npystats local[2] (job time)", so, f / so
  printf "%-52s %10.2f %10.0f\n", "stats: numpy best (" bm ")", bn, f / bn
  printf "%-52s %10.2f %10.0f\n", "stats: limit.c 1 thread", l1, f / l1
  printf "%-52s %10.2f %10.0f\n", "stats: limit.c 2 threads", l2, f / l2
  printf "\nratios (target): generate / numpy %.2fx (>= 4), stats / best numpy %.2fx (>= 2), stats / limit.c 2 threads %.2fx (>= 0.5)\n", gn / go, bn / so, l2 / so
  printf "generate over the write-only floor: %.2fx\n", go / gf
}'
