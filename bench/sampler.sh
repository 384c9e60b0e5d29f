#!/usr/bin/env bash
# What drawing one file's samples costs, by generator algorithm, with and without the options
# that inline the JDK's normal sampler (generate-child's in conf/jvm-options.conf),
# each case in fresh JVMs, taking turns. Prints milliseconds a file: the best of 5 one-second
# rounds in each JVM, then the median over the JVMs.
#
#   bench/sampler.sh [SAMPLES] [JVMS] [ALGORITHM...]
#                        default 100000 samples a file, 5 JVMs a case, and the generator that
#                        generate uses (Xoroshiro128PlusPlus) beside the JDK's default one
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAMPLES=${1:-100000}
JVMS=${2:-5}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The lines naming generate-child, but not those for a system alone (`linux: ...`): this measures
# the inlining, on the JVM's own memory settings.
mapfile -t inline < <(awk '/^[^#]*=/ && substr($0, 1, index($0, "=") - 1) ~ /(^|,) *generate-child *(,|$)/ &&
                               substr($0, 1, index($0, "=") - 1) !~ /:/ {
                               sub(/^[^=]*= */, ""); sub(/ *$/, ""); print }' "$ROOT/conf/jvm-options.conf")
[[ ${#inline[@]} -gt 0 ]] || { echo "sampler.sh: no generate-child options in conf/jvm-options.conf" >&2; exit 1; }
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
javac -d "$classes" "$ROOT/bench/sampler/SamplerBench.java"

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
algorithms=("${@:3}")
[[ ${#algorithms[@]} -gt 0 ]] || algorithms=(L64X128MixRandom Xoroshiro128PlusPlus)
declare -A times
for ((jvm = 1; jvm <= JVMS; jvm++)); do
  for algorithm in "${algorithms[@]}"; do
    times[$algorithm:call]+=" $("$java" -cp "$classes" SamplerBench "$algorithm" "$SAMPLES")"
    times[$algorithm:inline]+=" $("$java" "${inline[@]}" -cp "$classes" SamplerBench "$algorithm" "$SAMPLES")"
  done
done
printf '%-22s %14s %14s   ms a file of %s samples, median of %s JVMs\n' \
  algorithm "sampler called" "inlined" "$SAMPLES" "$JVMS"
for algorithm in "${algorithms[@]}"; do
  printf '%-22s %14s %14s   (%s / %s)\n' "$algorithm" \
    "$(median <<< "${times[$algorithm:call]}")" "$(median <<< "${times[$algorithm:inline]}")" \
    "${times[$algorithm:call]# }" "${times[$algorithm:inline]# }"
done
