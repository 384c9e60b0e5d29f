#!/usr/bin/env bash
# Every engine of `compare` beside numpy's approaches and a C reader, on the same files, in the
# same run, with the ratios the project aims for. The machine may be busy: the peers run before
# and after compare, and every ratio compares best runs, ours and theirs alike (compare's table
# and report show medians).
#
#   bench/compare.sh [FILES] [SAMPLES] [REPEATS]   default 2000 x 100000 (1.6 GB in data/bench), 3
#   PEERS=/path/to/bench bench/compare.sh          where notebook_peer.py and limit.c are
#                                                  (default: ../shared/bench beside the checkout)
#
# Targets, 2 cores, warm page cache: threads with 2 workers >= 0.8x limit.c with 2 threads;
# spark local[2] work time <= 1.5x threads with 2 workers; every Java engine with 2 workers >= 2x
# numpy's best approach; processes start-up < 1 s per child.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=${1:-2000}
SAMPLES=${2:-100000}
REPEATS=${3:-3}
PEERS=${PEERS:-$ROOT/../shared/bench}
DIR=$ROOT/data/bench
RUN_ID=bench-$(date -u +%Y%m%dT%H%M%S)
OUT=$ROOT/data/bench-results/$RUN_ID
mkdir -p "$OUT"

source "$ROOT/bench/lib.sh"
need_peers bench/compare.sh "$OUT"
modes="seq threads pool"
if python3 -c 'import joblib' 2>/dev/null; then modes="$modes joblib_procs joblib_threads"; fi

echo "== $FILES files x $SAMPLES samples in $DIR"
if [[ $(find "$DIR" -maxdepth 1 -name 'file_*.npy' 2>/dev/null | wc -l) -ne $FILES ]]; then
  "$ROOT/submit.sh" generate --out "$DIR" --files "$FILES" --samples "$SAMPLES" --seed 42 2>/dev/null
fi
cat "$DIR"/file_*.npy > /dev/null # warm the page cache

peers() {
  "$OUT/limit" "$DIR" "$FILES" 1
  "$OUT/limit" "$DIR" "$FILES" 2
  python3 "$PEERS/notebook_peer.py" "$DIR" "$FILES" "$SAMPLES" $modes
}

echo "== peers, before"
peers | tee "$OUT/peers.txt"
echo "== compare, $REPEATS runs after a warm-up, median shown"
"$ROOT/submit.sh" --master 'local[2]' compare --in "$DIR" --workers 1,2 --repeats "$REPEATS" \
  --run-id "$RUN_ID" --report "$OUT" 2>"$OUT/compare.err" | tee "$OUT/compare.txt"
echo "== peers, after"
peers | tee -a "$OUT/peers.txt"

# The compare rows: engine, workers, best and median work seconds, slowest start-up
"$ROOT/submit.sh" sql --format csv "SELECT engine, workers, min(work_seconds) AS best,
    median(work_seconds) AS median, max(startup_seconds) AS startup
    FROM benchmarks WHERE run_id = '$RUN_ID' AND NOT warmup GROUP BY engine, workers" \
  2>/dev/null | tail -n +2 | tr ',' ' ' > "$OUT/engines.txt"

awk -v files="$FILES" '
  FNR == NR {                                    # peers.txt: best files/s of each
    if ($1 ~ /^limit[12]$/) { r = files / $3; if (r > peer[$1]) peer[$1] = r }
    else if (NF == 5 && $2 == files && $1 != "gen") {
      r = files / $3; if (r > numpy) { numpy = r; numpy_mode = $1 } }
    next }
  { work[$1 " " $2] = $3; rate[$1 " " $2] = files / $3; median[$1 " " $2] = files / $4
    startup[$1 " " $2] = $5 }
  function verdict(ok) { return ok ? "met" : "MISSED" }
  END {
    t2 = rate["threads 2"]; s2 = work["spark 2"] / work["threads 2"]
    printf "\n%-48s %12s %10s %8s\n", "files/s: best run (ours: median too)", "figure", "target", ""
    printf "%-48s %12.0f\n", "limit.c, 1 thread (files/s)", peer["limit1"]
    printf "%-48s %12.0f\n", "limit.c, 2 threads (files/s)", peer["limit2"]
    printf "%-48s %12.0f\n", "numpy best: " numpy_mode " (files/s)", numpy
    for (k in rate) printf "%-48s %12.0f  (%.0f)\n", "npystats " k ", work", rate[k], median[k] | "sort"
    close("sort")
    printf "%-48s %11.2fx %10s %8s\n", "threads x2 / limit.c 2 threads", t2 / peer["limit2"], ">= 0.8x", verdict(t2 >= 0.8 * peer["limit2"])
    printf "%-48s %11.2fx %10s %8s\n", "spark local[2] work / threads x2 work", s2, "<= 1.5x", verdict(s2 <= 1.5)
    n = split("threads processes spark", engines, " ")
    for (i = 1; i <= n; i++) {
      r = rate[engines[i] " 2"] / numpy
      printf "%-48s %11.2fx %10s %8s\n", engines[i] " x2 / numpy " numpy_mode, r, ">= 2x", verdict(r >= 2)
    }
    printf "%-48s %10.2f s %10s %8s\n", "processes start-up, slowest child of 2", startup["processes 2"], "< 1 s", verdict(startup["processes 2"] < 1)
  }' "$OUT/peers.txt" "$OUT/engines.txt" | tee "$OUT/ratios.txt"
echo
echo "report: $OUT/report.md (chart, table and the engines in a sentence each)"
