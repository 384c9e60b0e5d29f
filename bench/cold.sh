#!/usr/bin/env bash
# stats of a cold disk, with and without read-ahead, beside limit.c and the disk's own bandwidth:
# the page cache is dropped (needs root) before each reader, and the readers alternate, ROUNDS
# times, so that a busy machine's noise falls on each alike.
#
#   bench/cold.sh DIR FILES [ROUNDS]    DIR holds file_0.npy .. file_{FILES-1}.npy (./submit.sh
#                                       generate), ROUNDS defaults to 2
#   READ_AHEAD="0 8 16" bench/cold.sh ... the read-ahead settings to run (files per task;
#                                       default "0 8": none, and the default)
#   SPARK_OPTIONS="--driver-memory 512m" bench/cold.sh ...   more options for ./submit.sh
#   CACHE=warm bench/cold.sh ...       the files read into the page cache before each reader
#                                       instead: what read-ahead costs where there is no disk
#   PEERS=/path/to/bench bench/cold.sh ...                    where limit.c is (default
#                                       ../shared/bench beside the checkout)
#
# Each line gives the job time as the command prints it; the disk's bandwidth is a direct read
# (dd iflag=direct, 1 MiB) of the first files joined into one, and a cold cat of every file.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
DIR=$1 FILES=$2 ROUNDS=${3:-2}
READ_AHEAD=${READ_AHEAD:-0 8}
read -r -a SPARK_OPTIONS <<< "${SPARK_OPTIONS:-}"
PEERS=${PEERS:-$ROOT/../shared/bench}
RUN=$(mktemp -d "${TMPDIR:-/tmp}/cold-XXXXXX")
trap 'rm -rf "$RUN"' EXIT
source "$ROOT/bench/lib.sh"
need_peers bench/cold.sh "$RUN"
(sync && echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null || {
  echo "bench/cold.sh: dropping the page cache (echo 3 > /proc/sys/vm/drop_caches) needs root" >&2; exit 1; }
drop_cache() { sync; echo 3 > /proc/sys/vm/drop_caches; }
warm() { find "$DIR/" -maxdepth 1 -name 'file_*.npy' -print0 | xargs -0 cat > /dev/null; }
ready=drop_cache
[[ ${CACHE:-cold} == warm ]] && ready=warm
record_archives "$RUN"

TABLE=$RUN/table.txt
: > "$TABLE"
row() { printf '%s\t%s\n' "$1" "$2" >> "$TABLE"; echo "$1: $2 s"; }
seconds() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), page cache ${CACHE:-cold}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$FILES files in $DIR ($(du -sm "$DIR" | cut -f1) MB)"
for round in $(seq "$ROUNDS"); do
  for ahead in $READ_AHEAD; do
    "$ready"
    out=$("$ROOT/submit.sh" --master 'local[2]' ${SPARK_OPTIONS[@]+"${SPARK_OPTIONS[@]}"} \
      --conf "spark.hadoop.npystats.stats.read-ahead=$ahead" \
      stats --in "$DIR" --run-id cold --warehouse "$RUN/warehouse" 2>>"$RUN/log.txt")
    row "stats job, read-ahead $ahead" "$(seconds_of job <<< "$out")"
  done
  "$ready"
  row "limit.c 2 threads" "$("$RUN/limit" "$DIR" "$FILES" 2 | awk '{ print $3 }')"
done

# The first files joined into one of at most 2 GB, written before the cache is dropped.
joined=$RUN/joined.bin
# awk, not head: it reads to the end, so no SIGPIPE fails the pipeline.
find "$DIR/" -maxdepth 1 -name 'file_*.npy' | sort | awk 'NR <= 2500' | xargs cat > "$joined"
drop_cache
disk=$(dd if="$joined" of=/dev/null bs=1M iflag=direct 2>&1 | awk '/copied/ { print $(NF-1), $NF }')
drop_cache
start=$EPOCHREALTIME
find "$DIR/" -maxdepth 1 -name 'file_*.npy' -print0 | xargs -0 cat > /dev/null
cat_s=$(seconds "$start")
mb=$(du -sm "$DIR" | cut -f1)

echo
awk -F'\t' '{ n[$1]++; s[$1] = s[$1] " " $2; order[$1] = order[$1] ? order[$1] : NR }
  END { for (k in n) printf "%d\t%-32s %s\n", order[k], k, s[k] }' "$TABLE" | sort -n | cut -f2-
echo "disk, direct 1 MiB reads (dd):     $disk"
echo "disk, cat of every file, cold:     $cat_s s ($(awk -v m="$mb" -v s="$cat_s" 'BEGIN { printf "%.0f", m * 1.048576 / s }') MB/s)"
echo
echo "ratios of the medians (below 1: less time)"
median_of() { awk -F'\t' -v l="$1" '$1 == l { print $2 }' "$TABLE" | median; }
limit=$(median_of "limit.c 2 threads")
for ahead in $READ_AHEAD; do
  awk -v l="stats job, read-ahead $ahead / limit.c 2 threads" -v a="$(median_of "stats job, read-ahead $ahead")" \
    -v b="$limit" 'BEGIN { printf "%-48s %5.2fx  (%s s / %s s)\n", l, a / b, a, b }'
done
