#!/usr/bin/env bash
# stats on an S3 API server against the same files on the local disk: what reading through
# s3a:// costs. The server is S3Proxy on 127.0.0.1 with its file-system back end (each object a
# file under data/bench-s3/store), so the figure is S3A's and the protocol's, not a network's.
#
#   bench/s3.sh [FILES] [SAMPLES]     default 1000 x 100000 (800 MB on disk, twice)
#   ROUNDS=5 bench/s3.sh              rounds of each measurement (default 3); medians
#   SPARK_OPTIONS="--conf k=v" bench/s3.sh   more options for every ./submit.sh
#
# generate writes the files to the server, then `stats` reads them from s3a:// and from a local
# copy in alternating rounds, each a fresh JVM as a user runs it. The key pair reaches S3A
# through AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, never a command line. At the end the
# requests of one s3a:// run are counted from S3A's own statistics.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=${1:-1000}
SAMPLES=${2:-100000}
ROUNDS=${ROUNDS:-3}
DATA=$ROOT/data/bench-s3
PORT=${S3_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BUCKET=npystats-bench
rm -rf "$DATA"
mkdir -p "$DATA/store/$BUCKET"

# S3Proxy comes with the tests' class path.
(cd "$ROOT" && mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test \
   -Dmdep.outputFile="$DATA/classpath.txt" >&2)
export AWS_ACCESS_KEY_ID=bench-access AWS_SECRET_ACCESS_KEY=bench-secret-$$-$RANDOM
umask 077
cat > "$DATA/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DATA/store
EOF
java -cp "$(cat "$DATA/classpath.txt")" org.gaul.s3proxy.Main --properties "$DATA/s3proxy.properties" \
  > "$DATA/s3proxy.log" 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.2
done

s3=(--conf "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:$PORT"
    --conf spark.hadoop.fs.s3a.endpoint.region=us-east-1
    --conf spark.hadoop.fs.s3a.path.style.access=true
    --conf spark.hadoop.fs.s3a.connection.ssl.enabled=false
    --conf spark.hadoop.fs.s3a.multiobjectdelete.enable=false)
read -r -a more <<< "${SPARK_OPTIONS:-}"
s3+=(${more[@]+"${more[@]}"})
remote=s3a://$BUCKET/files
local=$DATA/local

"$ROOT/submit.sh" "${s3[@]}" generate --out "$remote" --files "$FILES" --samples "$SAMPLES" --seed 7 >&2
"$ROOT/submit.sh" generate --out "$local" --files "$FILES" --samples "$SAMPLES" --seed 7 >&2

job_seconds() { sed -n 's/^ *job \([0-9.]*\) s:.*/\1/p'; }
s3_times=() local_times=()
for round in $(seq "$ROUNDS"); do
  cat "$local"/* > /dev/null # both stores' files come from the page cache
  cat "$DATA/store/$BUCKET/files"/* > /dev/null
  s3_times+=("$("$ROOT/submit.sh" "${s3[@]}" stats --in "$remote" --warehouse "$DATA/warehouse" | job_seconds)")
  local_times+=("$("$ROOT/submit.sh" ${more[@]+"${more[@]}"} stats --in "$local" --warehouse "$DATA/warehouse" | job_seconds)")
  echo "round $round: s3a ${s3_times[-1]} s, local ${local_times[-1]} s" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
s3_median=$(median "${s3_times[@]}") local_median=$(median "${local_times[@]}")
printf 'stats of %d files of %d samples, job time, median of %d:\n' "$FILES" "$SAMPLES" "$ROUNDS"
printf '  s3a:// (S3Proxy on 127.0.0.1)  %6.2f s\n' "$s3_median"
printf '  local disk                     %6.2f s\n' "$local_median"
awk -v s="$s3_median" -v l="$local_median" -v n="$FILES" \
  'BEGIN { printf "  S3 costs %.2f ms more a file\n", (s - l) * 1000 / n }'

# Requests: S3A counts them per file system and, with fs.iostatistics.logging.level, logs the
# counts when the JVM closes it. One more s3a:// run, its log filtered to the request counters.
echo "requests of one s3a:// stats run of $FILES files (S3A's counters; the table write included):"
"$ROOT/submit.sh" "${s3[@]}" --conf spark.hadoop.fs.iostatistics.logging.level=warn \
  stats --in "$remote" --warehouse "$DATA/warehouse" 2>&1 >/dev/null |
  grep -oE '\b(action_http_get_request|action_http_head_request|object_list_request|object_put_request|object_copy_requests|object_delete_request)=[0-9]+' |
  sort -u | sed 's/^/  /'
