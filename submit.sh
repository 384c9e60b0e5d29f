#!/usr/bin/env bash
# Runs npystats on Spark.
#
#   ./submit.sh [SPARK_OPTIONS] [COMMAND [ARGS...]]
#   ./submit.sh                                      the demo, the default command
#   ./submit.sh generate --out data/t1 --files 10    one command in local mode on all cores
#   ./submit.sh --master spark://127.0.0.1:7077 --executor-memory 1g stats --in data/t1
#   ./submit.sh cluster start|stop|status ...        a local standalone cluster (scripts/cluster.sh)
#   ./submit.sh COMMAND --help                       a command's own help
#
# SPARK_OPTIONS are spark-submit's: --master, --conf k=v, --driver-memory, --executor-memory, ...
# The master defaults to local[*,4]: all cores, and a failed task is tried up to 4 times, as on a
# cluster. The driver gets 2g unless --driver-memory says otherwise. Spark runs from
# $SPARK_HOME/bin/spark-submit or a spark-submit on PATH, otherwise from the jars Maven put in
# target/lib. The jar is rebuilt first when anything in src/main or pom.xml is newer.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR=$ROOT/target/npystats-0.1.0.jar

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; }

build_if_stale() {
  if [[ ! -f $JAR || ! -d $ROOT/target/lib ||
        -n $(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit) ]]; then
    echo "submit.sh: building $JAR" >&2
    # Maven's output, escape codes included, goes to stderr: stdout is the application's alone.
    (cd "$ROOT" && mvn -q -B -DskipTests package >&2) || exit 1
  fi
}

if [[ ${1-} == cluster ]]; then
  shift
  if [[ ${1-} == start ]]; then build_if_stale; fi
  exec "$ROOT/scripts/cluster.sh" "$@"
fi

master='local[*,4]' driver_memory=2g spark_options=()
while [[ $# -gt 0 && $1 == -* ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    -v|--verbose|--supervise|--load-spark-defaults|--version|--*=*) n=1 ;;
    *) n=2; [[ $# -ge 2 ]] || { echo "submit.sh: $1 needs a value" >&2; exit 2; } ;;
  esac
  case $1 in
    --master) master=$2 ;;
    --master=*) master=${1#*=} ;;
    --driver-memory) driver_memory=$2 ;;
    --driver-memory=*) driver_memory=${1#*=} ;;
    *) spark_options+=("${@:1:n}") ;;
  esac
  shift "$n"
done
[[ $# -gt 0 ]] || set -- demo

build_if_stale

# The application puts its default folders (files, warehouse) under $NPYSTATS_HOME/data.
export NPYSTATS_HOME=${NPYSTATS_HOME:-$ROOT}
export SPARK_CONF_DIR=${SPARK_CONF_DIR:-$ROOT/conf}
# Without a UTF-8 locale the JVM cannot name files beyond ASCII.
[[ ${LC_ALL:-${LC_CTYPE:-${LANG:-}}} == *[Uu][Tt][Ff]*8* ]] || export LC_ALL=C.UTF-8
case $master in
  local*|spark://127.0.0.1*|spark://localhost*) export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1} ;;
esac
# The local cluster authenticates every connection; its secret travels in a file, not in `ps`.
cluster_conf=$ROOT/data/cluster/cluster.conf
if [[ $master == spark://127.0.0.1* || $master == spark://localhost* ]] && [[ -f $cluster_conf ]]; then
  spark_options=(--properties-file "$cluster_conf" --load-spark-defaults "${spark_options[@]}")
fi

# stats and sql run in a JVM that compiles with C1 alone. Their per-file kernel is bound by memory
# bandwidth, and C1's code keeps up with it; C2 would spend a core compiling Spark's code while
# the tasks wait for it. On 2 cores that took about a third off the stats job on 2,000 files,
# and a fifth on 10,000. generate needs C2 for drawing the samples, which it does twice as fast,
# so conf/compiler-directives.json keeps C2 for the kernel and the JDK's random and buffer code and
# gives the rest to C1. compare takes the same directives: its runs repeat, and without them C2
# went on compiling Spark's code through every measured run of the spark engine, beside its tasks.
# NPYSTATS_JIT=default keeps the JVM's usual compilers for every command.
driver_java_options=() jit_conf=()
if [[ ${NPYSTATS_JIT:-} != default ]]; then
  case $1 in
    stats|sql|runs) # runs is all start-up, as a short sql is
      driver_java_options=(-XX:TieredStopAtLevel=1)
      jit_conf=(--conf "spark.driver.defaultJavaOptions=${driver_java_options[*]}") ;;
    generate|compare)
      directives=$ROOT/conf/compiler-directives.json
      # The JVM reports the directives it read on its own output, which goes to stderr here.
      driver_java_options=(-XX:+UnlockDiagnosticVMOptions -XX:+DisplayVMOutputToStderr
                           "-XX:CompilerDirectivesFile=$directives")
      # Spark splits these options as a shell would, so the path is quoted for a root with spaces.
      jit_conf=(--conf "spark.driver.defaultJavaOptions=${driver_java_options[*]:0:2} '${driver_java_options[2]}'") ;;
  esac
fi

submit_args=(--master "$master" --driver-memory "$driver_memory" --class io.npystats.cli.Main
             "${jit_conf[@]}" "${spark_options[@]}" "$JAR" "$@")

spark_submit=${SPARK_HOME:+$SPARK_HOME/bin/spark-submit}
[[ -x ${spark_submit:-} ]] || spark_submit=$(command -v spark-submit || true)
if [[ -n $spark_submit ]]; then
  exec "$spark_submit" "${submit_args[@]}"
fi

# Without a Spark installation: SparkSubmit itself, in this JVM. In client mode it cannot resize
# its own heap, so the driver memory becomes -Xmx here; Java 17 needs the opens Spark relies on.
# Spark finds conf/spark-defaults.conf through SPARK_CONF_DIR and log4j2 through its property, so
# the class path holds jars only (plus HADOOP_CONF_DIR, where set, for Hadoop's XML files).
read -ra java_opens < <(sed -n 's|.*<spark.java.opens>\(.*\)</spark.java.opens>.*|\1|p' "$ROOT/pom.xml")
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
class_path=$JAR:$ROOT/target/lib/*
[[ -z ${HADOOP_CONF_DIR:-} ]] || class_path=$class_path:$HADOOP_CONF_DIR

# Class-data sharing: a command's first run records the classes it loaded (Spark, Hadoop,
# Parquet: some 20,000) into an archive under target/cds, and later runs of that command map
# them in instead of finding, parsing and verifying them again. That halves the start-up and the
# table write, and a short command's time with them. The archive belongs to this build and this
# JVM; a rebuilt jar records a new one. NPYSTATS_CDS=off runs without.
cds_options=() archive='' recording=''
case ${NPYSTATS_CDS:-on}:$1 in
  off:*) ;;
  *:demo|*:generate|*:stats|*:sql|*:runs|*:compare)
    java_path=$(command -v "$java" || true)
    java_key=$(printf '%s' "$(readlink -f "$java_path" 2>/dev/null || printf '%s' "$java_path")" | cksum | cut -d' ' -f1)
    archive=$ROOT/target/cds/$1-$java_key.jsa
    if [[ -f $archive && $archive -nt $JAR && -z ${HADOOP_CONF_DIR:-} ]]; then
      cds_options=("-XX:SharedArchiveFile=$archive")
    elif [[ -z ${HADOOP_CONF_DIR:-} ]] && mkdir -p "$ROOT/target/cds" 2>/dev/null && [[ -w $ROOT/target/cds ]]; then
      recording=$archive.$$.tmp
      cds_options=("-XX:ArchiveClassesAtExit=$recording")
      echo "submit.sh: this first $1 run of the build also records the classes it loads, so that" \
           "later ones start faster ($archive)" >&2
    fi
    # The JVM's own notes on the archive (classes it cannot share, say) would mix into stdout.
    cds_options+=(-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds=off:stderr -Xlog:cds+dynamic=off:stderr)
    ;;
esac

command=("$java" "${java_opens[@]}" "${driver_java_options[@]}" "${cds_options[@]}"
         "-Xmx${driver_memory%[bB]}" "-Dlog4j2.configurationFile=$SPARK_CONF_DIR/log4j2.properties"
         -cp "$class_path" org.apache.spark.deploy.SparkSubmit "${submit_args[@]}")
if [[ -z $recording ]]; then
  exec "${command[@]}"
fi
trap 'rm -f "$recording"' EXIT # an interrupted recording leaves no temporary behind
status=0
"${command[@]}" || status=$?
# A run killed part way leaves no archive, or half of one: keep only what a finished run wrote.
if [[ $status -lt 128 && -s $recording ]]; then
  rm -f "$ROOT/target/cds/$1-"*.jsa
  mv -f "$recording" "$archive"
else
  rm -f "$recording"
fi
exit "$status"
