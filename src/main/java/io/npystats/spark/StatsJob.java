package io.npystats.spark;

import io.npystats.stats.StreamingStats;
import io.npystats.task.Clocks;
import io.npystats.task.FileSplits;
import io.npystats.task.FileSummary;
import io.npystats.task.HadoopConf;
import io.npystats.task.InputPaths;
import io.npystats.task.ReadAhead;
import io.npystats.task.RunTotals;
import io.npystats.task.SummarizeFile;
import io.npystats.task.SummarizeFile.FirstRead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
   * The most tasks a core gets by default, however many files there are: a task costs the
   * scheduler and the executor some milliseconds of their own (its closure and partition
   * deserialized, its result serialized, its metrics), whatever it reads. On two cores, 100,000
   * files of 8 KB took 1.66 s in 200 tasks and 1.07 s in 16; eight a core still balance.
   */
  static final int MAX_TASKS_PER_CORE = 8;
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
  /**
   * The fewest {@code file_stats} rows a write task gets when the write is cut among the cores:
   * some 0.8 MB of Parquet (zstd), so the files stay few and none is small.
   */
  static final int ROWS_PER_WRITE_TASK = 20_000;
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
    InputPaths.Listing all = InputPaths.listing(input, hadoop);
    List<String> paths = all.files();
    Planned planned = plan(all, splitBytes, hadoop);
    InputPaths.Listing listing = planned.rest();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int files = listing.files().size();
    int slices = partitions > 0 ? partitions : defaultPartitions(files, jsc.defaultParallelism());
    slices = Math.max(files == 0 ? 0 : 1, Math.min(slices, files));
    Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(hadoop));

    List<FileSplits.Split> splits = new ArrayList<>();
    planned.large().forEach(f -> splits.addAll(f.splits()));
    jsc.setJobDescription("stats of " + paths.size() + " files in " + input
        + (splits.isEmpty() ? "" : ", " + splits.size() + " splits of " + planned.large().size()
        + " large files among them"));
    JavaRDD<ReadPartition> fileReads = files == 0 ? jsc.emptyRDD()
        : jsc.parallelize(slice(listing, slices), slices)
            .mapPartitions(new ReadPartitions(new FirstReads(conf, splitBytes)));
    // The splits come first: the longest tasks start first, and the small files fill the cores
    // as they free up, so the job ends with the last split rather than a split after the rest.
    JavaRDD<ReadPartition> firstReads = (splits.isEmpty() ? fileReads
        : readSplitsInPartitions(jsc, splits, conf).union(fileReads))
        // A partition is one object that holds its summaries encoded: sizing it for the cache
        // walks a handful of objects, not a reflective walk of each summary, and nothing is
        // serialized unless it spills. A cache of the summaries themselves, serialized, cost
        // Java's serialization of every summary once and its deserialization twice: a third of
        // the tasks' time for files of 8 KB.
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // Reads every file once and caches the first reads the write then uses.
      Summaries summaries = summarize(jsc, firstReads, planned, conf);
      RunTotals totals = summaries.totals();
      double jobSeconds = Clocks.secondsSince(start);
      try (Warehouse tables = Warehouse.forWriting(warehouse, hadoop)) {
        long writeStart = System.nanoTime();
        // The runs row commits the run, so it goes first from a re-run and last from every run.
        tables.uncommit(runId);
        Dataset<Row> rows = spark.createDataFrame(summaries.rows().map(new ToRow(runId)),
            Tables.FILE_STATS_SCHEMA);
        jsc.setJobDescription("write " + Tables.FILE_STATS + " for run " + runId);
        Tables.writeFileStats(rows, runId, warehouse,
            fileStatsFiles(paths.size(), jsc.defaultParallelism()));
        double writeSeconds = Clocks.secondsSince(writeStart);
        Result result = new Result(runId, totals, firstReads.getNumPartitions(), startupSeconds, jobSeconds, writeSeconds,
            warehouse, all.duplicates(), summaries.largeFiles(), summaries.splits());
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
   * The files of one partition, with the statuses the listing gave beside them. A task's payload:
   * its paths travel as one text and where each ends, which Java's serialization writes in one go,
   * where a list of strings costs a record of each, written on the driver and read in the task.
   * The start they share, their folder, is in it once.
   */
  static final class PathSlice implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String prefix;
    private final String text;
    private final int[] ends;
    private final FileStatus[] statuses;
    private transient List<String> paths;

    /** @param statuses null where the listing gave none */
    PathSlice(List<String> paths, FileStatus[] statuses) {
      String first = paths.isEmpty() ? "" : paths.get(0);
      int shared = first.length();
      for (String path : paths) {
        shared = Math.min(shared, path.length());
        for (int i = 0; i < shared; i++) {
          if (path.charAt(i) != first.charAt(i)) {
            shared = i;
          }
        }
      }
      this.prefix = first.substring(0, shared);
      StringBuilder text = new StringBuilder();
      this.ends = new int[paths.size()];
      for (int i = 0; i < ends.length; i++) {
        ends[i] = text.append(paths.get(i), shared, paths.get(i).length()).length();
      }
      this.text = text.toString();
      this.statuses = statuses;
    }

    List<String> paths() {
      if (paths == null) {
        paths = new AbstractList<>() {
          @Override
          public String get(int i) {
            return prefix.concat(text.substring(i == 0 ? 0 : ends[i - 1], ends[i]));
          }

          @Override
          public int size() {
            return ends.length;
          }
        };
      }
      return paths;
    }

    /** null where the listing gave none */
    FileStatus[] statuses() {
      return statuses;
    }
  }

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
      slices.add(new PathSlice(paths.subList(from, to),
          listing.statuses() == null ? null : Arrays.copyOfRange(listing.statuses(), from, to)));
    }
    return slices;
  }

  /**
   * The listing's files larger than a split, their headers read and checked on the driver before
   * the job, and the rest of the listing left to the first reads.
   *
   * @param large the splits of each, in the order listed
   * @param refused the error rows of those whose header or length is bad, in the order listed
   */
  record Planned(List<FileSplits> large, List<FileSummary> refused, InputPaths.Listing rest) {}

  /**
   * Reads the headers of the files the listing says are larger than a split, so that their
   * splits' tasks run in the job that reads the other files: a second job after it cost its
   * scheduling, and left the cores idle while the last small files and the large files' headers
   * were read. A few hundred bytes a large file; one file of 1.6 GB then took one job where it
   * took two. A file without a status in the listing (a local folder's) is planned by its first
   * read as before, and read in splits in a job after.
   */
  static Planned plan(InputPaths.Listing listing, long splitBytes, Configuration hadoop) {
    FileStatus[] statuses = listing.statuses();
    List<FileSplits> large = new ArrayList<>();
    List<FileSummary> refused = new ArrayList<>();
    if (statuses == null) {
      return new Planned(large, refused, listing);
    }
    List<String> files = listing.files();
    List<String> rest = new ArrayList<>(files.size());
    List<FileStatus> restStatuses = new ArrayList<>(files.size());
    SummarizeFile task = null;
    for (int i = 0; i < files.size(); i++) {
      FileStatus status = statuses[i];
      FirstRead read = null;
      if (status != null && status.getLen() > splitBytes) {
        task = task == null ? new SummarizeFile(hadoop) : task;
        read = task.plan(files.get(i), status, splitBytes);
      }
      if (read == null) {
        rest.add(files.get(i));
        restStatuses.add(status);
      } else if (read.splits() != null) {
        large.add(read.splits());
      } else {
        refused.add(read.summary());
      }
    }
    if (rest.size() == files.size()) {
      return new Planned(large, refused, listing);
    }
    return new Planned(large, refused, new InputPaths.Listing(rest,
        restStatuses.toArray(new FileStatus[0]), listing.duplicates()));
  }

  /**
   * How many Parquet files, each one task, a run of {@code rows} rows writes: one a million rows
   * at least, and one a core where each would still hold {@link #ROWS_PER_WRITE_TASK}. One task
   * for every row left a core idle while it decoded, converted and encoded them all: 100,000 rows
   * took that task 1.1 to 1.2 s of CPU, as much as the job's tasks took to read the files (1.3 s).
   */
  static int fileStatsFiles(int rows, int parallelism) {
    return Math.max(1 + rows / 1_000_000, Math.min(parallelism, rows / ROWS_PER_WRITE_TASK));
  }

  static int defaultPartitions(int files, int parallelism) {
    int byFiles = (files + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION;
    return Math.max(parallelism * 2, Math.min(byFiles, parallelism * MAX_TASKS_PER_CORE));
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
   * file and the splits of those {@code planned}; then, where the first reads found more such
   * files, reads their splits in a second job, one task each, and merges each file's splits into
   * its one row. Partials merge in partition order, then the rows refused by the plan, and the
   * large files after them, the planned ones then the others, each in the order they were listed,
   * so the overall figures are the same to the last bit on every run.
   */
  static Summaries summarize(JavaSparkContext jsc, JavaRDD<ReadPartition> firstReads,
      Planned planned, Broadcast<HadoopConf> conf) {
    RunTotals totals = new RunTotals();
    List<FileSplits> found = new ArrayList<>();
    List<FileSplits.Part> parts = new ArrayList<>();
    for (FirstPartition partial : firstReads.map(ReadPartition::first).collect()) {
      totals.merge(partial.totals());
      found.addAll(partial.large());
      parts.addAll(partial.parts());
    }
    planned.refused().forEach(totals::add);
    JavaRDD<FileSummary> whole = firstReads.flatMap(ReadPartition::summaries);
    List<FileSplits> large = new ArrayList<>(planned.large());
    large.addAll(found);
    if (large.isEmpty()) {
      return new Summaries(planned.refused().isEmpty() ? whole
          : whole.union(jsc.parallelize(planned.refused(), 1)), totals, 0, 0);
    }
    List<FileSplits.Split> splits = new ArrayList<>();
    found.forEach(f -> splits.addAll(f.splits()));
    String description = jsc.getLocalProperty(JOB_DESCRIPTION);
    if (!splits.isEmpty()) {
      jsc.setJobDescription(
          "stats of " + splits.size() + " splits of " + found.size() + " large files");
      parts.addAll(readSplits(jsc, splits, conf));
    }
    parts = withExactSumsWhereNeeded(jsc, large, parts, conf);
    jsc.setJobDescription(description);
    List<FileSummary> rows = new ArrayList<>(planned.refused());
    List<FileSummary> merged = mergeSplits(large, parts);
    merged.forEach(totals::add);
    rows.addAll(merged);
    int splitCount = 0;
    for (FileSplits file : large) {
      splitCount += file.count();
    }
    return new Summaries(whole.union(jsc.parallelize(rows, 1)), totals, large.size(),
        splitCount);
  }

  /** The parts of {@code splits}, one task a split, each as a partition of first reads. */
  private static JavaRDD<ReadPartition> readSplitsInPartitions(JavaSparkContext jsc,
      List<FileSplits.Split> splits, Broadcast<HadoopConf> conf) {
    return jsc.parallelize(splits, splits.size())
        .mapPartitions(new SplitPartitions(new SummarizeSplits(conf)));
  }

  private static List<FileSplits.Part> readSplits(JavaSparkContext jsc,
      List<FileSplits.Split> splits, Broadcast<HadoopConf> conf) {
    return jsc.parallelize(splits, splits.size()).mapPartitions(new SummarizeSplits(conf))
        .collect();
  }

  /**
   * The parts, with those of the files whose splits' sums cancel each other beyond what the
   * compensated sums vouch for read again with exact sums, in a job of their own: rare (a +1e20
   * ending one split, its -1e20 starting the next), and those files' means are then still within
   * an ulp or two of the exact ones.
   */
  private static List<FileSplits.Part> withExactSumsWhereNeeded(JavaSparkContext jsc,
      List<FileSplits> large, List<FileSplits.Part> parts, Broadcast<HadoopConf> conf) {
    Map<String, List<FileSplits.Part>> byPath = partsByPath(parts);
    List<FileSplits.Split> again = new ArrayList<>();
    for (FileSplits file : large) {
      if (!file.sumsVouchedFor(byPath.getOrDefault(file.path(), List.of()))) {
        again.addAll(file.splitsWithExactSums());
      }
    }
    if (again.isEmpty()) {
      return parts;
    }
    jsc.setJobDescription("exact sums of " + again.size() + " splits");
    Set<String> redone = new HashSet<>();
    again.forEach(split -> redone.add(split.file().path()));
    List<FileSplits.Part> all = new ArrayList<>(readSplits(jsc, again, conf));
    parts.stream().filter(part -> !redone.contains(part.path())).forEach(all::add);
    return all;
  }

  private static Map<String, List<FileSplits.Part>> partsByPath(List<FileSplits.Part> parts) {
    Map<String, List<FileSplits.Part>> byPath = new HashMap<>();
    for (FileSplits.Part part : parts) {
      byPath.computeIfAbsent(part.path(), p -> new ArrayList<>()).add(part);
    }
    return byPath;
  }

  /** One row per large file, from its splits' parts, in the order the files were listed. */
  static List<FileSummary> mergeSplits(List<FileSplits> large, List<FileSplits.Part> parts) {
    Map<String, List<FileSplits.Part>> byPath = partsByPath(parts);
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

  /**
   * A partition's totals of the files it read, the files it left to be read in splits, and the
   * parts of the splits it read.
   */
  record FirstPartition(RunTotals totals, List<FileSplits> large, List<FileSplits.Part> parts)
      implements Serializable {}

  /**
   * What a partition's first reads gave: its totals and large files, and the summaries of the
   * files it read whole, in order, encoded by {@link FileSummary#COLUMNS}.
   */
  record ReadPartition(FirstPartition first, byte[] encoded, int count) implements Serializable {
    /** The summaries, decoded one at a time as the caller asks for them. */
    Iterator<FileSummary> summaries() {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
      return new Iterator<>() {
        private int read;

        @Override
        public boolean hasNext() {
          return read < count;
        }

        @Override
        public FileSummary next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          read++;
          try {
            return FileSummary.COLUMNS.read(in);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
    }
  }

  /**
   * Runs on an executor: a partition's first reads as one {@link ReadPartition}, its files'
   * totals merged in order.
   */
  static final class ReadPartitions implements FlatMapFunction<Iterator<PathSlice>, ReadPartition> {
    private static final long serialVersionUID = 1L;
    private final FirstReads firstReads;

    ReadPartitions(FirstReads firstReads) {
      this.firstReads = firstReads;
    }

    @Override
    public Iterator<ReadPartition> call(Iterator<PathSlice> slices) throws IOException {
      RunTotals totals = new RunTotals();
      List<FileSplits> large = new ArrayList<>();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      int count = 0;
      for (Iterator<FirstRead> reads = firstReads.call(slices); reads.hasNext(); ) {
        FirstRead read = reads.next();
        if (read.splits() != null) {
          large.add(read.splits());
        } else {
          totals.add(read.summary());
          FileSummary.COLUMNS.write(read.summary(), out);
          count++;
        }
      }
      out.flush();
      return List.of(new ReadPartition(new FirstPartition(totals, large, List.of()),
          bytes.toByteArray(), count)).iterator();
    }
  }

  /** Runs on an executor: the parts of a partition's splits as one {@link ReadPartition}. */
  static final class SplitPartitions
      implements FlatMapFunction<Iterator<FileSplits.Split>, ReadPartition> {
    private static final long serialVersionUID = 1L;
    private final SummarizeSplits splits;

    SplitPartitions(SummarizeSplits splits) {
      this.splits = splits;
    }

    @Override
    public Iterator<ReadPartition> call(Iterator<FileSplits.Split> in) {
      List<FileSplits.Part> parts = new ArrayList<>();
      splits.call(in).forEachRemaining(parts::add);
      return List.of(new ReadPartition(new FirstPartition(new RunTotals(), List.of(), parts),
          new byte[0], 0)).iterator();
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
