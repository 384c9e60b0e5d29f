#!/usr/bin/env bash
# What splitting one large file buys, with Spark's job around it and without, the file in the
# page cache (read once more before each run):
#   - the kernel alone: the file's data read in 1, 2 and 4 ranges, each on a thread of its own,
#     through npystats' .npy reader into the kernel, compiled as stats runs (KernelBench split):
#     the best of seven passes in a warm JVM, the counts taking turns;
#   - the stats job, ./submit.sh --master 'local[2]' --driver-memory 512m stats, in splits (the
#     default) and in one task (--split-size as large as the file), ROUNDS rounds taking turns:
#     a fresh JVM each, as a user runs it;
#   - a Spark job on four small files in a fresh JVM: the job's own cost, which a split
#     shortens nothing of.
# Prints seconds (the median of the rounds) and each against the first line of its block.
#
#   bench/split.sh FILE [ROUNDS]         default: 3 rounds
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILE=${1:?usage: bench/split.sh FILE [ROUNDS]}
[[ -f $FILE ]] || { echo "split.sh: no file $FILE" >&2; exit 2; }
ROUNDS=${2:-3}
source "$ROOT/bench/lib.sh"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes"
compile_kernel "$work/classes"
record_archives "$work"
"$ROOT/submit.sh" generate --out "$work/few" --files 4 --samples 1000 --seed 1 > /dev/null 2>&1

warm() { cat "$FILE" > /dev/null; }
stats() { "$ROOT/submit.sh" --master 'local[2]' --driver-memory 512m stats --run-id bench-split \
  --warehouse "$work/warehouse" "$@" 2>/dev/null | seconds_of job; }
bytes=$(stat -c %s "$FILE")

warm
declare -A kernel
read -r kernel[one] kernel[two] kernel[four] < <("$java" "${KERNEL_JVM[@]}" -cp "$work/classes" \
  KernelBench split "$FILE")
against_first kernel "the kernel alone, warm JVM, seconds" "one=1 range" "two=2 ranges" \
  "four=4 ranges"
echo

declare -A job
for ((round = 1; round <= ROUNDS; round++)); do
  warm; job[one]+=" $(stats --in "$FILE" --split-size "$bytes")"
  warm; job[split]+=" $(stats --in "$FILE")"
  job[few]+=" $(stats --in "$work/few")"
done
against_first job "stats job, local[2], fresh JVM, seconds" "one=one task" \
  "split=splits (the default)" "few=four files of 1,000 samples"
