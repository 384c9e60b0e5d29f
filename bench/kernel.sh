#!/usr/bin/env bash
# What the statistics kernel (the io.npystats.stats package) costs a file, this checkout's against
# another commit's, compiled as stats runs it (C2 for the SIMD lanes alone,
# conf/stats-directives.json), under the quick compiler alone (C1) and under the JVM's defaults: the kernel alone on chunks in cache, and whole files read through the
# .npy reader from the page cache (200 files written once under a temporary folder). Each case
# runs in fresh JVMs, the two builds taking turns, so that a busy machine slows both alike.
# Prints CPU milliseconds a file: the best of 5 rounds in each JVM, then the median over the
# JVMs, and the ratio of the medians.
#
#   bench/kernel.sh [BASE-COMMIT] [SAMPLES] [JVMS]
#                        default: HEAD, 100000 samples a file, 5 JVMs a case
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=${1:-HEAD}
SAMPLES=${2:-100000}
JVMS=${3:-5}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
KERNEL=src/main/java/io/npystats/stats
NPY=src/main/java/io/npystats/npy
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base" "$work/this" "$work/files" "$work/src"
source "$ROOT/bench/lib.sh"
# The .npy package and the benchmark are this checkout's in both builds; only the kernel (the
# stats package) differs.
git -C "$ROOT" archive "$BASE" "$KERNEL" | tar -x -C "$work/src"
javac_kernel() { "$javac" -nowarn --add-modules=jdk.incubator.vector "$@" 2> >(grep -v incubat >&2); }
javac_kernel -d "$work/base" "$work/src/$KERNEL"/*.java "$ROOT/$NPY"/*.java "$ROOT/bench/kernel/KernelBench.java"
javac_kernel -d "$work/this" "$ROOT/$KERNEL"/*.java "$ROOT/$NPY"/*.java "$ROOT/bench/kernel/KernelBench.java"
"$java" -cp "$work/this" KernelBench write "$work/files" 200 "$SAMPLES"

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A times
declare -A options=([stats]="${KERNEL_JVM[*]}" [c1]="--add-modules=jdk.incubator.vector -XX:TieredStopAtLevel=1"
                    [c2]="--add-modules=jdk.incubator.vector")
declare -A modes=([kernel]="kernel $SAMPLES" [files]="files $work/files")
for ((jvm = 1; jvm <= JVMS; jvm++)); do
  for mode in kernel files; do
    for compiler in stats c1 c2; do
      for build in base this; do
        # shellcheck disable=SC2086
        times[$mode:$compiler:$build]+=" $("$java" ${options[$compiler]} -cp "$work/$build" \
          KernelBench ${modes[$mode]})"
      done
    done
  done
done
printf '%-7s %-9s %10s %10s %7s   CPU ms a file of %s samples, median of %s JVMs\n' \
  what compiler "$BASE" this ratio "$SAMPLES" "$JVMS"
for mode in kernel files; do
  for compiler in stats c1 c2; do
    base=$(median <<< "${times[$mode:$compiler:base]}")
    this=$(median <<< "${times[$mode:$compiler:this]}")
    printf '%-7s %-9s %10s %10s %7s   (%s / %s)\n' "$mode" "$compiler" "$base" "$this" \
      "$(awk -v a="$base" -v b="$this" 'BEGIN { printf "%.3f", b / a }')" \
      "${times[$mode:$compiler:base]# }" "${times[$mode:$compiler:this]# }"
  done
done
