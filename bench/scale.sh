#!/usr/bin/env bash
# The reference scale at this machine's limits, in one run that prints every figure and ratio:
#   - stats on FILES x SAMPLES (10,000 x 100,000: 8 GB), page cache warm, and cold: the cache
#     dropped before each reader (needs root; skipped, saying so, where that is not allowed)
#   - stats on MANY_FILES x MANY_SAMPLES (100,000 x 1,000), warm
#   - stats on one file of BIG_SAMPLES (2 x 10^8: 1.6 GB), read in splits by local[2] and whole
#     by one task
#   - generate FILES x SAMPLES, as by default (direct I/O once the data set is over a fifth of
#     memory) and through the page cache (--no-direct-io)
# beside limit.c (1 and 2 threads, and warm 2 threads again, started as long after the folder was
# read as npystats' job starts after it), numpy's loop and multiprocessing.Pool with and without
# --keep-memory, and, cold, the disk's own sequential read as fio measures it on a file of its own
# (as large as the data set, written in the run just after it). Each line gives the
# job time (as the command prints it), the whole command as a user waits for it, and the peak
# resident memory of its largest process (/usr/bin/time -v). Every npystats command runs with
# --driver-memory 512m, the driver running the tasks too (local mode).
#
#   bench/scale.sh                       the reference sizes (about 27 GB on disk while it runs)
#   bench/scale.sh --small               200 x 100,000, 2,000 x 1,000 and 2 x 10^6 with 1m splits
#   bench/scale.sh --files N --samples M --many-files N --many-samples M --big-samples B
#                  [--split-size S] [--no-cold] [--rounds N]
#   PEERS=/path/to/bench bench/scale.sh  where notebook_peer.py and limit.c are
#                                        (default: ../shared/bench beside the checkout)
#   BENCH_DIR=DIR bench/scale.sh         where the files go (default data/bench-scale); the many
#                                        small files and the big file are kept for the next run
#   NUMPY_MODES="seq pool"               numpy's approaches (default: both, with and without
#                                        --keep-memory)
#
# Each row of npystats and limit.c with 2 threads, warm and cold, runs ROUNDS times, the
# contenders taking turns, and so do the big file's two (--rounds, 3 by default); the table lists
# every round (#1, #2, ...) and the ratios take the medians. Cold, fio reads before each round of
# npystats, and the bandwidth line compares each round's job with its own round's fio.
# The other rows run once: on a busy machine run the script twice and compare. Ratios are of
# times, npystats over the other: below 1, npystats took less time.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=10000 SAMPLES=100000 MANY_FILES=100000 MANY_SAMPLES=1000 BIG_SAMPLES=200000000
SPLIT=() COLD=1 ROUNDS=3
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --small) FILES=200 SAMPLES=100000 MANY_FILES=2000 MANY_SAMPLES=1000 BIG_SAMPLES=2000000
             SPLIT=(--split-size 1m) ;;
    --files|--samples|--many-files|--many-samples|--big-samples|--split-size|--rounds)
      [[ $# -ge 2 && $2 =~ ^[0-9]+[kmgt]?$ ]] || { echo "bench/scale.sh: $1 needs a number" >&2; exit 2; }
      case $1 in
        --files) FILES=$2 ;; --samples) SAMPLES=$2 ;; --many-files) MANY_FILES=$2 ;;
        --many-samples) MANY_SAMPLES=$2 ;; --big-samples) BIG_SAMPLES=$2 ;;
        --split-size) SPLIT=(--split-size "$2") ;;
        --rounds) ROUNDS=$2; (( ROUNDS >= 1 )) || { echo "bench/scale.sh: --rounds needs 1 or more" >&2; exit 2; } ;;
      esac
      shift ;;
    --no-cold) COLD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/scale.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
PEERS=${PEERS:-$ROOT/../shared/bench}
DATA=${BENCH_DIR:-$ROOT/data/bench-scale}
NUMPY_MODES=${NUMPY_MODES:-seq pool}
RUN=$DATA/run-$(date +%Y%m%d-%H%M%S)-$$
LOG=$RUN/log.txt
MANY=$DATA/many-$MANY_FILES-$MANY_SAMPLES
BIG=$DATA/big-$BIG_SAMPLES
mkdir -p "$RUN"
# What a run writes beside its table and logs, removed when it ends.
remove_written() { rm -rf "$RUN/generated" "$RUN/generated-cached" "$RUN/numpy" "$RUN/fio-read.dat"; }
trap remove_written EXIT

source "$ROOT/bench/lib.sh"
need_peers bench/scale.sh "$RUN"

file_bytes() { echo $(( 128 + 8 * $1 )); }
count_files() { find "$1/" -maxdepth 1 -name 'file_*.npy' -size "$(file_bytes "$2")c" 2>/dev/null | wc -l; }
# The data set, a second one at a time (--no-direct-io's, then numpy's) and fio's file, cold.
need_mb=$(( (3 * FILES * $(file_bytes "$SAMPLES") + 1024 * 1024 * 1024) / 1000000 ))
(( $(count_files "$MANY" "$MANY_SAMPLES") == MANY_FILES )) ||
  need_mb=$(( need_mb + MANY_FILES * ($(file_bytes "$MANY_SAMPLES") + 4096) / 1000000 ))
(( $(count_files "$BIG" "$BIG_SAMPLES") == 1 )) || need_mb=$(( need_mb + 8 * BIG_SAMPLES / 1000000 ))
free_mb=$(df -Pk "$DATA" | awk 'NR == 2 { print int($4 * 1024 / 1000000) }')
(( free_mb >= need_mb )) || {
  echo "bench/scale.sh: needs about $need_mb MB free in $DATA, there is $free_mb MB" >&2; exit 1; }

if [[ -x /usr/bin/time ]]; then TIMER=/usr/bin/time; else
  TIMER=; echo "note: /usr/bin/time is missing (apt-get install time): no peak memory figures"; fi
if [[ $COLD == 1 ]] && ! (sync && echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
  COLD=0; echo "note: cold runs skipped: dropping the page cache (sync; echo 3 > /proc/sys/vm/drop_caches) needs root"
fi
drop_cache() { sync; echo 3 > /proc/sys/vm/drop_caches; }
warm() {
  find "$1/" -maxdepth 1 -name 'file_*.npy' -print0 | xargs -0 cat > /dev/null
  echo "   (read into the page cache: $(resident "$1") of $(basename "$1") resident)"
}

# A kernel that runs DAMON's reclaim (some VMs do, to hand idle memory back to the host) pages
# out memory it saw idle, and it samples too rarely to see a folder read once: a few seconds
# after the folder was read into the page cache, part of it is on disk again, and a "warm" reader
# waits for the disk, by a different share in every run. Paused, as root, for the run and started
# again when it ends; KEEP_DAMON=1 leaves it alone. resident() prints what share of a folder's
# pages is in the page cache (util-linux's fincore), which the warm rows show.
paused=()
if [[ ${KEEP_DAMON:-0} != 1 ]]; then
  for state in /sys/kernel/mm/damon/admin/kdamonds/*/state; do
    if [[ -w $state && $(cat "$state" 2>/dev/null) == on ]] && echo off > "$state" 2>/dev/null; then
      paused+=("$state")
    fi
  done
fi
if [[ ${#paused[@]} -gt 0 ]]; then
  trap 'for state in "${paused[@]}"; do echo on > "$state"; done; remove_written' EXIT
  echo "note: paused the kernel's DAMON reclaim for this run (${#paused[@]} kdamond(s)); it pages out" \
    "memory that looks idle, part of a folder just read among it (KEEP_DAMON=1 leaves it running)"
fi
resident() {
  command -v fincore > /dev/null || { echo "n/a"; return; }
  find "$1/" -maxdepth 1 -name 'file_*.npy' -print0 | xargs -0 fincore -n -b |
    awk '{ r += $1; s += int(($3 + 4095) / 4096) * 4096 } END { printf "%.1f%%", s ? 100 * r / s : 0 }'
}

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/^Mem/ { print $2 }') GiB," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg); files under $DATA ($(df -PT "$DATA" | awk 'NR == 2 { print $2 }'))"
echo "== recording the class-data archives"
record_archives "$RUN"

# The rows of the final table: what, job seconds, whole-command seconds, peak RSS in MB.
TABLE=$RUN/table.txt
: > "$TABLE"
# Runs a command as a user waits for it and records its row under the label $1; the command's
# standard output is shown and kept in $OUTPUT, from which $2 (a function) takes the job time.
measure() {
  local label=$1 job_of=$2 rss=n/a start status=0
  shift 2
  start=$EPOCHREALTIME
  if [[ -n $TIMER ]]; then
    "$TIMER" -v -o "$RUN/time.txt" "$@" > "$RUN/out.txt" 2>>"$LOG" || status=$?
  else
    "$@" > "$RUN/out.txt" 2>>"$LOG" || status=$?
  fi
  WALL=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
  OUTPUT=$(cat "$RUN/out.txt")
  echo "$OUTPUT"
  if (( status != 0 )); then
    echo "bench/scale.sh: $label failed (exit $status); see $LOG" >&2; exit 1
  fi
  [[ -z $TIMER ]] || rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$RUN/time.txt")
  JOB=$("$job_of" <<< "$OUTPUT")
  printf '%s\t%s\t%s\t%s\n' "$label" "$JOB" "$WALL" "$rss" >> "$TABLE"
}
job_of_stats() { seconds_of job; }
job_of_generate() { sed -n 's/^ *\([0-9.]*\) s,.*/\1/p'; }
job_of_peer() { awk 'NF >= 3 && $3 ~ /^[0-9.]+$/ { print $3; exit }'; }
# The recorded job (or whole-command) seconds of the row labelled $1, or the median of its rounds,
# the rows labelled "$1 #1", "$1 #2", ...
median_of() { # LABEL FIELD
  awk -F'\t' -v l="$1" -v f="$2" '$1 == l || index($1, l " #") == 1 && substr($1, length(l) + 3) ~ /^[0-9]+$/ {
      v[++n] = $f }
    END { if (n == 0) exit; for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
        t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$TABLE"
}
job() { median_of "$1" 2; }
wall() { median_of "$1" 3; }

ensure_files() { # DIR FILES SAMPLES: generated once, and kept
  if (( $(count_files "$1" "$3") != $2 )); then
    echo "== generate $2 x $3 into $1 (kept for later runs)"
    "$ROOT/submit.sh" generate --out "$1" --files "$2" --samples "$3" --seed 3 2>>"$LOG"
  fi
}
ensure_files "$MANY" "$MANY_FILES" "$MANY_SAMPLES"
ensure_files "$BIG" 1 "$BIG_SAMPLES"
GEN=$RUN/generated
echo "== generate $FILES x $SAMPLES: npystats, then numpy's np.save loop (one process)"
settle "$DATA"
measure "generate npystats local[*]" job_of_generate \
  "$ROOT/submit.sh" --driver-memory 512m generate --out "$GEN" --files "$FILES" --samples "$SAMPLES" \
  --seed 1
# fio's own file for the cold runs' bandwidth line (see fio_read), as large as the data set and
# written just after it, with direct I/O, as generate writes it: the host of a virtual disk reads
# data of another age at another speed. A file of 8 GB kept from earlier runs read at 1,543 to
# 1,791 MB/s where one written a minute before read at 842 to 982 MB/s, taking turns, and so did
# the job on a data set just written (docs/performance.md, "The age of what fio reads").
FIO_FILE=$RUN/fio-read.dat
rm -f "$DATA/fio-read.dat" # the file earlier versions of this script kept, 8 GB of the disk
if [[ $COLD == 1 ]] && command -v fio > /dev/null; then
  fio_mib=$(( (FILES * $(file_bytes "$SAMPLES") + 1048575) / 1048576 ))
  echo "== write fio's own file of $fio_mib MiB into $FIO_FILE (removed at the end)"
  fio --name=prepare --filename="$FIO_FILE" --rw=write --bs=1M --size="${fio_mib}M" --direct=1 \
    --ioengine=libaio --iodepth=16 --output-format=json > /dev/null 2>>"$LOG" || rm -f "$FIO_FILE"
fi
settle "$DATA"
measure "generate npystats local[*], --no-direct-io" job_of_generate \
  "$ROOT/submit.sh" --driver-memory 512m generate --out "$RUN/generated-cached" --files "$FILES" \
  --samples "$SAMPLES" --seed 1 --no-direct-io
rm -rf "$RUN/generated-cached"
mkdir -p "$RUN/numpy"
settle "$DATA"
measure "generate numpy loop" job_of_peer python3 "$PEERS/notebook_peer.py" "$RUN/numpy" "$FILES" "$SAMPLES" gen
rm -rf "$RUN/numpy"

# Every stats reader of one data set: npystats local[2], limit.c with 1 and 2 threads, numpy's
# approaches; before each, $1 (warm or drop_cache) readies the page cache.
readers() {
  local ready=$1 tag=$2 dir=$3 files=$4 samples=$5 mode keep
  local rounds=$ROUNDS round suffix
  # Pages just read from the disk into the page cache are slower to read the first time again,
  # for any reader: limit.c took 1.19 and 1.32 s on the 10,000 files right after the folder came
  # off the disk, and 1.02 to 1.10 s after the folder had been read once more. The folder is read
  # an extra time first, so that no contender is the first reader of fresh pages.
  [[ $ready != warm ]] || "$ready" "$dir" > /dev/null
  for (( round = 1; round <= rounds; round++ )); do
    suffix=
    (( rounds == 1 )) || suffix=" #$round"
    # Cold, the disk's own bandwidth just before each cold job: it moves by half from one minute
    # to the next, and the job's bandwidth is compared with fio's of its own round.
    [[ $ready != ready_cold ]] || fio_round "$round"
    "$ready" "$dir"
    measure "stats npystats local[2] $tag$suffix" job_of_stats \
      "$ROOT/submit.sh" --master 'local[2]' --driver-memory 512m stats --in "$dir" --run-id "bench-scale" \
      --warehouse "$RUN/warehouse"
    "$ready" "$dir"
    measure "stats limit.c 2 thread(s) $tag$suffix" job_of_peer "$RUN/limit" "$dir" "$files" 2
    if [[ $ready == warm ]]; then
      # limit.c again, started as long after the folder was read as npystats' job was (its whole
      # command less its job: the JVM's and Spark's start-up, mostly): on this kind of VM, pages
      # of the page cache left alone for a few seconds are slower to read the first time again,
      # and a reader that starts at once is spared that.
      local pause
      pause=$(awk -v w="$(wall "stats npystats local[2] $tag$suffix")" \
        -v j="$(job "stats npystats local[2] $tag$suffix")" 'BEGIN { printf "%.1f", (w - j > 0 ? w - j : 0) }')
      "$ready" "$dir"
      sleep "$pause"
      measure "stats limit.c 2 thread(s) $tag, started as late$suffix" job_of_peer "$RUN/limit" "$dir" "$files" 2
    fi
  done
  "$ready" "$dir"
  measure "stats limit.c 1 thread(s) $tag" job_of_peer "$RUN/limit" "$dir" "$files" 1
  for keep in "" --keep-memory; do
    for mode in $NUMPY_MODES; do
      "$ready" "$dir"
      measure "stats numpy $mode${keep:+ $keep} $tag" job_of_peer \
        python3 "$PEERS/notebook_peer.py" $keep "$dir" "$files" "$samples" "$mode"
    done
  done
}
ready_cold() { drop_cache; }

echo "== stats $FILES x $SAMPLES, page cache warm"
readers warm "warm $FILES" "$GEN" "$FILES" "$SAMPLES"
# The disk's sequential read as fio measures it, in MB/s; nothing where fio is missing or fails.
# It reads a file of its own, as large as the data set, as old, and read by nothing else: the
# large file, which it read before, is read warm in every run, and the host of a virtual disk
# keeps what is read often (fio read it at up to 5,158 MB/s in a half hour where the job read
# 40 GB cold at 861 to 1,673 MB/s, and a fresh file of 4 GB at 2,528 to 3,006 MB/s:
# docs/performance.md).
fio_read() {
  [[ -f $FIO_FILE ]] || return 0
  drop_cache
  fio --name=seqread --filename="$FIO_FILE" --readonly --rw=read --bs=1M \
    --direct=1 --ioengine=libaio --iodepth=16 --output-format=json 2>>"$LOG" |
    python3 -c 'import json, sys; print(round(json.load(sys.stdin)["jobs"][0]["read"]["bw_bytes"] / 1e6))' ||
    true
}
# fio's read before cold round $1, in MB/s, kept in $FIO_TABLE (round, MB/s) where fio gave one.
FIO_TABLE=$RUN/fio.txt
: > "$FIO_TABLE"
fio_round() {
  local mb
  command -v fio > /dev/null || return 0
  mb=$(fio_read)
  [[ -z $mb ]] || printf '%s\t%s\n' "$1" "$mb" >> "$FIO_TABLE"
}
if [[ $COLD == 1 ]]; then
  echo "== stats $FILES x $SAMPLES, page cache dropped before each reader"
  # A virtual disk's bandwidth moves by half from one minute to the next: fio reads just before
  # each round of the cold job, which the bandwidth line compares with, and once more after every
  # cold reader.
  fio_after=
  command -v fio > /dev/null || echo "note: fio is missing (apt-get install fio): no disk bandwidth line"
  readers ready_cold "cold $FILES" "$GEN" "$FILES" "$SAMPLES"
  [[ ! -s $FIO_TABLE ]] || fio_after=$(fio_read)
fi
echo "== stats $MANY_FILES x $MANY_SAMPLES, page cache warm"
readers warm "warm $MANY_FILES" "$MANY" "$MANY_FILES" "$MANY_SAMPLES"

echo "== stats of one file of $BIG_SAMPLES samples, --driver-memory 512m, page cache warm"
for (( round = 1; round <= ROUNDS; round++ )); do
  suffix=
  (( ROUNDS == 1 )) || suffix=" #$round"
  warm "$BIG"
  measure "stats one big file local[2], splits$suffix" job_of_stats "$ROOT/submit.sh" --master 'local[2]' \
    --driver-memory 512m stats --in "$BIG/file_0.npy" --run-id bench-scale-big --warehouse "$RUN/warehouse" \
    ${SPLIT[@]+"${SPLIT[@]}"}
  warm "$BIG"
  measure "stats one big file, one task$suffix" job_of_stats "$ROOT/submit.sh" --master 'local[2]' \
    --driver-memory 512m stats --in "$BIG/file_0.npy" --run-id bench-scale-big --warehouse "$RUN/warehouse" \
    --split-size "$(( 8 * BIG_SAMPLES ))"
done

mb() { echo $(( $1 * $(file_bytes "$2") / 1000000 )); }
echo
echo "$FILES x $SAMPLES ($(mb "$FILES" "$SAMPLES") MB), $MANY_FILES x $MANY_SAMPLES ($(mb "$MANY_FILES" "$MANY_SAMPLES") MB)," \
  "one file of $BIG_SAMPLES ($(mb 1 "$BIG_SAMPLES") MB); load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' 'BEGIN { printf "%-60s %10s %10s %10s\n", "what", "job s", "whole s", "peak MB" }
  { printf "%-60s %10s %10s %10s\n", $1, $2, $3, $4 }' "$TABLE"
while IFS=$'\t' read -r round fio_mb; do
  printf '%-60s %10s\n' "disk sequential read (fio, own file, direct, 1 MiB x 16), before #$round" "$fio_mb MB/s"
done < "$FIO_TABLE"
[[ -z ${fio_after:-} ]] || printf '%-60s %10s\n' "the same, after the cold readers" "$fio_after MB/s"

ratio() { # LABEL NUMERATOR DENOMINATOR
  awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN {
    if (a == "" || b == "" || b + 0 == 0) printf "%-62s %s\n", l, "n/a"
    else printf "%-62s %6.2fx  (%s s / %s s)\n", l, a / b, a, b }'
}
best_numpy_wall() { # the fastest numpy process of the rows tagged $1
  awk -F'\t' -v t="$1" '$1 ~ /^stats numpy / && $1 ~ (t "$") && (best == "" || $3 < best) { best = $3 }
    END { print best }' "$TABLE"
}
echo
echo "ratios of times (below 1: npystats took less; rows run in rounds: the medians)"
if [[ $COLD == 1 ]]; then
  ratio "stats job cold / limit.c 2 threads cold" "$(job "stats npystats local[2] cold $FILES")" \
    "$(job "stats limit.c 2 thread(s) cold $FILES")"
fi
if [[ $COLD == 1 && -s $FIO_TABLE ]]; then
  # The disk's bandwidth the cold job reached (the data set's bytes over its job time) against
  # fio's just before it, round by round: the median of the rounds' shares, then each round's.
  awk -F'\t' -v mb="$(mb "$FILES" "$SAMPLES")" -v label="stats npystats local[2] cold $FILES" -v rounds="$ROUNDS" '
    FILENAME == ARGV[1] { fio[$1] = $2; next }
    { for (r in fio) if ($1 == label (rounds == 1 ? "" : " #" r) && $2 + 0 > 0) {
        share[++n] = 100 * mb / $2 / fio[r]; shown = shown sprintf(" %.0f/%s", mb / $2, fio[r]) } }
    END { if (n == 0) exit
      for (i = 2; i <= n; i++) for (j = i; j > 1 && share[j - 1] > share[j]; j--) {
        t = share[j]; share[j] = share[j - 1]; share[j - 1] = t }
      printf "%-62s %5.0f%%  (MB/s, job/fio a round:%s)\n",
        "stats job cold: bandwidth reached / fio'"'"'s just before", (n % 2) ? share[(n + 1) / 2] : (share[n / 2] + share[n / 2 + 1]) / 2, shown }' \
    "$FIO_TABLE" "$TABLE"
fi
ratio "stats job warm $FILES / limit.c 2 threads" "$(job "stats npystats local[2] warm $FILES")" \
  "$(job "stats limit.c 2 thread(s) warm $FILES")"
ratio "  ... / limit.c 2 threads started as late" "$(job "stats npystats local[2] warm $FILES")" \
  "$(job "stats limit.c 2 thread(s) warm $FILES, started as late")"
ratio "stats job warm $MANY_FILES x $MANY_SAMPLES / limit.c 2 threads" \
  "$(job "stats npystats local[2] warm $MANY_FILES")" "$(job "stats limit.c 2 thread(s) warm $MANY_FILES")"
ratio "  ... / limit.c 2 threads started as late" "$(job "stats npystats local[2] warm $MANY_FILES")" \
  "$(job "stats limit.c 2 thread(s) warm $MANY_FILES, started as late")"
if [[ $COLD == 1 ]]; then
  ratio "whole stats command cold / numpy's best whole process cold" \
    "$(wall "stats npystats local[2] cold $FILES")" "$(best_numpy_wall "cold $FILES")"
fi
ratio "one big file: local[2] in splits / one task (job)" "$(job "stats one big file local[2], splits")" \
  "$(job "stats one big file, one task")"
ratio "generate job / numpy loop" "$(job "generate npystats local[*]")" "$(job "generate numpy loop")"
ratio "generate job, --no-direct-io / numpy loop" "$(job "generate npystats local[*], --no-direct-io")" \
  "$(job "generate numpy loop")"
echo
echo "rows: $TABLE; stderr of every command: $LOG"
