package io.npystats.spark;

import io.npystats.stats.StreamingStats;
import io.npystats.task.Clocks;
import io.npystats.task.DirectIo;
import io.npystats.task.Failures;
import io.npystats.task.FileSplits;
import io.npystats.task.FileSummary;
import io.npystats.task.HadoopConf;
import io.npystats.task.InputPaths;
import io.npystats.task.ListingAhead;
import io.npystats.task.ReadAhead;
import io.npystats.task.RunTotals;
import io.npystats.task.Stores;
import io.npystats.task.SummarizeFile;
import io.npystats.task.SummarizeFile.FirstRead;
import java.io.IOException;
import java.io.Serializable;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskContext$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
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
   * deserialized, its result serialized, its metrics, its table file), whatever it reads, and on
   * a busy core 10 to 25 ms from one task's end to the next one's first file. On two cores,
   * 100,000 files of 8 KB took 1.66 s in 200 tasks and 1.07 s in 16; then, 4 runs each
   * alternating, 1.13 to 1.23 s in 16 and 1.02 to 1.17 s in 8, and 10,000 files of 800 KB 1.61
   * to 1.79 s in 16, 1.52 to 1.69 s in 8 and 1.49 to 1.63 s in 4 (docs/performance.md, "Spark
   * overheads"). Four a core still balance files of unequal sizes, and keep what a failed task
   * reads again small.
   */
  static final int MAX_TASKS_PER_CORE = 4;
  /**
   * The smallest split by default: HDFS's block size, large enough that a split's task start is a
   * small part of its time.
   */
  public static final long DEFAULT_SPLIT_BYTES = 128L << 20;
  /** The largest split by default: what a retried task reads again stays small. */
  static final long MAX_DEFAULT_SPLIT_BYTES = 1L << 30;
  /**
   * The Hadoop setting for the split size
   * ({@code --conf spark.hadoop.npystats.stats.split-size=256m}); {@code stats --split-size} wins.
   */
  public static final String SPLIT_SIZE = "npystats.stats.split-size";
  /** The local property {@code setJobDescription} sets, which later jobs of the thread keep. */
  private static final String JOB_DESCRIPTION = "spark.job.description";

  /** What a statistics run did. */
  /**
   * @param jobSeconds listing the input, reading every file, merging the statistics and writing
   *     each file's row, which the tasks do as they go: the work a numpy loop or a C reader does,
   *     and its rows kept, so the figure to compare with them. A local folder listed during the
   *     session's start-up ({@link ListingAhead}), or a job prepared during its warm-up
   *     ({@link #prepareInBackground}), counts only for the wait, if any, that is left
   * @param writeSeconds committing the {@code file_stats} rows afterwards: the rows the driver
   *     made written, and the tasks' files moved into the run's partition
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
    long splitBytes = spark.sparkContext().hadoopConfiguration().getLongBytes(SPLIT_SIZE, 0);
    return run(spark, input, warehouse, runId, partitions, splitBytes, startupSeconds);
  }

  /**
   * The split size where none is given: the data set's share of each core, so that a large file
   * takes as many tasks as there are cores to read it and no more, within
   * [{@link #DEFAULT_SPLIT_BYTES}, {@link #MAX_DEFAULT_SPLIT_BYTES}]. Every task a split adds
   * costs Spark's hand-over from task to task: one file of 1.6 GB on 2 cores took 0.40 to 0.41 s
   * in 12 splits of 128 MiB, 0.35 to 0.38 s in 4, 0.32 to 0.37 s in 2, and 0.55 to 0.64 s in one
   * task (docs/performance.md, "The reference scale"). On a cluster of many cores the share is
   * small and the splits stay at HDFS's block size.
   */
  public static long defaultSplitBytes(long dataBytes, int slots) {
    long share = (dataBytes + Math.max(1, slots) - 1) / Math.max(1, slots);
    return Math.max(DEFAULT_SPLIT_BYTES, Math.min(MAX_DEFAULT_SPLIT_BYTES, share));
  }

  /**
   * @param splitBytes a file with more data than this is read in splits of this size, by as many
   *     tasks, and merged into its one row; 0 for {@link #defaultSplitBytes}
   */
  public static Result run(SparkSession spark, String input, String warehouse, String runId,
      int partitions, long splitBytes, double startupSeconds) throws IOException {
    return run(spark, ListingAhead.whenAsked(input), warehouse, runId, partitions, splitBytes,
        startupSeconds);
  }

  /**
   * @param input the input, listed here with the session's settings, or listed ahead during the
   *     session's start-up ({@link ListingAhead#start}), in which case the job waits only for what
   *     is left of that
   */
  public static Result run(SparkSession spark, ListingAhead input, String warehouse, String runId,
      int partitions, long splitBytes, double startupSeconds) throws IOException {
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    try (Prepared prepared = prepare(spark, input, partitions, splitBytes)) {
      return run(spark, prepared, warehouse, runId, startupSeconds, startedAt, start);
    }
  }

  /**
   * The job of a {@link #prepareInBackground} made while the session warmed up: its time counts
   * from here, with whatever wait for the preparation is left, and without the rest of it.
   */
  public static Result run(SparkSession spark, Preparing preparing, String warehouse,
      String runId, double startupSeconds) throws IOException {
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    return run(spark, preparing.get(), warehouse, runId, startupSeconds, startedAt, start);
  }

  /**
   * What a stats job settles on the driver before its tasks: the input listed, its files larger
   * than a split planned, the partitions counted, and the tasks' settings broadcast. Closing it
   * removes the broadcast.
   *
   * It holds the listing's files as its slices alone ({@link PathSlice}: a few strings and arrays
   * each), not as the listing's strings, one a path: those are left to the collector before the
   * job.
   * The driver's young collections during the job copy what is still live in the young
   * generation, and 100,000 paths listed during the start-up were 200,000 objects, copied in every
   * one of them (docs/performance.md, "Where the warm job's time goes").
   *
   * @param listed how many files the listing gave, duplicates dropped
   * @param duplicates how many duplicate paths the listing dropped
   * @param large the files larger than a split, planned ({@link Planned#large})
   * @param refused the files the plan refused ({@link Planned#refused})
   * @param splitBytes the split size in use: the one given, or the default for the data set
   * @param seconds how long the preparation took, a wait for the listing included
   */
  record Prepared(ListingAhead input, int listed, int duplicates, List<FileSplits> large,
      List<FileSummary> refused, long splitBytes, List<PathSlice> slices,
      Broadcast<HadoopConf> conf, FileStatsFormat format, double seconds)
      implements AutoCloseable {
    @Override
    public void close() {
      conf.destroy();
    }
  }

  /**
   * The driver's work before a stats job's tasks ({@link Prepared}), some milliseconds of it: the
   * tasks' settings copied, written out and broadcast, a large file's header read, the listing
   * waited for.
   */
  static Prepared prepare(SparkSession spark, ListingAhead input, int partitions,
      long splitBytes) throws IOException {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    PausePoint.reach("listing");
    InputPaths.Listing all = input.listing(hadoop);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    long dataBytes = estimatedBytes(all, hadoop);
    if (splitBytes <= 0) {
      splitBytes = defaultSplitBytes(dataBytes, jsc.defaultParallelism());
    }
    Planned planned = plan(all, splitBytes, hadoop);
    int files = planned.rest().files().size();
    int slices = partitions > 0 ? partitions : defaultPartitions(files, jsc.defaultParallelism());
    slices = Math.max(files == 0 ? 0 : 1, Math.min(slices, files));
    Configuration tasks = hadoop;
    if (hadoop.get(ReadAhead.DIRECT_IO) == null) {
      tasks = new Configuration(hadoop);
      tasks.setBoolean(ReadAhead.DIRECT_IO,
          DirectIo.byDefault(spark.sparkContext().isLocal(), dataBytes));
    }
    Broadcast<HadoopConf> conf = broadcastSettings(jsc, tasks);
    // The tasks' slices too: cutting 100,000 paths into them took the driver some 30 ms that the
    // job waited for.
    return new Prepared(input, all.files().size(), all.duplicates(), planned.large(),
        planned.refused(), splitBytes, files > 0 ? slice(planned.rest(), slices) : List.of(), conf,
        FileStatsFormat.of(spark), Clocks.secondsSince(start));
  }

  /**
   * The tasks' Hadoop settings, broadcast. Their {@code Configuration} is made here, off the job's
   * path: in local mode the tasks get this very instance, and the first of them made it from the
   * properties, a thousand of them, while the other waited.
   */
  static Broadcast<HadoopConf> broadcastSettings(JavaSparkContext jsc, Configuration tasks) {
    HadoopConf shipped = new HadoopConf(tasks);
    shipped.get();
    return jsc.broadcast(shipped);
  }

  /**
   * {@link #prepare} on a thread of its own, started now: a command starts it before its
   * session's warm-up job ({@link SparkSessions#warmUp}), whose tasks leave the cores all but
   * idle while the driver waits for them, and the job then starts with its preparation done.
   */
  public static Preparing prepareInBackground(SparkSession spark, ListingAhead input,
      int partitions, long splitBytes) {
    FutureTask<Prepared> task =
        new FutureTask<>(() -> prepare(spark, input, partitions, splitBytes));
    Thread thread = new Thread(task, "npystats-prepare");
    thread.setDaemon(true);
    thread.start();
    return new Preparing(task);
  }

  /** A {@link #prepare} under way; closing it waits for it, and closes what it made. */
  public static final class Preparing implements AutoCloseable {
    private final FutureTask<Prepared> task;

    private Preparing(FutureTask<Prepared> task) {
      this.task = task;
    }

    /** How long the preparation took, waited for; throws what it threw. */
    public double seconds() throws IOException {
      return get().seconds();
    }

    /** Waits for the preparation; throws what it threw. */
    Prepared get() throws IOException {
      try {
        return task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while preparing the job", e);
      } catch (ExecutionException e) {
        throw Failures.rethrown(e.getCause());
      }
    }

    @Override
    public void close() {
      try {
        get().close();
      } catch (IOException | RuntimeException e) {
        // it made nothing to close; the job, if it ran, has thrown it already
      }
    }
  }

  private static Result run(SparkSession spark, Prepared prepared, String warehouse,
      String runId, double startupSeconds, long startedAt, long start) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ListingAhead input = prepared.input();
    long splitBytes = prepared.splitBytes();
    Broadcast<HadoopConf> conf = prepared.conf();
    FileStatsFormat format = prepared.format();

    List<FileSplits.Split> splits = new ArrayList<>();
    prepared.large().forEach(f -> splits.addAll(f.splits()));
    // The writer's lock from before the job: the tasks write into a staging folder of the table,
    // which another writer's clearing of leftovers would otherwise take for a killed run's.
    try (Warehouse tables = Warehouse.forWriting(warehouse, hadoop)) {
      Path staging = tables.stage(Tables.FILE_STATS, runId);
      jsc.setJobDescription("stats of " + prepared.listed() + " files in " + input.input()
          + (splits.isEmpty() ? "" : ", " + splits.size() + " splits of "
          + prepared.large().size() + " large files among them"));
      // One task a split and one a slice of the other files. The splits come first: the longest
      // tasks start first, and the small files fill the cores as they free up, so the job ends
      // with the last split rather than a split after the rest.
      List<TaskInput> inputs = new ArrayList<>(splits.size() + prepared.slices().size());
      splits.forEach(split -> inputs.add(new SplitInput(split)));
      inputs.addAll(prepared.slices());
      ReadPartitions read = new ReadPartitions(new FirstReads(conf, splitBytes),
          new SummarizeSplits(conf), conf, staging.toString(), format);
      // Reads every file once; each task writes its files' rows to a file of the table's staging.
      Summaries summaries;
      try {
        summaries = summarize(jsc, inputs, read, prepared.large(), prepared.refused(), conf);
      } catch (Throwable e) { // SparkException too, a checked one that Scala throws undeclared
        try {
          tables.discard(staging);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup); // the next writer clears it
        }
        throw e;
      }
      RunTotals totals = summaries.totals();
      double jobSeconds = Clocks.secondsSince(start);
      long writeStart = System.nanoTime();
      // The runs row commits the run, so it goes first from a re-run and last from every run.
      tables.uncommit(runId);
      PausePoint.reach("file_stats-write");
      List<Path> staged = new ArrayList<>(summaries.files());
      try {
        if (!summaries.rows().isEmpty()) {
          // The rows the driver made: files refused by the plan and those read in splits.
          Path driverRows = new Path(staging, format.fileName(summaries.files().size(), "driver"));
          try (ParquetRecords<FileSummary> out = format.create(hadoop, driverRows)) {
            for (FileSummary row : summaries.rows()) {
              out.write(row);
            }
          }
          staged.add(driverRows);
        }
        PausePoint.reach("file_stats-commit");
        tables.replacePartition(Tables.FILE_STATS, runId, staging, staged);
      } catch (IOException | RuntimeException e) {
        throw new WarehouseWriteException(staging.getParent().toString(), e);
      }
      double writeSeconds = Clocks.secondsSince(writeStart);
      Result result = new Result(runId, totals, inputs.size(), startupSeconds,
          jobSeconds, writeSeconds, warehouse, prepared.duplicates(), summaries.largeFiles(),
          summaries.splits());
      PausePoint.reach("runs-write");
      writeRunRow(spark, tables, format, result, input.input(), startedAt, hadoop);
      PausePoint.reach("done");
      return result;
    }
  }

  /**
   * How the tasks and the driver write {@code file_stats} files: as Spark would, with the
   * session's compression, and without Parquet's dictionaries, since a file's path and figures
   * are its own and each page built a dictionary only to fall back to plain values (on two
   * cores, 100,000 rows took 0.96 to 1.04 s of CPU to write without, 1.23 to 1.57 s with, and the
   * files grew by 2.5%).
   */
  record FileStatsFormat(String sparkVersion, String codec, String sparkSchema)
      implements Serializable {
    /** The session's: its Spark version and compression. */
    static FileStatsFormat of(SparkSession spark) {
      return of(spark.version(),
          spark.sparkContext().getConf().get(ParquetRecords.CODEC_SETTING, null));
    }

    /** @param codec Spark's name of the compression, or null for Spark's default */
    static FileStatsFormat of(String sparkVersion, String codec) {
      return new FileStatsFormat(sparkVersion,
          codec == null ? ParquetRecords.SPARK_DEFAULT_CODEC : codec,
          ParquetRecords.storedSchema(Tables.FILE_STATS_SCHEMA));
    }

    ParquetRecords<FileSummary> create(Configuration conf, Path file) throws IOException {
      return new ParquetRecords<>(conf, file, FileSummary.COLUMNS, sparkSchema, sparkVersion,
          codec, false);
    }

    /** A file's name, as Spark's are named: its part, who wrote it, its compression. */
    String fileName(int part, String writer) {
      String compression = ParquetRecords.codec(codec).getExtension();
      return String.format("part-%05d-%s%s.parquet", part, writer, compression);
    }
  }

  /** What one task of the job reads: a slice of the listing's files, or a split of a large file. */
  sealed interface TaskInput extends Serializable permits PathSlice, SplitInput {}

  /** One split of a file the driver planned: a task's whole input. */
  record SplitInput(FileSplits.Split split) implements TaskInput {}

  /**
   * The files of one partition, with the statuses or lengths the listing gave beside them. A
   * task's payload: its paths travel as one text and where each ends, which Java's serialization
   * writes in one go, where a list of strings costs a record of each, written on the driver and
   * read in the task.
   * The start they share, their folder, is in it once.
   */
  static final class PathSlice implements TaskInput {
    private static final long serialVersionUID = 2L;
    private final String prefix;
    private final String text;
    private final int[] ends;
    private final FileStatus[] statuses;
    private final long[] lengths;
    private transient List<String> paths;

    /** @param statuses null where the listing gave none */
    PathSlice(List<String> paths, FileStatus[] statuses) {
      this(paths, statuses, null);
    }

    /**
     * @param statuses null where the listing gave none
     * @param lengths {@link InputPaths.Listing#lengths} of the paths, or null
     */
    PathSlice(List<String> paths, FileStatus[] statuses, long[] lengths) {
      String first = paths.isEmpty() ? "" : paths.get(0);
      int shared = first.length();
      for (String path : paths) {
        shared = Math.min(shared, path.length());
        if (path.regionMatches(0, first, 0, shared)) {
          continue; // one comparison of the bytes: most paths share the whole prefix so far
        }
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
      this.lengths = lengths;
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

    /** {@link InputPaths.Listing#lengths} of the paths, or null */
    long[] lengths() {
      return lengths;
    }

    /** The listing's length of the file at {@code index}, or {@link InputPaths#NO_LENGTH}. */
    long length(int index) {
      return lengths == null ? InputPaths.NO_LENGTH : lengths[index];
    }
  }

  /**
   * The bytes of the listing's files: the listing's lengths where it has them, and where it has
   * none (a local folder's), its first file's length for every file; 0 where that cannot be told.
   * Enough to weigh the data set against memory ({@link DirectIo}) for one call more.
   */
  static long estimatedBytes(InputPaths.Listing listing, Configuration hadoop) {
    if (listing.lengths() != null) {
      long bytes = 0;
      for (long length : listing.lengths()) {
        bytes += Math.max(0, length);
      }
      return bytes;
    }
    FileStatus[] statuses = listing.statuses();
    if (statuses != null) {
      long bytes = 0;
      for (FileStatus status : statuses) {
        bytes += status == null ? 0 : status.getLen();
      }
      return bytes;
    }
    List<String> files = listing.files();
    if (files.isEmpty()) {
      return 0;
    }
    try {
      Path first = new Path(files.get(0));
      return files.size() * Stores.of(first, hadoop).getFileStatus(first).getLen();
    } catch (IOException | RuntimeException e) {
      return 0; // the task that reads it says what is wrong with it
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
          listing.statuses() == null ? null : Arrays.copyOfRange(listing.statuses(), from, to),
          listing.lengths() == null ? null : Arrays.copyOfRange(listing.lengths(), from, to)));
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
   * took two. A local folder's file is known large by its listed length alike. A file without a
   * status or a length in the listing (one of a list of paths) is planned by its first read, and
   * read in splits in a job after.
   */
  static Planned plan(InputPaths.Listing listing, long splitBytes, Configuration hadoop) {
    FileStatus[] statuses = listing.statuses();
    long[] lengths = listing.lengths();
    List<FileSplits> large = new ArrayList<>();
    List<FileSummary> refused = new ArrayList<>();
    if (statuses == null && lengths == null) {
      return new Planned(large, refused, listing);
    }
    List<String> files = listing.files();
    List<String> rest = new ArrayList<>(files.size());
    List<FileStatus> restStatuses = new ArrayList<>(files.size());
    long[] restLengths = lengths == null ? null : new long[files.size()];
    SummarizeFile task = null;
    for (int i = 0; i < files.size(); i++) {
      FileStatus status = statuses == null ? null : statuses[i];
      long length = lengths == null ? InputPaths.NO_LENGTH : lengths[i];
      FirstRead read = null;
      if (Math.max(length, status == null ? -1 : status.getLen()) > splitBytes) {
        task = task == null ? new SummarizeFile(hadoop) : task;
        read = task.plan(files.get(i), status, length, splitBytes);
      }
      if (read == null) {
        if (restLengths != null) {
          restLengths[rest.size()] = length;
        }
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
        statuses == null ? null : restStatuses.toArray(new FileStatus[0]), listing.duplicates(),
        restLengths == null ? null : Arrays.copyOf(restLengths, rest.size())));
  }

  static int defaultPartitions(int files, int parallelism) {
    int byFiles = (files + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION;
    return Math.max(parallelism * 2, Math.min(byFiles, parallelism * MAX_TASKS_PER_CORE));
  }

  /**
   * Writes the run's {@code runs} row, which commits it: staged first, and moved into the table's
   * partition of the run only once written whole.
   */
  private static void writeRunRow(SparkSession spark, Warehouse tables, FileStatsFormat format,
      Result r, String input, long startedAt, Configuration hadoop) throws IOException {
    StreamingStats s = r.totals().stats();
    RunRow row = new RunRow("stats", input, spark.sparkContext().master(),
        spark.sparkContext().applicationId(), spark.version(), new Timestamp(startedAt),
        r.totals().files(), r.totals().ok(), r.totals().failed(), s.count(), r.totals().bytes(),
        r.startupSeconds(), r.jobSeconds(), r.writeSeconds(), r.filesPerSecond(),
        r.megabytesPerSecond(), s.mean(), s.std(), s.min(), s.max());
    try {
      Path staging = tables.stage(Tables.RUNS, r.runId());
      Path file = new Path(staging, format.fileName(0, "driver"));
      try (ParquetRecords<RunRow> out = new ParquetRecords<>(hadoop, file, RunRow.COLUMNS,
          ParquetRecords.storedSchema(Tables.RUNS_SCHEMA), format.sparkVersion(), format.codec(),
          true)) {
        out.write(row);
      }
      PausePoint.reach("runs-commit");
      tables.replacePartition(Tables.RUNS, r.runId(), staging, List.of(file));
    } catch (IOException | RuntimeException e) {
      throw new WarehouseWriteException(Tables.path(r.warehouse(), Tables.RUNS), e);
    }
  }

  /**
   * Every file's summary, and their totals.
   *
   * @param files the files of rows the tasks wrote, one a task that read files whole
   * @param rows the rows the driver made: files refused by the plan, then those read in splits
   * @param largeFiles how many files were read in splits
   * @param splits how many splits they were read in
   */
  record Summaries(List<Path> files, List<FileSummary> rows, RunTotals totals, int largeFiles,
      int splits) {}

  /**
   * Totals the first reads and collects the files larger than a split, in one job that reads every
   * file and the splits of those planned ({@code plannedLarge}); then, where the first reads found
   * more such files, reads their splits in a second job, one task each, and merges each file's
   * splits into its one row. Partials merge in partition order, then the rows refused by the
   * plan, and the large files after them, the planned ones then the others, each in the order they
   * were listed, so the overall figures are the same to the last bit on every run.
   *
   * @param plannedLarge {@link Planned#large}
   * @param refused {@link Planned#refused}
   */
  static Summaries summarize(JavaSparkContext jsc, List<TaskInput> inputs, ReadPartitions read,
      List<FileSplits> plannedLarge, List<FileSummary> refused, Broadcast<HadoopConf> conf) {
    RunTotals totals = new RunTotals();
    List<FileSplits> found = new ArrayList<>();
    List<FileSplits.Part> parts = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<ReadPartition> reads = inputs.isEmpty() ? List.of()
        : PartitionJobs.collect(jsc.parallelize(inputs, inputs.size()), read);
    for (ReadPartition partition : reads) {
      FirstPartition partial = partition.first();
      totals.merge(partial.totals());
      found.addAll(partial.large());
      parts.addAll(partial.parts());
      if (partition.file() != null) {
        files.add(new Path(partition.file()));
      }
    }
    refused.forEach(totals::add);
    List<FileSplits> large = new ArrayList<>(plannedLarge);
    large.addAll(found);
    if (large.isEmpty()) {
      return new Summaries(files, refused, totals, 0, 0);
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
    List<FileSummary> rows = new ArrayList<>(refused);
    List<FileSummary> merged = mergeSplits(large, parts);
    merged.forEach(totals::add);
    rows.addAll(merged);
    int splitCount = 0;
    for (FileSplits file : large) {
      splitCount += file.count();
    }
    return new Summaries(files, rows, totals, large.size(), splitCount);
  }

  private static List<FileSplits.Part> readSplits(JavaSparkContext jsc,
      List<FileSplits.Split> splits, Broadcast<HadoopConf> conf) {
    return PartitionJobs.collect(jsc.parallelize(splits, splits.size()),
        new SummarizeSplits(conf));
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
              ahead = new ReadAhead(hadoop, slice.paths(), slice.statuses(), slice.lengths(),
                  filesAhead, splitBytes, () -> TaskContext$.MODULE$.setTaskContext(context));
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
          return task.first(slice.paths().get(i), listed, slice.length(i), splitBytes,
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

  /**
   * One of each kind of object a stats job sends between its driver and its tasks, made from a
   * real file read as a large one in two splits: a split and a slice of paths (the tasks' inputs),
   * the tasks' function, and a partition's result holding the file's splits and their parts.
   * {@link TaskWarmUp} sends them through Java's serialization before the job.
   *
   * @param status the file's, whose data is more than half its length (a file of a hundred
   *     float64 values is enough)
   * @return null where the file is not read in splits (its data fits in one, or its header is
   *     refused) or a split could not be read
   */
  static List<Object> sampleMessages(SummarizeFile task, String path, FileStatus status,
      FileStatsFormat format) {
    long splitBytes = Math.max(1, status.getLen() / 2);
    FirstRead planned = task.plan(path, status, splitBytes);
    FileSplits splits = planned == null ? null : planned.splits();
    if (splits == null) {
      return null;
    }
    List<FileSplits.Part> parts = new ArrayList<>();
    for (FileSplits.Split split : splits.splits()) {
      parts.add(task.apply(split));
    }
    FileSummary merged = splits.merge(parts);
    if (!merged.isOk()) {
      return null;
    }
    RunTotals totals = new RunTotals().add(merged);
    return List.of(new SplitInput(splits.splits().get(0)),
        new PathSlice(List.of(path), new FileStatus[] {status}),
        new ReadPartitions(new FirstReads(null, splitBytes), new SummarizeSplits(null), null,
            path, format),
        new ReadPartition(new FirstPartition(totals, List.of(splits), parts), path));
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
   * What a partition's first reads gave: its totals and large files, and the file its task wrote
   * the rows of the files it read whole into, in order.
   *
   * @param file null where the task read no file whole
   */
  record ReadPartition(FirstPartition first, String file) implements Serializable {}

  /**
   * Runs on an executor: a partition's first reads as one {@link ReadPartition}, its files'
   * totals merged in order and their rows written, as they come, to a file of the table's
   * staging folder. The file is named after the task's attempt, so that an attempt tried again,
   * or run twice, writes a file of its own: the driver moves in only those of the attempts whose
   * results it took.
   */
  static final class ReadPartitions implements FlatMapFunction<Iterator<TaskInput>, ReadPartition> {
    private static final long serialVersionUID = 3L;
    private final FirstReads firstReads;
    private final SummarizeSplits splits;
    private final Broadcast<HadoopConf> conf;
    private final String staging;
    private final FileStatsFormat format;

    ReadPartitions(FirstReads firstReads, SummarizeSplits splits, Broadcast<HadoopConf> conf,
        String staging, FileStatsFormat format) {
      this.firstReads = firstReads;
      this.splits = splits;
      this.conf = conf;
      this.staging = staging;
      this.format = format;
    }

    @Override
    public Iterator<ReadPartition> call(Iterator<TaskInput> inputs) throws IOException {
      List<PathSlice> slices = new ArrayList<>();
      List<FileSplits.Split> planned = new ArrayList<>();
      inputs.forEachRemaining(input -> {
        if (input instanceof SplitInput split) {
          planned.add(split.split());
        } else {
          slices.add((PathSlice) input);
        }
      });
      List<FileSplits.Part> parts = new ArrayList<>();
      splits.call(planned.iterator()).forEachRemaining(parts::add);
      if (slices.isEmpty()) {
        return List.of(new ReadPartition(new FirstPartition(new RunTotals(), List.of(), parts),
            null)).iterator();
      }
      RunTotals totals = new RunTotals();
      List<FileSplits> large = new ArrayList<>();
      TaskContext context = TaskContext.get();
      Path file = new Path(staging, format.fileName(context.partitionId(),
          "a" + context.taskAttemptId()));
      ParquetRecords<FileSummary> out = null;
      try {
        for (Iterator<FirstRead> reads = firstReads.call(slices.iterator()); reads.hasNext(); ) {
          FirstRead read = reads.next();
          if (read.splits() != null) {
            large.add(read.splits());
          } else {
            totals.add(read.summary());
            if (out == null) {
              out = format.create(conf.value().get(), file);
            }
            out.write(read.summary());
          }
        }
        if (out != null) {
          out.close();
        }
      } catch (IOException e) {
        if (out != null) {
          try {
            out.close();
          } catch (IOException | RuntimeException again) {
            e.addSuppressed(again);
          }
        }
        // The table, not the task's staging file, is what a person could not write.
        throw new WarehouseWriteException(new Path(staging).getParent().toString(), e);
      }
      return List.of(new ReadPartition(new FirstPartition(totals, large, parts),
          out == null ? null : file.toString())).iterator();
    }
  }
}
