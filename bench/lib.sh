# Helpers shared by the benchmark scripts; each sources this after setting ROOT and, where it
# runs the peers, PEERS.

# The peers (notebook_peer.py and limit.c) and numpy must be there; limit.c is compiled into $2.
# $1 names the calling script in the message.
need_peers() {
  [[ -f $PEERS/notebook_peer.py && -f $PEERS/limit.c ]] || {
    echo "$1: no notebook_peer.py and limit.c in $PEERS (set PEERS)" >&2; exit 2; }
  python3 -c 'import numpy' || { echo "$1: needs python3 with numpy" >&2; exit 2; }
  gcc -O2 -pthread -o "$2/limit" "$PEERS/limit.c" -lm
}

# A command's first run after a build records its class-data archive (see the README), which
# takes seconds once: a small run of each command does that before anything is timed.
record_archives() {
  local prepare=$1/prepare
  "$ROOT/submit.sh" generate --out "$prepare/files" --files 4 --samples 1000 --seed 1 > /dev/null 2>&1
  "$ROOT/submit.sh" --master 'local[2]' stats --in "$prepare/files" --warehouse "$prepare/warehouse" > /dev/null 2>&1
  rm -rf "$prepare"
}

# The seconds a command printed after the word $1 ("job 0.46 s" gives 0.46).
seconds_of() { sed -n "s/.*$1 \([0-9.]*\) s.*/\1/p" | head -1; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Prints a table of rounds: under the heading $2, a line for each KEY=WHAT argument after it, with
# the median of KEY's rounds in the associative array named $1 (each entry the rounds' figures,
# separated by spaces), its ratio to the first KEY's median, and every round.
against_first() {
  local -n rounds=$1
  local heading=$2 first=${3%%=*} key what m base
  shift 2
  base=$(median <<< "${rounds[$first]}")
  printf '%-52s %8s %8s   %s\n' "$heading" median "/ $first" "(every round)"
  for key in "$@"; do
    what=${key#*=} key=${key%%=*}
    m=$(median <<< "${rounds[$key]}")
    printf '%-52s %8.4f %8s   (%s)\n' "$what" "$m" \
      "$(awk -v a="$m" -v b="$base" 'BEGIN { if (b + 0 > 0) printf "%.2fx", a / b; else print "n/a" }')" \
      "${rounds[$key]# }"
  done
}

# Flushes what was written under $1 and drops it from the page cache, then waits 5 s; see
# bench/core.sh for why every generate contender starts so.
settle() {
  sync
  python3 - "$1" <<'PY'
import os, sys
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        fd = os.open(os.path.join(folder, name), os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
PY
  sleep 5
}

# The kernel as the JVMs that summarise compile it (conf/jvm-options.conf): the vector module for
# its SIMD lanes, and C2 for those lanes alone. compile_kernel DIR [SOURCES...] compiles the stats
# package, the .npy reader, KernelBench and SOURCES into DIR.
KERNEL_JVM=(--add-modules=jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput
            "-XX:CompilerDirectivesFile=$ROOT/conf/stats-directives.json")
compile_kernel() {
  local dir=$1; shift
  "${JAVA_HOME:+$JAVA_HOME/bin/}javac" -nowarn -XDsuppressNotes --add-modules=jdk.incubator.vector \
    -d "$dir" "$ROOT"/src/main/java/io/npystats/stats/*.java "$ROOT"/src/main/java/io/npystats/npy/*.java \
    "$ROOT/bench/kernel/KernelBench.java" "$@" 2> >(grep -v 'incubat' >&2)
}
