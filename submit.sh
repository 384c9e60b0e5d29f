#!/usr/bin/env bash
# Runs npystats on Spark.
#
#   ./submit.sh [SPARK_OPTIONS] [COMMAND [ARGS...]]
#   ./submit.sh                                      the demo, the default command
#   ./submit.sh generate --out data/t1 --files 10    one command in local mode on all cores
#   ./submit.sh --master spark://127.0.0.1:7077 --executor-memory 1g stats --in data/t1
#   ./submit.sh cluster start|stop|status ...        a local standalone cluster (scripts/cluster.sh)
#   ./submit.sh --help                               the commands and the Spark options
#   ./submit.sh COMMAND --help                       a command's own help
#
# SPARK_OPTIONS are spark-submit's: --master, --conf k=v, --driver-memory, --executor-memory, ...
# The master defaults to local[*,4]: all cores, and a failed task is tried up to 4 times, as on a
# cluster. The driver gets 2g unless --driver-memory says otherwise. Spark runs from
# $SPARK_HOME/bin/spark-submit or a spark-submit on PATH, otherwise from the jars Maven put in
# target/lib. The jar is rebuilt first when anything in src/main, pom.xml or conf/jvm-options.conf
# (which it carries) is newer. The command line is checked (io.npystats.cli.Submit) before any of
# Spark loads, so a typo answers at once.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR=$ROOT/target/npystats-0.1.0.jar

build_if_stale() {
  if [[ ! -f $JAR || ! -d $ROOT/target/lib ||
        -n $(find "$ROOT/src/main" "$ROOT/pom.xml" "$ROOT/conf/jvm-options.conf" -newer "$JAR" -print -quit) ]]; then
    echo "submit.sh: building $JAR" >&2
    # Maven's output goes to stderr, without colours: stdout is the application's alone. Maven 3.8
    # writes colour resets even in batch mode with colours off, hence the filter.
    (cd "$ROOT" && mvn -q -B --no-transfer-progress -Dstyle.color=never -DskipTests package 2>&1 |
      sed -u $'s/\e\\[[0-9;]*m//g' >&2) || exit 1
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
    -h|--help|--version) break ;; # answered by the application, as a command would be
    -v|--verbose|--supervise|--load-spark-defaults|--*=*) n=1 ;;
    *) n=2
       [[ $# -ge 2 ]] || { echo "error: '$1' is a Spark option without its value, or no Spark option;" \
                                "Try './submit.sh --help' for the commands and Spark options." >&2; exit 2; } ;;
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

# Spark's progress bar is for a person watching; in a file it would be lines of escape codes.
[[ -t 2 ]] || spark_options=(--conf spark.ui.showConsoleProgress=false "${spark_options[@]}")

# The driver's JVM options are the command's in conf/jvm-options.conf, which says why (compiler
# directives for stats, generate and compare; C1 alone for sql and runs). NPYSTATS_JIT=default
# keeps the JVM's usual compilers for every command.
driver_java_options=() jit_conf=()
if [[ ${NPYSTATS_JIT:-} != default ]]; then
  policy=$ROOT/conf/jvm-options.conf
  [[ -r $policy ]] || { echo "submit.sh: cannot read $policy" >&2; exit 1; }
  # Lines `[SYSTEM:] JVMS = OPTION`: the options whose JVMS name the command, on this system if
  # the line names one, with {conf} made the folder.
  os=$(uname -s | tr '[:upper:]' '[:lower:]')
  mapfile -t driver_java_options < <(awk -v jvm="$1" -v conf="$ROOT/conf" -v os="$os" '
    /^[[:space:]]*(#|$)/ { next }
    { names = substr($0, 1, index($0, "=") - 1)
      if ((colon = index(names, ":")) > 0) {
        wanted = substr(names, 1, colon - 1); gsub(/[[:space:]]/, "", wanted)
        if (index(os, tolower(wanted)) != 1) next
        names = substr(names, colon + 1) }
      split(names, jvms, ",")
      option = substr($0, index($0, "=") + 1); gsub(/^[[:space:]]+|[[:space:]]+$/, "", option)
      if ((at = index(option, "{conf}")) > 0) option = substr(option, 1, at - 1) conf substr(option, at + 6)
      for (k in jvms) { gsub(/[[:space:]]/, "", jvms[k]); if (jvms[k] == jvm) print option } }' "$policy")
  if [[ ${#driver_java_options[@]} -gt 0 ]]; then
    # Spark splits these options as a shell would, so each is quoted for a root with spaces.
    quoted=$(printf "'%s' " "${driver_java_options[@]}")
    jit_conf=(--conf "spark.driver.defaultJavaOptions=${quoted% }")
  fi
fi

submit_args=(--master "$master" --driver-memory "$driver_memory" --class io.npystats.cli.Main
             "${jit_conf[@]}" "${spark_options[@]}" "$JAR" "$@")

spark_submit=${SPARK_HOME:+$SPARK_HOME/bin/spark-submit}
[[ -x ${spark_submit:-} ]] || spark_submit=$(command -v spark-submit || true)
read -ra java_opens < <(sed -n 's|.*<spark.java.opens>\(.*\)</spark.java.opens>.*|\1|p' "$ROOT/pom.xml")
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# Checks the command line in a JVM of its own, light (no Spark), and ends this script unless the
# command is to run: with help or the version printed (the check's exit code 3), or with 2.
check_first() {
  local status=0
  "$java" -cp "$1" io.npystats.cli.Submit --check "${submit_args[@]}" || status=$?
  case $status in
    0) ;;
    3) exit 0 ;;
    *) exit "$status" ;;
  esac
}

if [[ -n $spark_submit ]]; then
  # The installation's spark-submit starts two JVMs before the application's.
  check_first "$JAR:$(dirname "$(dirname "$spark_submit")")/jars/*"
  exec "$spark_submit" "${submit_args[@]}"
fi

# Without a Spark installation: SparkSubmit itself, in this JVM. In client mode it cannot resize
# its own heap, so the driver memory becomes -Xmx here; Java 17 needs the opens Spark relies on.
# Spark finds conf/spark-defaults.conf through SPARK_CONF_DIR and log4j2 through its property, so
# the class path holds jars only (plus HADOOP_CONF_DIR, where set, for Hadoop's XML files).
class_path=$JAR:$ROOT/target/lib/*
[[ -z ${HADOOP_CONF_DIR:-} ]] || class_path=$class_path:$HADOOP_CONF_DIR

# Class-data sharing: a command's first run records the classes it loaded (Spark, Hadoop,
# Parquet: some 20,000) into an archive under target/cds, and later runs of that command map
# them in instead of finding, parsing and verifying them again, which shortens the start-up and
# the table write (docs/performance.md). The archive belongs to this build and this JVM; a
# rebuilt jar records a new one. Only a run that did the command's work and succeeded records:
# help, a wrong option or a failed run loads a fraction of the classes, and an archive of those
# made later runs slower than none. So a run that would record checks its command line first, in
# a light JVM of its own, and keeps its archive only when it ends with 0. Beside the archive, a
# note of its size and class path says that it came whole from such a run, for this class path
# (the JVM ignores, silently, an archive of another: a checkout moved elsewhere); an archive
# without a note that matches is recorded again. NPYSTATS_CDS=off runs without.
cds_options=() archive='' recording=''
case ${NPYSTATS_CDS:-on}:$1 in
  off:*) ;;
  *:demo|*:generate|*:stats|*:sql|*:runs|*:compare)
    java_path=$(command -v "$java" || true)
    java_key=$(printf '%s' "$(readlink -f "$java_path" 2>/dev/null || printf '%s' "$java_path")" | cksum | cut -d' ' -f1)
    archive=$ROOT/target/cds/$1-$java_key.jsa
    if [[ -f $archive && $archive -nt $JAR && -z ${HADOOP_CONF_DIR:-} &&
          $(cat "$archive.recorded" 2>/dev/null) == "$(wc -c < "$archive") $class_path" ]]; then
      cds_options=("-XX:SharedArchiveFile=$archive")
    elif [[ -z ${HADOOP_CONF_DIR:-} ]] && mkdir -p "$ROOT/target/cds" 2>/dev/null && [[ -w $ROOT/target/cds ]]; then
      recording=$archive.$$.tmp
      cds_options=("-XX:ArchiveClassesAtExit=$recording")
    fi
    # The JVM's own notes on the archive (classes it cannot share, say) would mix into stdout.
    cds_options+=(-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds=off:stderr -Xlog:cds+dynamic=off:stderr)
    ;;
esac

command=("$java" "${java_opens[@]}" "${driver_java_options[@]}" "${cds_options[@]}"
         "-Xmx${driver_memory%[bB]}" "-Dlog4j2.configurationFile=$SPARK_CONF_DIR/log4j2.properties"
         -cp "$class_path" io.npystats.cli.Submit "${submit_args[@]}")
if [[ -z $recording ]]; then
  exec "${command[@]}"
fi
check_first "$class_path"
echo "submit.sh: this first $1 run of the build also records the classes it loads, so that later" \
     "ones start faster ($archive)" >&2
trap 'rm -f "$recording"' EXIT # an interrupted recording leaves no temporary behind
status=0
"${command[@]}" || status=$?
# Keep only what a run that succeeded wrote: a killed one leaves none or half of one, and a failed
# or refused one (exit 1 or 2) may have stopped before most of the command's classes loaded.
if [[ $status -eq 0 && -s $recording ]]; then
  rm -f "$ROOT/target/cds/$1-"*.jsa "$ROOT/target/cds/$1-"*.jsa.recorded
  mv -f "$recording" "$archive"
  echo "$(wc -c < "$archive") $class_path" > "$archive.recorded"
else
  rm -f "$recording"
fi
exit "$status"
