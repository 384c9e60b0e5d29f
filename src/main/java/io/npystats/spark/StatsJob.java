package io.npystats.spark;

import io.npystats.stats.StreamingStats;
import io.npystats.task.FileSummary;
import io.npystats.task.HadoopConf;
import io.npystats.task.InputPaths;
import io.npystats.task.RunTotals;
import io.npystats.task.SummarizeFile;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The statistics of every file an input names, computed on the executors and written as the
 * {@code file_stats} and {@code runs} tables. The driver lists the input and ships paths, never
 * bytes; each executor reads its files straight from the store. The run's {@code runs} row is
 * written last: it commits the run (see {@link Warehouse}).
 */
public final class StatsJob {
  /** Files per partition to aim for: enough to amortise a task, few enough to balance and retry. */
  static final int FILES_PER_PARTITION = 500;

  /** What a statistics run did. */
  /**
   * @param jobSeconds listing the input, reading every file and merging the statistics: the
   *     work a numpy loop or a C reader also does, so the figure to compare with them
   * @param writeSeconds writing the {@code file_stats} table afterwards
   * @param duplicatesDropped how many paths the input named again, and that got no second row
   */
  public record Result(String runId, RunTotals totals, int partitions, double startupSeconds,
      double jobSeconds, double writeSeconds, String warehouse, int duplicatesDropped) {
    public double filesPerSecond() {
      return totals.files() / Math.max(jobSeconds, 1e-9);
    }

    public double megabytesPerSecond() {
      return totals.bytes() / 1e6 / Math.max(jobSeconds, 1e-9);
    }
  }

  private StatsJob() {}

  /**
   * @param partitions how many partitions to cut the paths into; 0 picks from the file count and
   *     the cluster's parallelism
   * @param startupSeconds how long the session took to start, recorded in {@code runs}
   */
  public static Result run(SparkSession spark, String input, String warehouse, String runId,
      int partitions, double startupSeconds) throws IOException {
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    PausePoint.reach("listing");
    InputPaths.Listing listing = InputPaths.listing(input, hadoop);
    List<String> paths = listing.files();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = partitions > 0 ? partitions : defaultPartitions(paths.size(), jsc.defaultParallelism());
    slices = Math.max(1, Math.min(slices, paths.size()));
    Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(hadoop));

    jsc.setJobDescription("stats of " + paths.size() + " files in " + input);
    JavaRDD<FileSummary> summaries = jsc.parallelize(paths, slices)
        .mapPartitions(new SummarizePaths(conf))
        // Serialized: a deserialized cache sizes every partition by walking its objects with
        // reflection, a large share of the tasks' time; a summary serializes in microseconds.
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      // Reads every file once and caches the summaries the write then uses. Partials merge in
      // partition order, so the overall figures are the same to the last bit on every run.
      RunTotals totals = new RunTotals();
      for (RunTotals partial : summaries.mapPartitions(new TotalPartition()).collect()) {
        totals.merge(partial);
      }
      double jobSeconds = (System.nanoTime() - start) / 1e9;
      try (Warehouse tables = Warehouse.forWriting(warehouse, hadoop)) {
        long writeStart = System.nanoTime();
        // The runs row commits the run, so it goes first from a re-run and last from every run.
        tables.uncommit(runId);
        Dataset<Row> rows = spark.createDataFrame(summaries.map(new ToRow(runId)), Tables.FILE_STATS_SCHEMA);
        jsc.setJobDescription("write " + Tables.FILE_STATS + " for run " + runId);
        Tables.writeRun(rows, warehouse, Tables.FILE_STATS, 1 + paths.size() / 1_000_000);
        double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
        Result result = new Result(runId, totals, slices, startupSeconds, jobSeconds, writeSeconds,
            warehouse, listing.duplicates());
        PausePoint.reach("runs-write");
        writeRunRow(spark, result, input, startedAt);
        PausePoint.reach("done");
        return result;
      }
    } finally {
      summaries.unpersist(false);
      conf.destroy();
    }
  }

  static int defaultPartitions(int files, int parallelism) {
    return Math.max(parallelism * 2, (files + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION);
  }

  private static void writeRunRow(SparkSession spark, Result r, String input, long startedAt)
      throws IOException {
    StreamingStats s = r.totals().stats();
    Row row = Tables.row(r.runId(), RunRow.COLUMNS, new RunRow("stats", input,
        spark.sparkContext().master(), spark.sparkContext().applicationId(), spark.version(),
        new Timestamp(startedAt), r.totals().files(), r.totals().ok(), r.totals().failed(),
        s.count(), r.totals().bytes(), r.startupSeconds(), r.jobSeconds(), r.writeSeconds(),
        r.filesPerSecond(), r.megabytesPerSecond(), s.mean(), s.std(), s.min(), s.max()));
    Dataset<Row> runs = spark.createDataFrame(List.of(row), Tables.RUNS_SCHEMA);
    Tables.writeRun(runs, r.warehouse(), Tables.RUNS, 1);
  }

  /** Runs on an executor: one summary per path, lazily, with one reader per partition. */
  static final class SummarizePaths implements FlatMapFunction<Iterator<String>, FileSummary> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<HadoopConf> conf;

    SummarizePaths(Broadcast<HadoopConf> conf) {
      this.conf = conf;
    }

    @Override
    public Iterator<FileSummary> call(Iterator<String> paths) {
      PausePoint.reach("tasks");
      SummarizeFile task = new SummarizeFile(conf.value().get());
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return paths.hasNext();
        }

        @Override
        public FileSummary next() {
          return task.apply(paths.next());
        }
      };
    }
  }

  /** Runs on an executor: one partition's totals, its files merged in order. */
  static final class TotalPartition implements FlatMapFunction<Iterator<FileSummary>, RunTotals> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<RunTotals> call(Iterator<FileSummary> summaries) {
      RunTotals totals = new RunTotals();
      summaries.forEachRemaining(totals::add);
      return List.of(totals).iterator();
    }
  }

  /** A summary as a {@code file_stats} row, in {@link Tables#FILE_STATS_SCHEMA}'s order. */
  static final class ToRow implements Function<FileSummary, Row> {
    private static final long serialVersionUID = 1L;
    private final String runId;

    ToRow(String runId) {
      this.runId = runId;
    }

    @Override
    public Row call(FileSummary f) {
      PausePoint.reach("file_stats-write");
      return Tables.row(runId, FileSummary.COLUMNS, f);
    }
  }
}
