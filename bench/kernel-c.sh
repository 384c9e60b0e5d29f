#!/usr/bin/env bash
# What an exact mean costs, in C and in Java, on the same files in the page cache, one thread:
#   - limit.c: each file read whole, then two plain passes (sum, then squared deviations);
#   - exact_kernel.c: the same reading, then npystats' one-pass compensated kernel in C
#     (bench/kernel/exact_kernel.c);
#   - Java: npystats' .npy reader and kernel (KernelBench files): as stats runs (C2 for the
#     kernel's SIMD lanes alone, conf/stats-directives.json), under C1 alone (the scalar lanes),
#     and with every JVM default.
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
source "$ROOT/bench/lib.sh"
[[ -f $PEERS/limit.c ]] || { echo "kernel-c.sh: no limit.c in $PEERS (set PEERS)" >&2; exit 2; }
command -v gcc > /dev/null || { echo "kernel-c.sh: needs gcc (apt-get install gcc)" >&2; exit 2; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes" "$work/files"
gcc -O2 -pthread -o "$work/limit" "$PEERS/limit.c" -lm
gcc -O2 -pthread -o "$work/exact" "$ROOT/bench/kernel/exact_kernel.c" -lm
compile_kernel "$work/classes"
"$java" -cp "$work/classes" KernelBench write "$work/files" "$FILES" "$SAMPLES"

warm() { find "$work/files" -name '*.npy' -print0 | xargs -0 cat > /dev/null; }
per_file() { awk -v files="$FILES" '{ printf "%.4f", $3 * 1000 / files }'; }
declare -A times
for ((round = 1; round <= ROUNDS; round++)); do
  warm; times[limit]+=" $("$work/limit" "$work/files" "$FILES" 1 | per_file)"
  warm; times[exact]+=" $("$work/exact" "$work/files" "$FILES" 1 | per_file)"
  warm; times[stats]+=" $("$java" "${KERNEL_JVM[@]}" -cp "$work/classes" KernelBench files "$work/files")"
  warm; times[c1]+=" $("$java" -XX:TieredStopAtLevel=1 -cp "$work/classes" KernelBench files "$work/files")"
  warm; times[c2]+=" $("$java" --add-modules=jdk.incubator.vector -cp "$work/classes" KernelBench files "$work/files")"
done
against_first times "ms a file of $SAMPLES samples, one thread" \
  "limit=limit.c: two plain passes" "exact=C, npystats' compensated one pass" \
  "stats=Java, npystats' reader and kernel, as stats runs (SIMD lanes)" \
  "c1=Java, the same, C1 alone (scalar lanes)" "c2=Java, the same, every JVM default (SIMD lanes)"
