#!/usr/bin/env bash
# What an exact mean costs, in C and in Java, on the same files in the page cache, one thread:
#   - limit.c: each file read whole, then two plain passes (sum, then squared deviations);
#   - exact_kernel.c: the same reading, then npystats' one-pass compensated kernel in C
#     (bench/kernel/exact_kernel.c);
#   - Java: npystats' .npy reader and kernel (KernelBench files), under C1 as stats runs, and C2.
# Prints milliseconds a file: for C the wall clock of one run over every file, for Java the
# thread's CPU time (best of 5 one-second rounds in a JVM); the median of ROUNDS, the contenders
# taking turns, each after the files are read once more (pages idle for a while may be reclaimed).
#
#   PEERS=../shared/bench bench/kernel-c.sh [FILES] [SAMPLES] [ROUNDS]
#                        default: 2000 files of 100000 samples, 5 rounds
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=${1:-2000}
SAMPLES=${2:-100000}
ROUNDS=${3:-5}
PEERS=${PEERS:-$ROOT/../shared/bench}
[[ -f $PEERS/limit.c ]] || { echo "kernel-c.sh: no limit.c in $PEERS (set PEERS)" >&2; exit 2; }
command -v gcc > /dev/null || { echo "kernel-c.sh: needs gcc (apt-get install gcc)" >&2; exit 2; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes" "$work/files"
gcc -O2 -pthread -o "$work/limit" "$PEERS/limit.c" -lm
gcc -O2 -pthread -o "$work/exact" "$ROOT/bench/kernel/exact_kernel.c" -lm
"$javac" -d "$work/classes" "$ROOT/src/main/java/io/npystats/stats/StreamingStats.java" \
  "$ROOT"/src/main/java/io/npystats/npy/*.java "$ROOT/bench/kernel/KernelBench.java"
"$java" -cp "$work/classes" KernelBench write "$work/files" "$FILES" "$SAMPLES"

warm() { find "$work/files" -name '*.npy' -print0 | xargs -0 cat > /dev/null; }
per_file() { awk -v files="$FILES" '{ printf "%.4f", $3 * 1000 / files }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A times
for ((round = 1; round <= ROUNDS; round++)); do
  warm; times[limit]+=" $("$work/limit" "$work/files" "$FILES" 1 | per_file)"
  warm; times[exact]+=" $("$work/exact" "$work/files" "$FILES" 1 | per_file)"
  warm; times[c1]+=" $("$java" -XX:TieredStopAtLevel=1 -cp "$work/classes" KernelBench files "$work/files")"
  warm; times[c2]+=" $("$java" -cp "$work/classes" KernelBench files "$work/files")"
done
limit=$(median <<< "${times[limit]}")
printf '%-44s %8s %8s   %s\n' "ms a file of $SAMPLES samples, one thread" median "/ limit" "(every round)"
for key in limit exact c1 c2; do
  case $key in
    limit) what="limit.c: two plain passes" ;;
    exact) what="C, npystats' compensated one pass" ;;
    c1) what="Java, npystats' reader and kernel, C1" ;;
    c2) what="Java, npystats' reader and kernel, C2" ;;
  esac
  m=$(median <<< "${times[$key]}")
  printf '%-44s %8.4f %7.2fx   (%s)\n' "$what" "$m" "$(awk -v a="$m" -v b="$limit" 'BEGIN { print a / b }')" "${times[$key]# }"
done
