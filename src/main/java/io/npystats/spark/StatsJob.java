package io.npystats.spark;

import io.npystats.stats.StreamingStats;
import io.npystats.task.FileSplits;
import io.npystats.task.FileSummary;
import io.npystats.task.HadoopConf;
import io.npystats.task.InputPaths;
import io.npystats.task.ReadAhead;
import io.npystats.task.RunTotals;
import io.npystats.task.SummarizeFile;
import io.npystats.task.SummarizeFile.FirstRead;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskContext$;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The statistics of every file an input names, computed on the executors and written as the
 * {@code file_stats} and {@code runs} tables. The driver lists the input and ships paths, never
 * bytes; each executor reads its files straight from the store. The run's {@code runs} row is
 * written last: it commits the run (see {@link Warehouse}).
 */
public final class StatsJob {
  /** Files per partition to aim for: enough to amortise a task, few enough to balance and retry. */
  static final int FILES_PER_PARTITION = 500;
  /**
   * A file with more data than this is read by one task per split of this size: HDFS's block
   * size, large enough that a split's task start is a small part of its time.
   */
  public static final long DEFAULT_SPLIT_BYTES = 128L << 20;
  /**
   * The Hadoop setting for the split size
   * ({@code --conf spark.hadoop.npystats.stats.split-size=256m}); {@code stats --split-size} wins.
   */
  public static final String SPLIT_SIZE = "npystats.stats.split-size";
  /** The local property {@code setJobDescription} sets, which later jobs of the thread keep. */
  private static final String JOB_DESCRIPTION = "spark.job.description";

  /** What a statistics run did. */
  /**
   * @param jobSeconds listing the input, reading every file and merging the statistics: the
   *     work a numpy loop or a C reader also does, so the figure to compare with them
   * @param writeSeconds writing the {@code file_stats} table afterwards
   * @param duplicatesDropped how many paths the input named again, and that got no second row
   * @param largeFiles how many files were larger than a split, and read in splits
   * @param splits how many splits those were, each a task
   */
  public record Result(String runId, RunTotals totals, int partitions, double startupSeconds,
      double jobSeconds, double writeSeconds, String warehouse, int duplicatesDropped,
      int largeFiles, int splits) {
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
    long splitBytes = spark.sparkContext().hadoopConfiguration().getLongBytes(SPLIT_SIZE,
        DEFAULT_SPLIT_BYTES);
    return run(spark, input, warehouse, runId, partitions, splitBytes, startupSeconds);
  }

  /**
   * @param splitBytes a file with more data than this is read in splits of this size, by as many
   *     tasks, and merged into its one row
   */
  public static Result run(SparkSession spark, String input, String warehouse, String runId,
      int partitions, long splitBytes, double startupSeconds) throws IOException {
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
    JavaRDD<FirstRead> firstReads = jsc.parallelize(slice(listing, slices), slices)
        .mapPartitions(new FirstReads(conf, splitBytes))
        // Serialized: a deserialized cache sizes every partition by walking its objects with
        // reflection, a large share of the tasks' time; a first read serializes in microseconds.
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      // Reads every file once and caches the first reads the write then uses.
      Summaries summaries = summarize(jsc, firstReads, conf);
      RunTotals totals = summaries.totals();
      double jobSeconds = (System.nanoTime() - start) / 1e9;
      try (Warehouse tables = Warehouse.forWriting(warehouse, hadoop)) {
        long writeStart = System.nanoTime();
        // The runs row commits the run, so it goes first from a re-run and last from every run.
        tables.uncommit(runId);
        Dataset<Row> rows = spark.createDataFrame(summaries.rows().map(new ToRow(runId)),
            Tables.FILE_STATS_SCHEMA);
        jsc.setJobDescription("write " + Tables.FILE_STATS + " for run " + runId);
        Tables.writeRun(rows, warehouse, Tables.FILE_STATS, 1 + paths.size() / 1_000_000);
        double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
        Result result = new Result(runId, totals, slices, startupSeconds, jobSeconds, writeSeconds,
            warehouse, listing.duplicates(), summaries.largeFiles(), summaries.splits());
        PausePoint.reach("runs-write");
        writeRunRow(spark, result, input, startedAt);
        PausePoint.reach("done");
        return result;
      }
    } finally {
      firstReads.unpersist(false);
      conf.destroy();
    }
  }

  /**
   * The files of one partition, with the statuses the listing gave beside them.
   *
   * @param statuses null where the listing gave none
   */
  record PathSlice(List<String> paths, FileStatus[] statuses) implements Serializable {}

  /**
   * The listing cut into {@code count} slices of consecutive files, as {@code parallelize} would
   * cut its paths: one slice a partition.
   */
  static List<PathSlice> slice(InputPaths.Listing listing, int count) {
    List<String> paths = listing.files();
    List<PathSlice> slices = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = (int) ((long) i * paths.size() / count);
      int to = (int) ((long) (i + 1) * paths.size() / count);
      slices.add(new PathSlice(new ArrayList<>(paths.subList(from, to)),
          listing.statuses() == null ? null : Arrays.copyOfRange(listing.statuses(), from, to)));
    }
    return slices;
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

  /**
   * Every file's summary, and their totals.
   *
   * @param rows those the first reads completed, then those read in splits, one row a file
   * @param largeFiles how many files were read in splits
   * @param splits how many splits they were read in
   */
  record Summaries(JavaRDD<FileSummary> rows, RunTotals totals, int largeFiles, int splits) {}

  /**
   * Totals the first reads and collects the files larger than a split, in one job that reads every
   * file; then, where there are such files, reads their splits in a second job, one task each,
   * and merges each file's splits into its one row. Partials merge in partition order, and the
   * large files after them in the order they were listed, so the overall figures are the same to
   * the last bit on every run.
   */
  static Summaries summarize(JavaSparkContext jsc, JavaRDD<FirstRead> firstReads,
      Broadcast<HadoopConf> conf) {
    RunTotals totals = new RunTotals();
    List<FileSplits> large = new ArrayList<>();
    for (FirstPartition partial : firstReads.mapPartitions(new TotalPartition()).collect()) {
      totals.merge(partial.totals());
      large.addAll(partial.large());
    }
    JavaRDD<FileSummary> whole =
        firstReads.filter(r -> r.summary() != null).map(FirstRead::summary);
    if (large.isEmpty()) {
      return new Summaries(whole, totals, 0, 0);
    }
    List<FileSplits.Split> splits = new ArrayList<>();
    large.forEach(f -> splits.addAll(f.splits()));
    String description = jsc.getLocalProperty(JOB_DESCRIPTION);
    jsc.setJobDescription(
        "stats of " + splits.size() + " splits of " + large.size() + " large files");
    List<FileSplits.Part> parts = jsc.parallelize(splits, splits.size())
        .mapPartitions(new SummarizeSplits(conf)).collect();
    jsc.setJobDescription(description);
    List<FileSummary> merged = mergeSplits(large, parts);
    merged.forEach(totals::add);
    return new Summaries(whole.union(jsc.parallelize(merged, 1)), totals, large.size(),
        splits.size());
  }

  /** One row per large file, from its splits' parts, in the order the files were listed. */
  static List<FileSummary> mergeSplits(List<FileSplits> large, List<FileSplits.Part> parts) {
    Map<String, List<FileSplits.Part>> byPath = new HashMap<>();
    for (FileSplits.Part part : parts) {
      byPath.computeIfAbsent(part.path(), p -> new ArrayList<>()).add(part);
    }
    List<FileSummary> rows = new ArrayList<>(large.size());
    for (FileSplits file : large) {
      rows.add(file.merge(byPath.getOrDefault(file.path(), List.of())));
    }
    return rows;
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
      SummarizeFile task = new SummarizeFile(conf.value().get());
      return lazily(paths, task::apply);
    }
  }

  /**
   * Runs on an executor: one first read per path, lazily, with one reader per partition: the
   * summary, or the splits of a file larger than one.
   */
  static final class FirstReads implements FlatMapFunction<Iterator<PathSlice>, FirstRead> {
    private static final long serialVersionUID = 2L;
    private final Broadcast<HadoopConf> conf;
    private final long splitBytes;

    FirstReads(Broadcast<HadoopConf> conf, long splitBytes) {
      this.conf = conf;
      this.splitBytes = splitBytes;
    }

    @Override
    public Iterator<FirstRead> call(Iterator<PathSlice> slices) {
      PausePoint.reach("tasks");
      Configuration hadoop = conf.value().get();
      SummarizeFile task = new SummarizeFile(hadoop);
      int filesAhead = hadoop.getInt(ReadAhead.FILES, ReadAhead.DEFAULT_FILES);
      TaskContext context = TaskContext.get();
      return new Iterator<>() {
        private PathSlice slice;
        private ReadAhead ahead;
        private int next;

        {
          if (context != null) {
            context.addTaskCompletionListener((TaskCompletionListener) done -> stopReadingAhead());
          }
        }

        @Override
        public boolean hasNext() {
          while (slice == null || next == slice.paths().size()) {
            stopReadingAhead();
            if (!slices.hasNext()) {
              return false;
            }
            slice = slices.next();
            next = 0;
            if (filesAhead > 0) {
              // The reading threads run as the task: a store, or Spark, that asks which task
              // reads sees the same one as without read-ahead.
              ahead = new ReadAhead(hadoop, slice.paths(), slice.statuses(), filesAhead,
                  splitBytes, () -> TaskContext$.MODULE$.setTaskContext(context));
            }
          }
          return true;
        }

        @Override
        public FirstRead next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          int i = next++;
          FileStatus listed = slice.statuses() == null ? null : slice.statuses()[i];
          return task.first(slice.paths().get(i), listed, splitBytes,
              ahead == null ? null : ahead.take(i));
        }

        private void stopReadingAhead() {
          if (ahead != null) {
            ahead.close();
            ahead = null;
          }
        }
      };
    }
  }

  /** {@code f} of each element, each computed only when the caller asks for it. */
  private static <T, R> Iterator<R> lazily(Iterator<T> in, java.util.function.Function<T, R> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public R next() {
        return f.apply(in.next());
      }
    };
  }

  /** Runs on an executor: the part of each split it is given. */
  static final class SummarizeSplits
      implements FlatMapFunction<Iterator<FileSplits.Split>, FileSplits.Part> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<HadoopConf> conf;

    SummarizeSplits(Broadcast<HadoopConf> conf) {
      this.conf = conf;
    }

    @Override
    public Iterator<FileSplits.Part> call(Iterator<FileSplits.Split> splits) {
      SummarizeFile task = new SummarizeFile(conf.value().get());
      List<FileSplits.Part> parts = new ArrayList<>();
      splits.forEachRemaining(split -> parts.add(task.apply(split)));
      return parts.iterator();
    }
  }

  /** A partition's totals of the files it read, and the files it left to be read in splits. */
  record FirstPartition(RunTotals totals, List<FileSplits> large) implements Serializable {}

  /** Runs on an executor: a partition's totals, its files merged in order, and its large files. */
  static final class TotalPartition
      implements FlatMapFunction<Iterator<FirstRead>, FirstPartition> {
    private static final long serialVersionUID = 2L;

    @Override
    public Iterator<FirstPartition> call(Iterator<FirstRead> reads) {
      RunTotals totals = new RunTotals();
      List<FileSplits> large = new ArrayList<>();
      reads.forEachRemaining(r -> {
        if (r.splits() != null) {
          large.add(r.splits());
        } else {
          totals.add(r.summary());
        }
      });
      return List.of(new FirstPartition(totals, large)).iterator();
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
