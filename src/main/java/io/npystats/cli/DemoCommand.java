package io.npystats.cli;

import io.npystats.compare.Comparison;
import io.npystats.spark.GenerateJob;
import io.npystats.spark.SparkSessions;
import io.npystats.spark.StatsJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "The whole story on a small data set under data/: generate, then stats, then"
        + " compare every engine on the first tenth of the files and on all of them, then show"
        + " where the tables, the chart and the report are and how to query them.")
final class DemoCommand implements Callable<Integer>, Checked {
  @Spec CommandSpec spec;

  /**
   * Enough files that the fastest engine's work on all of them takes more than the 0.1 s a
   * measurement needs to be trusted, on 2 cores; few enough for the demo's minute.
   */
  static final long FILES = 1_000;

  @Option(names = "--files", paramLabel = "N", description = "How many files (default: ${DEFAULT-VALUE}).")
  long files = FILES;

  @Option(names = "--samples", paramLabel = "M", description = "Samples per file (default: ${DEFAULT-VALUE}).")
  long samples = Defaults.SAMPLES;

  @Override
  public void check() {
    Checks.inRange(spec, "--files", files, 1, 1_000_000);
    Checks.inRange(spec, "--samples", samples, 0, 10_000_000);
  }

  @Override
  public Integer call() throws Exception {
    check();
    PrintWriter w = spec.commandLine().getOut();
    String dir = Defaults.dataDir().resolve("demo-files").toString();
    String warehouse = Defaults.warehouse();
    StatsJob.Result stats;
    try (SparkSessions.Handle session = SparkSessions.open("npystats demo")) {
      SparkSession spark = session.spark();
      SparkSessions.warmUp(spark);
      double startup = StatsCommand.secondsSinceJvmStart();
      int partitions = GenerateJob.defaultPartitions(spark.sparkContext().defaultParallelism());
      // The demo's own folder: one of another size from an earlier demo is replaced, not refused.
      boolean overwrite = !GenerateJob.madeWith(spark, dir, files, samples, Defaults.SEED);
      GenerateCommand.print(w, dir,
          GenerateJob.run(spark, dir, files, samples, Defaults.SEED, partitions, null, overwrite));
      stats = StatsJob.run(spark, dir, warehouse, RunIds.next("demo"), 0, startup);
      StatsCommand.print(w, stats);
    }
    w.println();
    // Two sizes a decade apart: the chart shows how each engine's wall time grows with the files.
    List<Long> sizes = files >= 10 ? List.of(files / 10, files) : List.of(files);
    w.printf("compare: the same statistics by one thread, a thread pool, a thread per file, child"
        + " processes and Spark, on %s files%n", sizes.size() > 1
            ? String.format(Locale.ROOT, "%,d and %,d", sizes.get(0), sizes.get(1))
            : String.format(Locale.ROOT, "%,d", files));
    Comparison.Outcome compare = new Comparison(CompareCommand.defaults(dir, sizes, warehouse), w)
        .run();
    w.println();
    w.println("Where things are:");
    w.printf("  tables: %s (file_stats, runs, benchmarks)%n", warehouse);
    for (Path chart : compare.report().charts()) {
      w.printf("  chart:  %s%n", chart);
    }
    w.printf("  report: %s%n", compare.report().page());
    w.println("Query the tables:");
    w.printf("  ./submit.sh sql \"SELECT path, n, mean, std FROM file_stats WHERE run_id = '%s' ORDER BY path LIMIT 5\"%n",
        stats.runId());
    w.println("  ./submit.sh sql \"SELECT run_id, files, failed, job_seconds, files_per_second FROM runs\"");
    w.printf("  ./submit.sh sql \"SELECT engine, workers, work_seconds, files_per_second, speedup FROM benchmarks WHERE run_id = '%s' AND NOT warmup\"%n",
        compare.runId());
    return stats.totals().failed() > 0 ? Main.FAILED : Main.OK;
  }
}
