#!/usr/bin/env bash
# Where a warm stats job's time goes beyond the reading itself, on a folder of file_0.npy ...
# file_<N-1>.npy (and no other file_*.npy) in the page cache, three contenders taking turns,
# each after the folder is read once more:
#   - limit.c with THREADS threads: each file read whole, then two plain passes;
#   - a plain Java loop of npystats' .npy reader and kernel on THREADS threads, files dealt as
#     limit.c deals them, compiled as stats runs (KernelBench loop): its first pass in a fresh
#     JVM, as a job makes it, and its best pass once warm;
#   - the stats job, ./submit.sh --master 'local[THREADS]' stats, as the command prints it.
# Prints seconds, the median of ROUNDS, and each against limit.c: what the JVM adds is the loop
# over limit.c, what Spark, the tasks and the table add is the job over the loop's first pass.
#
#   PEERS=../shared/bench bench/loop.sh DIR [THREADS] [ROUNDS]
#                        default: 2 threads, 3 rounds; every reader reads every file of DIR
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${1:?usage: bench/loop.sh DIR [THREADS] [ROUNDS]}
[[ -d $DIR ]] || { echo "loop.sh: no folder $DIR" >&2; exit 2; }
FILES=$(find "$DIR/" -maxdepth 1 -name 'file_*.npy' | wc -l)
THREADS=${2:-2}
ROUNDS=${3:-3}
PEERS=${PEERS:-$ROOT/../shared/bench}
[[ -f $PEERS/limit.c ]] || { echo "loop.sh: no limit.c in $PEERS (set PEERS)" >&2; exit 2; }
# limit.c and the loop read file_0.npy to file_<N-1>.npy, the job every file of the folder.
(( FILES > 0 )) && [[ -f $DIR/file_0.npy && -f $DIR/file_$((FILES - 1)).npy ]] ||
  { echo "loop.sh: $DIR holds $FILES file_*.npy, not file_0.npy to file_$((FILES - 1)).npy" >&2; exit 2; }
source "$ROOT/bench/lib.sh"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes"
gcc -O2 -pthread -o "$work/limit" "$PEERS/limit.c" -lm
compile_kernel "$work/classes"
record_archives "$work"

warm() { find "$DIR/" -maxdepth 1 -name 'file_*.npy' -print0 | xargs -0 cat > /dev/null; }
declare -A times
for ((round = 1; round <= ROUNDS; round++)); do
  warm; times[limit]+=" $("$work/limit" "$DIR" "$FILES" "$THREADS" | awk '{ print $3 }')"
  warm; read -r first best < <("$java" "${KERNEL_JVM[@]}" -cp "$work/classes" KernelBench loop \
    "$DIR" "$FILES" "$THREADS")
  times[first]+=" $first" times[best]+=" $best"
  warm; times[job]+=" $("$ROOT/submit.sh" --master "local[$THREADS]" stats --in "$DIR" \
    --warehouse "$work/warehouse" 2>/dev/null | seconds_of job)"
done
against_first times "$FILES files, $THREADS threads, seconds" "limit=limit.c" \
  "first=Java loop, reader and kernel, first pass" "best=Java loop, reader and kernel, warm" \
  "job=stats job, local[$THREADS]"
