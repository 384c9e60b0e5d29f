#!/usr/bin/env bash
# A Spark standalone cluster on this machine, made of the jars Maven put in target/lib.
#
#   scripts/cluster.sh start [--workers K] [--cores C] [--memory M]   defaults: 2 workers, 1 core, 1g
#   scripts/cluster.sh status    the master and its workers; exit 1 when no master runs
#   scripts/cluster.sh stop      stops the processes start recorded, and only those
#
# The master is spark://127.0.0.1:7077, its UI http://127.0.0.1:8080, the workers' UIs 8081 and
# up; everything listens on loopback only. Every connection is authenticated with a secret made at
# start (data/cluster/cluster.conf, readable by its owner only), which ./submit.sh hands to
# applications it sends to spark://127.0.0.1. Logs: data/cluster/logs/. An application's
# executors must fit in a worker: --executor-memory at most M (Spark's default is 1g).
set -euo pipefail
umask 077

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=$ROOT/data/cluster
CONF=$STATE/cluster.conf
MASTER_PORT=7077 MASTER_UI_PORT=8080 FIRST_WORKER_UI_PORT=8081
MASTER_URL=spark://127.0.0.1:$MASTER_PORT
MASTER_UI=http://127.0.0.1:$MASTER_UI_PORT
START_TIMEOUT_S=60 STOP_TIMEOUT_S=20

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; }
fail() { echo "cluster.sh: $1" >&2; exit "${2:-1}"; }

# Ids from the pid files that still belong to a Spark Master or Worker, so a recycled id is spared.
recorded_pids() {
  local file pid
  for file in "$STATE"/pids/*.pid; do
    [[ -f $file ]] || continue
    pid=$(<"$file")
    if ps -o args= -p "$pid" 2>/dev/null | grep -q 'org\.apache\.spark\.deploy\.\(master\.Master\|worker\.Worker\)'; then
      echo "$pid"
    fi
  done
}

# The master's state as one line of JSON without blanks, or nothing when it does not answer.
master_json() { curl -sf --max-time 5 "$MASTER_UI/json/" | tr -d ' \n\r' || true; }

json_number() { grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2 || true; }

# A daemon whose port is taken fails at once, rather than moving to the next port unannounced.
launch() {
  local name=$1; shift
  nohup "${JAVA_HOME:+$JAVA_HOME/bin/}java" "${java_opens[@]}" "-Xmx${SPARK_DAEMON_MEMORY:-1g}" \
    -Dspark.port.maxRetries=0 -cp "$SPARK_HOME/jars/*" "$@" --properties-file "$CONF" \
    >"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/pids/$name.pid"
}

start() {
  local workers=2 cores=1 memory=1g
  while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || fail "$1 needs a value" 2
    case $1 in
      --workers) workers=$2 ;;
      --cores) cores=$2 ;;
      --memory) memory=$2 ;;
      *) fail "unknown option $1 (try --help)" 2 ;;
    esac
    shift 2
  done
  [[ $workers =~ ^[1-9][0-9]*$ ]] || fail "--workers must be a positive whole number, not '$workers'" 2
  [[ $cores =~ ^[1-9][0-9]*$ ]] || fail "--cores must be a positive whole number, not '$cores'" 2
  [[ $memory =~ ^[1-9][0-9]*[mMgG]$ ]] || fail "--memory must look like 512m or 2g, not '$memory'" 2

  [[ -z $(recorded_pids) ]] || fail "a cluster is already running: scripts/cluster.sh status"
  [[ -z $(master_json) ]] || fail "a master already answers on $MASTER_UI"
  compgen -G "$ROOT/target/lib/*.jar" >/dev/null ||
    fail "no jars in target/lib: build first with mvn -q -B -DskipTests package (or ./submit.sh)"

  # The Worker starts executors with SPARK_HOME/jars as their class path; the launcher code that
  # builds their command asks for the Scala version, which it would otherwise look for in a build.
  export SPARK_HOME=$STATE/spark-home SPARK_SCALA_VERSION=2.13
  # Loopback for the UIs too; executors inherit it, and the log4j2.properties in SPARK_CONF_DIR.
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_CONF_DIR=$ROOT/conf
  rm -rf "$SPARK_HOME" "$STATE/pids"
  mkdir -p "$SPARK_HOME/jars" "$STATE/pids" "$STATE/logs" "$STATE/work"
  cp -l "$ROOT"/target/lib/*.jar "$SPARK_HOME/jars/" 2>/dev/null || cp "$ROOT"/target/lib/*.jar "$SPARK_HOME/jars/"

  cat >"$CONF" <<END
# Written by scripts/cluster.sh start, for the cluster and the applications sent to it.
spark.authenticate          true
spark.authenticate.secret   $(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
# The REST submission port would take applications without the secret.
spark.master.rest.enabled   false
END

  read -ra java_opens < <(sed -n 's|.*<spark.java.opens>\(.*\)</spark.java.opens>.*|\1|p' "$ROOT/pom.xml")
  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI_PORT"
  local i
  for ((i = 1; i <= workers; i++)); do
    launch "worker-$i" org.apache.spark.deploy.worker.Worker "$MASTER_URL" --host 127.0.0.1 \
      --cores "$cores" --memory "$memory" --webui-port $((FIRST_WORKER_UI_PORT + i - 1)) \
      --work-dir "$STATE/work/worker-$i"
  done

  local deadline=$((SECONDS + START_TIMEOUT_S)) alive=0
  while (( alive < workers )); do
    if (( SECONDS >= deadline )) || [[ $(recorded_pids | wc -l) -lt $((workers + 1)) ]]; then
      echo "cluster.sh: $alive of $workers workers registered; logs in $STATE/logs:" >&2
      tail -n 5 "$STATE"/logs/*.log >&2
      stop >/dev/null
      exit 1
    fi
    sleep 1
    alive=$(master_json | json_number aliveworkers)
    alive=${alive:-0}
  done
  echo "master $MASTER_URL with $workers workers, each $cores core(s) and $memory; UI $MASTER_UI"
}

status() {
  local json
  json=$(master_json)
  if [[ -z $json ]]; then
    echo "no master answers on $MASTER_UI"
    [[ -z $(recorded_pids) ]] || echo "recorded processes still run: $(recorded_pids | xargs)"
    return 1
  fi
  local state apps
  state=${json##*\"status\":\"}
  state=${state%%\"*}
  apps=$(sed 's/.*"activeapps":\[//; s/\],"completedapps".*//' <<<"$json" | awk -F'"id":"app-' '{ print (NF ? NF - 1 : 0) }')
  echo "master $MASTER_URL $state, UI $MASTER_UI," \
    "$(json_number aliveworkers <<<"$json") workers alive, $apps applications running"
  # One line a worker; in the master's JSON each worker's fields follow its id, state last.
  tr -d '"' <<<"${json%%\"aliveworkers\"*}" | tr ',{}[]' '\n' |
    awk '{ key = $0; sub(/:.*/, "", key); w[key] = substr($0, length(key) + 2) }
      key == "state" { printf "  %s %s, cores %s (%s used), memory %s MB (%s used), UI %s\n",
                       w["id"], w["state"], w["cores"], w["coresused"], w["memory"], w["memoryused"],
                       w["webuiaddress"] }'
}

stop() {
  local pids left
  read -ra pids <<<"$(recorded_pids | xargs)"
  if (( ${#pids[@]} == 0 )); then
    echo "no cluster running"
  else
    # Workers stop their executors when terminated.
    kill -TERM "${pids[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT_S))
    while [[ -n $(recorded_pids) ]] && (( SECONDS < deadline )); do sleep 1; done
    read -ra left <<<"$(recorded_pids | xargs)"
    if (( ${#left[@]} > 0 )); then kill -KILL "${left[@]}" 2>/dev/null || true; fi
    echo "stopped ${#pids[@]} processes"
  fi
  rm -rf "$STATE/pids" "$CONF"
}

case ${1-} in
  start|status|stop) command=$1; shift; "$command" "$@" ;;
  -h|--help) usage ;;
  '') usage >&2; exit 2 ;;
  *) fail "unknown command '$1': start, status or stop (try --help)" 2 ;;
esac
