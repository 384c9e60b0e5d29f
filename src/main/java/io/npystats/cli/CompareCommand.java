package io.npystats.cli;

import io.npystats.compare.Comparison;
import io.npystats.compare.ComparisonSettings;
import io.npystats.compare.ConsoleProgress;
import io.npystats.compare.Engines;
import io.npystats.engine.Phase;
import io.npystats.spark.SparkEngine;
import io.npystats.spark.Tables;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Run the same per-file work with every engine at every worker count, on the same files:"
          + " sequential (one thread), threads (a pool of W), thread-per-file, processes (W child"
          + " JVMs), spark (local[W]) and spark-cluster (the --master given to submit.sh, when it"
          + " is a cluster).",
      "Each engine and worker count runs once to warm the page cache and the JIT, then"
          + " --repeats times; the median is shown, with the fastest and slowest. Several sizes"
          + " (--files 200,2000,20000) show where start-up stops mattering. Every result is checked against the sequential engine's, bit for"
          + " bit; any difference fails the command. Prints a table, appends the rows to the"
          + " benchmarks table, and writes a chart (work rate, and wall time with start-up) and a"
          + " report that says who won, why, and from how many files each start-up stops mattering.",
      "Exit code 1 when the engines disagree, an engine fails, or an input file is refused."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./submit.sh compare --files 200 --samples 100000",
      "  ./submit.sh compare --files 200,2000,20000 --samples 10000 --engines threads,spark --workers 2",
      "  ./submit.sh compare --in data/files --workers 1,2 --repeats 5",
      "  ./submit.sh compare --files 500 --samples 100000 --phase both --engines threads,processes",
      "  ./submit.sh --master spark://127.0.0.1:7077 compare --in data/files"
    })
final class CompareCommand implements Callable<Integer> {
  /** Three runs give a median and a spread; one run says nothing of its own noise. */
  static final int DEFAULT_REPEATS = 3;

  @Spec CommandSpec spec;

  @Mixin RunOptions run = new RunOptions();

  @Option(names = "--files", paramLabel = "N", split = ",",
      description = "Generate N files (kept under --work for the next compare) instead of --in;"
          + " several sizes, e.g. 200,2000,20000, run every engine on each: a sweep.")
  List<Long> files;

  @Option(names = "--samples", paramLabel = "M",
      description = "Samples per generated file (default: ${DEFAULT-VALUE}).")
  long samples = Defaults.SAMPLES;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of generated files (default: ${DEFAULT-VALUE}).")
  long seed = Defaults.SEED;

  @Option(names = "--workers", paramLabel = "W", split = ",",
      description = "Worker counts (default: 1, 2, 4, ... up to this machine's cores).")
  List<Integer> workers;

  @Option(names = "--engines", paramLabel = "NAME", split = ",",
      description = "Engines to run (default: all; spark-cluster only with a cluster master)."
          + " sequential always runs: it is the baseline and the reference.")
  List<String> engines;

  @Option(names = "--phase", paramLabel = "PHASE",
      description = "stats (default), generate (needs --files), or both.")
  String phase = "stats";

  @Option(names = "--repeats", paramLabel = "R",
      description = "Measured runs after the warm-up; the median is shown, with the spread"
          + " (default: ${DEFAULT-VALUE}).")
  int repeats = DEFAULT_REPEATS;

  @Option(names = "--report", paramLabel = "DIR", description = "Where the chart and report go (default: data/reports/RUN_ID).")
  Path report;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Where generated inputs and generate-phase folders go (default: data/compare).")
  String work;

  @Override
  public Integer call() throws Exception {
    ComparisonSettings settings = settings();
    PrintWriter out = spec.commandLine().getOut();
    Comparison.Outcome outcome = new Comparison(settings, out).run();
    out.println();
    out.printf("table:  %s (run_id = %s)%n", Tables.path(settings.warehouse(), Tables.BENCHMARKS),
        outcome.runId());
    for (Path chart : outcome.report().charts()) {
      out.printf("chart:  %s%n", chart);
    }
    out.printf("report: %s%n", outcome.report().page());
    out.printf("  ./submit.sh sql \"SELECT phase, engine, workers, work_seconds, files_per_second,"
        + " speedup FROM benchmarks WHERE run_id = '%s' AND NOT warmup ORDER BY phase, engine,"
        + " workers\"%n", outcome.runId());
    if (outcome.failedFiles() > 0) {
      spec.commandLine().getErr().printf("%,d input file(s) refused, by every engine alike; see"
          + " the stats command for the reasons%n", outcome.failedFiles());
      return Main.FAILED;
    }
    return Main.OK;
  }

  ComparisonSettings settings() {
    String id = Checks.runId(spec, run.runId);
    Set<Phase> phases = switch (phase) {
      case "stats" -> EnumSet.of(Phase.STATS);
      case "generate" -> EnumSet.of(Phase.GENERATE);
      case "both" -> EnumSet.of(Phase.GENERATE, Phase.STATS);
      default -> throw usage("--phase must be stats, generate or both, got '" + phase + "'");
    };
    if ((run.in == null) == (files == null)) {
      throw usage("give either --in PATH or --files N, not " + (run.in == null ? "neither" : "both"));
    }
    if (phases.contains(Phase.GENERATE) && files == null) {
      throw usage("--phase " + phase + " needs --files N: the files to write");
    }
    List<Long> sizes = new ArrayList<>();
    if (files != null) {
      for (long n : files) {
        Checks.inRange(spec, "--files", n, 1, 10_000_000);
      }
      sizes.addAll(new TreeSet<>(files));
    }
    Checks.inRange(spec, "--samples", samples, 0, 1L << 36);
    Checks.inRange(spec, "--repeats", repeats, 1, 100);
    List<Integer> counts = workers != null ? workers : Engines.defaultWorkers();
    for (int w : counts) {
      Checks.inRange(spec, "--workers", w, 1, 1024);
    }
    counts = new ArrayList<>(new TreeSet<>(counts));
    String master = clusterMaster();
    List<String> names = engines != null ? engines : Engines.defaultNames(master != null);
    for (String name : names) {
      if (!Engines.NAMES.contains(name)) {
        throw usage("--engines: unknown engine '" + name + "'; the engines are "
            + String.join(", ", Engines.NAMES));
      }
    }
    if (names.contains(SparkEngine.CLUSTER) && master == null) {
      String given = new SparkConf().get("spark.master", "");
      throw usage("--engines spark-cluster needs a cluster master, e.g. ./submit.sh --master"
          + " spark://127.0.0.1:7077 compare ...; the master is " + (given.isEmpty() ? "not set" : given));
    }
    return settings(run.in, sizes, samples, seed, counts, names, phases, repeats, run.warehouse, report,
        work, id);
  }

  /**
   * The demo's compare: every engine on the first {@code sizes} files of {@code input}, statistics
   * only, worker counts, engines and repeats as by default.
   */
  static ComparisonSettings defaults(String input, List<Long> sizes, String warehouse) {
    return settings(input, sizes, Defaults.SAMPLES, Defaults.SEED, Engines.defaultWorkers(),
        Engines.defaultNames(clusterMaster() != null), EnumSet.of(Phase.STATS), DEFAULT_REPEATS,
        warehouse, null, null, null);
  }

  /** Checked options, and the defaults of those not given (null). */
  private static ComparisonSettings settings(String in, List<Long> sizes, long samples, long seed,
      List<Integer> workers, List<String> engines, Set<Phase> phases, int repeats,
      String warehouse, Path report, String work, String runId) {
    String id = runId != null ? runId : RunIds.next("compare");
    return new ComparisonSettings(in, sizes, samples, seed, workers, engines, phases, repeats,
        warehouse != null ? warehouse : Defaults.warehouse(),
        report != null ? report : Defaults.dataDir().resolve("reports").resolve(id),
        work != null ? work : Defaults.dataDir().resolve("compare").toString(), id,
        clusterMaster(), Map.of(), ConsoleProgress.terminal());
  }

  /** The master {@code spark-submit} was given when it is a cluster's, or null. */
  private static String clusterMaster() {
    String master = new SparkConf().get("spark.master", "");
    return master.isEmpty() || master.startsWith("local") ? null : master;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
