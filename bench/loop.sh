#!/usr/bin/env bash
# Where a warm stats job's time goes beyond the reading itself, on a folder of file_0.npy ...
# file_<FILES-1>.npy in the page cache, three contenders taking turns, each after the folder is
# read once more:
#   - limit.c with THREADS threads: each file read whole, then two plain passes;
#   - a plain Java loop of npystats' .npy reader and kernel on THREADS threads, files dealt as
#     limit.c deals them, under C1 as stats runs (KernelBench loop): its first pass in a fresh
#     JVM, as a job makes it, and its best pass once warm;
#   - the stats job, ./submit.sh --master 'local[THREADS]' stats, as the command prints it.
# Prints seconds, the median of ROUNDS, and each against limit.c: what the JVM adds is the loop
# over limit.c, what Spark, the tasks and the table add is the job over the loop's first pass.
#
#   PEERS=../shared/bench bench/loop.sh DIR [FILES] [THREADS] [ROUNDS]
#                        default: every file_*.npy in DIR, 2 threads, 3 rounds
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${1:?usage: bench/loop.sh DIR [FILES] [THREADS] [ROUNDS]}
FILES=${2:-$(find "$DIR/" -maxdepth 1 -name 'file_*.npy' | wc -l)}
THREADS=${3:-2}
ROUNDS=${4:-3}
PEERS=${PEERS:-$ROOT/../shared/bench}
[[ -f $PEERS/limit.c ]] || { echo "loop.sh: no limit.c in $PEERS (set PEERS)" >&2; exit 2; }
[[ -f $DIR/file_0.npy && -f $DIR/file_$((FILES - 1)).npy ]] ||
  { echo "loop.sh: $DIR has no file_0.npy ... file_$((FILES - 1)).npy" >&2; exit 2; }
source "$ROOT/bench/lib.sh"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes"
gcc -O2 -pthread -o "$work/limit" "$PEERS/limit.c" -lm
"$javac" -d "$work/classes" "$ROOT/src/main/java/io/npystats/stats/StreamingStats.java" \
  "$ROOT"/src/main/java/io/npystats/npy/*.java "$ROOT/bench/kernel/KernelBench.java"
record_archives "$work"

warm() { find "$DIR/" -maxdepth 1 -name 'file_*.npy' -print0 | xargs -0 cat > /dev/null; }
declare -A times
for ((round = 1; round <= ROUNDS; round++)); do
  warm; times[limit]+=" $("$work/limit" "$DIR" "$FILES" "$THREADS" | awk '{ print $3 }')"
  warm; read -r first best < <("$java" -XX:TieredStopAtLevel=1 -cp "$work/classes" KernelBench loop \
    "$DIR" "$FILES" "$THREADS")
  times[first]+=" $first" times[best]+=" $best"
  warm; times[job]+=" $("$ROOT/submit.sh" --master "local[$THREADS]" stats --in "$DIR" \
    --warehouse "$work/warehouse" 2>/dev/null | seconds_of job)"
done
limit=$(median <<< "${times[limit]}")
printf '%-52s %8s %8s   %s\n' "$FILES files, $THREADS threads, seconds" median "/ limit" "(every round)"
for key in limit first best job; do
  case $key in
    limit) what="limit.c" ;;
    first) what="Java loop, reader and kernel, first pass (C1)" ;;
    best) what="Java loop, reader and kernel, warm (C1)" ;;
    job) what="stats job, local[$THREADS]" ;;
  esac
  value=$(median <<< "${times[$key]}")
  printf '%-52s %8s %7.2fx   (%s)\n' "$what" "$value" "$(awk -v a="$value" -v b="$limit" 'BEGIN { print a / b }')" \
    "${times[$key]# }"
done
