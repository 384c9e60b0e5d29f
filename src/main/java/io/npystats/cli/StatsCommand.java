package io.npystats.cli;

import io.npystats.spark.SparkSessions;
import io.npystats.spark.StatsJob;
import io.npystats.spark.TaskWarmUp;
import io.npystats.spark.Tables;
import io.npystats.stats.StreamingStats;
import io.npystats.task.ListingAhead;
import io.npystats.task.RunTotals;
import io.npystats.task.Stores;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Compute count, mean, std (ddof = 0), min and max of every .npy file on the executors, and write"
          + " the file_stats and runs tables.",
      "Every input file gets exactly one row; a file that cannot be read gets status 'error' and the"
          + " reason. Exit code 1 when any file was refused.",
      "--in takes a folder (its visible entries but sub-folders, and any sub-folder named *.npy,"
          + " which gets an error row), a glob, a .npy file, or a text file of paths, one a line;"
          + " a relative path in it is resolved against the working directory, not the list's"
          + " folder. A path named twice is read once. Without --in, the files of"
          + " ${sys:npystats.files}."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./submit.sh stats --in data/files",
      "  ./submit.sh stats --in 'data/files/file_1*.npy' --run-id ones",
      "  ./submit.sh stats --in paths.txt --warehouse hdfs://nn:8020/warehouse",
      "  ./submit.sh stats --in data/big.npy --split-size 64m"
    })
final class StatsCommand implements Callable<Integer>, Checked {
  @Spec CommandSpec spec;

  @Mixin RunOptions run = new RunOptions();

  @Option(names = "--partitions", paramLabel = "P",
      description = "Spark partitions (default: about 500 files each, at least 2 per core).")
  Integer partitions;

  @Option(names = "--split-size", paramLabel = "BYTES",
      description = "A file with more data than this is read in splits of this size, one task each,"
          + " merged into its one row; k, m, g, t suffixes are binary (default:"
          + " spark.hadoop." + StatsJob.SPLIT_SIZE + " where set, else the data's share of each"
          + " core, from 128m to 1g).")
  String splitSize;

  /** Splits smaller than this would make a task of a few reads. */
  static final long MIN_SPLIT_BYTES = 1L << 20;

  @Override
  public void check() {
    Checks.runId(spec, run.runId);
    if (partitions != null) {
      Checks.inRange(spec, "--partitions", partitions, 1, 1_000_000);
    }
    if (splitSize != null) {
      Checks.bytes(spec, "--split-size", splitSize, MIN_SPLIT_BYTES);
    }
  }

  @Override
  public Integer call() throws Exception {
    check();
    String id = run.runId;
    Long splitBytes = splitSize == null ? null : Checks.bytes(spec, "--split-size", splitSize,
        MIN_SPLIT_BYTES);
    // Absolute, as the runs table records it: a relative path means nothing once read elsewhere.
    String input = run.in != null ? Defaults.absolute(run.in) : Defaults.files();
    String tables = run.warehouse != null ? run.warehouse : Defaults.warehouse();
    PrintWriter w = spec.commandLine().getOut();
    // A local folder is listed while Spark starts, on the core its start-up leaves partly idle,
    // once the warm-up is done with it.
    Thread warmUp = TaskWarmUp.startInBackground();
    ListingAhead listing = ListingAhead.start(input, SparkSessions::hadoopConfiguration, warmUp);
    try (SparkSessions.Handle session = SparkSessions.open("npystats stats")) {
      SparkSession spark = session.spark();
      if (splitBytes == null) {
        String setting = spark.sparkContext().hadoopConfiguration().get(StatsJob.SPLIT_SIZE);
        splitBytes = setting == null ? 0
            : Checks.bytes(spec, "spark.hadoop." + StatsJob.SPLIT_SIZE, setting, MIN_SPLIT_BYTES);
      }
      StatsJob.Result r;
      double prepared;
      // The job is prepared beside the session's warm-up job.
      try (StatsJob.Preparing preparing = StatsJob.prepareInBackground(spark, listing,
          partitions != null ? partitions : 0, splitBytes)) {
        TaskWarmUp.job(spark);
        double startup = secondsSinceJvmStart();
        // Input paths are qualified by the listing; the warehouse must be too.
        tables = Stores.qualify(tables, spark.sparkContext().hadoopConfiguration());
        r = StatsJob.run(spark, preparing, tables, id != null ? id : RunIds.next("stats"), startup);
        prepared = preparing.seconds();
      }
      print(w, r, listing.seconds(), prepared);
      if (r.totals().failed() > 0) {
        printFailures(spec.commandLine().getErr(), r);
        return Main.FAILED;
      }
      return Main.OK;
    }
  }

  static double secondsSinceJvmStart() {
    return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
  }

  static void print(PrintWriter w, StatsJob.Result r) {
    print(w, r, Double.NaN, Double.NaN);
  }

  /**
   * @param listedAhead how long listing the input took during the start-up, or NaN
   * @param prepared how long the job's preparation took beside the warm-up, or NaN
   */
  static void print(PrintWriter w, StatsJob.Result r, double listedAhead, double prepared) {
    StreamingStats s = r.totals().stats();
    w.printf("stats: %,d files (%,d ok, %,d failed), %,d samples, %.1f MB%s; %.1f s since the command"
        + " started%n", r.totals().files(), r.totals().ok(), r.totals().failed(), s.count(),
        r.totals().bytes() / 1e6,
        r.duplicatesDropped() == 0 ? "" : String.format("; %,d duplicate path%s dropped",
            r.duplicatesDropped(), r.duplicatesDropped() == 1 ? "" : "s"),
        secondsSinceJvmStart());
    w.printf("       job %s s: %,.0f files/s, %,.0f MB/s over %d partitions (read, statistics and"
        + " rows written; Spark start-up %.1f s%s and the tables' commit %.1f s apart)%n",
        Shown.seconds(r.jobSeconds()), r.filesPerSecond(), r.megabytesPerSecond(), r.partitions(),
        r.startupSeconds(), (Double.isNaN(listedAhead) ? ""
            : String.format(", the input listed within it in %.2f s", listedAhead))
            + (Double.isNaN(prepared) ? "" : String.format(
                ", the job prepared beside its warm-up in %s s", Shown.seconds(prepared)))
            + (Double.isNaN(listedAhead) && Double.isNaN(prepared) ? "" : ","),
        r.writeSeconds());
    if (r.largeFiles() > 0) {
      w.printf("       %,d file%s larger than a split read in %,d splits, a task each%n",
          r.largeFiles(), r.largeFiles() == 1 ? "" : "s", r.splits());
    }
    w.printf("       overall mean %s, std %s, min %s, max %s (every digit in the runs table)%n",
        Shown.number(s.mean()), Shown.number(s.std()), Shown.number(s.min()), Shown.number(s.max()));
    w.printf("tables: %s and %s, run_id = %s%n", Shown.path(Tables.path(r.warehouse(), Tables.FILE_STATS)),
        Shown.path(Tables.path(r.warehouse(), Tables.RUNS)), r.runId());
  }

  /** From the run's totals, which keep the first refusals: the table is not read back. */
  static void printFailures(PrintWriter err, StatsJob.Result r) {
    List<RunTotals.Failure> failures = r.totals().firstFailures();
    err.printf("%,d file(s) refused; each has a row with status 'error'%s:%n", r.totals().failed(),
        r.totals().failed() > failures.size() ? " (first " + failures.size() + " shown)" : "");
    for (RunTotals.Failure failure : failures) {
      err.println("  " + Shown.path(failure.path()) + ": " + failure.reason());
    }
  }
}
