package io.npystats.spark;

import io.npystats.gen.NormalSamples;
import io.npystats.npy.NpyWriter;
import io.npystats.task.FileSummary;
import io.npystats.task.HadoopConf;
import io.npystats.task.NoChecksumLocalFileSystem;
import io.npystats.task.ReadAhead;
import io.npystats.task.SummarizeFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The first tasks' one-off work, done ahead on a core that Spark's start-up leaves idle (see
 * {@link #startInBackground}).
 */
public final class TaskWarmUp {
  /** The Hadoop setting that turns the warm-up off ({@code false}). */
  public static final String SETTING = "npystats.stats.warm-up";

  /** Reads of the file of 100,000 samples, then of the small one. */
  static final int LARGE_READS = 60;
  static final int SMALL_READS = 2_000;
  /** Parquet files written after the first, each closed with its footer. */
  static final int PARQUET_FILES = 16;
  /**
   * How many times the job's messages go through Java's serialization and back. The first time
   * builds the classes' descriptions; the rest run Java's own writing and reading code enough
   * times for the quick compiler to take it, where once left it to the interpreter inside the
   * job, in the scheduler's serialization of the tasks, in theirs of their results, and in the
   * driver's reading of them. With fifty, one large file's two splits took 0.127 s where they
   * took 0.1385 s, 0.59 of one task's time where they took 0.64, for some 90 ms more of the
   * warm-up on the core Spark's start-up leaves idle (docs/performance.md, "The fixed cost of a
   * job").
   */
  static final int SERIALIZATION_ROUNDS = 50;
  /**
   * Reads of a small file in each task of the warm-up job ({@link #job}): enough for the code
   * thrown away since the first warm-up to be compiled again, at its second call to the compiler
   * after some hundreds of calls.
   */
  static final int JOB_READS = 1_500;

  private TaskWarmUp() {}

  /**
   * Starts, on a thread of its own, what the first tasks of a fresh JVM would otherwise do before
   * their first file at full speed: loading and compiling the per-file kernel, the {@code .npy}
   * reader and Parquet's writer, and the serialization of what the job sends to its tasks and back.
   * The command calls it before it starts Spark, whose start-up keeps one core busy for a second or
   * two and leaves the other mostly idle; there the warm-up costs little, and on two cores it took
   * some 0.1 s off the first job (docs/performance.md#the-first-job). It writes a file of 100,000
   * samples, one of 1,000 and a Parquet file to a temporary folder, summarises the first 60 times
   * and the second 2,000 times, writes the rows to the Parquet file and one row to each of
   * {@link #PARQUET_FILES} more (each removed once closed), reads the first once more in two
   * splits, sends the job's kinds of message through Java's serialization and back, {@link
   * #SERIALIZATION_ROUNDS} times ({@link #sentAndReceived}), and removes the rest; a failure only
   * ends it. A JVM with one core skips it, and so does {@code --conf
   * spark.hadoop.npystats.stats.warm-up=false}, read before Spark starts, from the system property
   * {@code spark-submit} sets for it.
   *
   * @return the warm-up's thread, or null where it is skipped
   */
  public static Thread startInBackground() {
    if (Runtime.getRuntime().availableProcessors() < 2
        || "false".equals(System.getProperty("spark.hadoop." + SETTING))) {
      return null;
    }
    Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
    Thread thread = new Thread(() -> warmUp(temporary), "npystats-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * The session's warm-up job for a stats command ({@link SparkSessions#warmUp} otherwise): where
   * the tasks run in this JVM (a local master), each of its tasks, one a task slot, reads a small
   * file {@link #JOB_READS} times through the stats job's own task ({@code ReadPartitions}), its
   * rows going to a Parquet file, all in a temporary folder removed at the end. The command runs
   * it where it ran the plain warm-up job, beside the job's preparation. A failure of any kind
   * only ends it, and the plain warm-up job runs instead.
   *
   * <p>It is the start-up's second warm-up, after the one {@link #startInBackground} began before
   * Spark. Spark's start-up loads classes after that one has ended (its web UI's socket channels,
   * a second kind of {@code java.nio.file.Path}, its task threads), and each new implementation
   * of an interface throws away the compiled code that took the interface's one implementation
   * for granted: the file's open, read and close among it. The job's first tasks then ran that code
   * in the interpreter and compiled it again beside themselves (under {@code -XX:+LogCompilation},
   * {@code SummarizeFile.read}, the header's and the data's reads, {@code FileChannel.open} and a
   * dozen more, 0.08 to 0.11 s into the job). Here the tasks' own code is compiled in the tasks'
   * own threads once Spark is up, with the job's code around it that the first warm-up does not
   * run (the slices' iteration, the run's totals); the job then compiles the file's open, read and
   * close no more.
   *
   * @return whether every read gave its file's figures; false where it ran the plain warm-up job
   */
  public static boolean job(SparkSession spark) {
    if (!spark.sparkContext().isLocal() || Runtime.getRuntime().availableProcessors() < 2
        || !spark.sparkContext().hadoopConfiguration().getBoolean(SETTING, true)) {
      SparkSessions.warmUp(spark);
      return false;
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slots = jsc.defaultParallelism();
    Path dir = null;
    Broadcast<HadoopConf> conf = null;
    try {
      dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")),
          "npystats-warm-up-job-");
      Path small = write(dir.resolve("warm-up.npy"), 1_000);
      Path staging = Files.createDirectory(dir.resolve("staging"));
      // The paths in the form a listing gives them, with their lengths, as the job's slices hold
      // them, so that the tasks open them as the job's open its files.
      String path = "file:" + small;
      long[] lengths = new long[JOB_READS];
      Arrays.fill(lengths, Files.size(small));
      List<StatsJob.TaskInput> inputs = new ArrayList<>();
      for (int i = 0; i < slots; i++) {
        inputs.add(new StatsJob.PathSlice(Collections.nCopies(JOB_READS, path), null, lengths));
      }
      Configuration tasks = new Configuration(spark.sparkContext().hadoopConfiguration());
      tasks.setBoolean(ReadAhead.DIRECT_IO, false);
      conf = StatsJob.broadcastSettings(jsc, tasks);
      StatsJob.ReadPartitions read = new StatsJob.ReadPartitions(
          new StatsJob.FirstReads(conf, Long.MAX_VALUE), new StatsJob.SummarizeSplits(conf), conf,
          staging.toUri().toString(), StatsJob.FileStatsFormat.of(spark));
      jsc.setJobDescription("warm up " + slots + " task slots, each reading a small file "
          + JOB_READS + " times");
      long ok = 0;
      for (StatsJob.ReadPartition partition
          : PartitionJobs.collect(jsc.parallelize(inputs, slots), read)) {
        ok += partition.first().totals().ok();
      }
      SparkSessions.resolveLocalFileSystem(jsc);
      return ok == (long) slots * JOB_READS;
    } catch (Exception e) { // SparkException too, which Scala throws undeclared
      // Only a warm-up: the plain one instead, and the job meets any failure itself.
      SparkSessions.warmUp(spark);
      return false;
    } finally {
      jsc.setJobDescription(null);
      if (conf != null) {
        conf.destroy();
      }
      if (dir != null) {
        deleteQuietly(dir);
      }
    }
  }

  /**
   * @param temporary where to make the warm-up's folder, removed at the end
   * @return whether it ran to its end, every read giving its file's figures
   */
  static boolean warmUp(Path temporary) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory(temporary, "npystats-warm-up-");
      // One file of 100,000 samples, the loops' length, and a small one read many times: the
      // quick compiler takes a method only after some hundreds of calls, and more while Spark's
      // start-up fills its queue. Sixty reads of the large file alone left the per-chunk and
      // per-file methods to be compiled inside the job's first tasks.
      Path large = write(dir.resolve("warm-up.npy"), 100_000);
      Path small = write(dir.resolve("warm-up-small.npy"), 1_000);
      // Not Hadoop's cached file system: one made with this bare configuration would be handed
      // to the job's tasks too.
      Configuration conf = new Configuration(false);
      conf.setBoolean("fs.file.impl.disable.cache", true);
      conf.set("fs.file.impl", NoChecksumLocalFileSystem.class.getName());
      StatsJob.FileStatsFormat format = StatsJob.FileStatsFormat.of("warm-up",
          System.getProperty(ParquetRecords.CODEC_SETTING));
      SummarizeFile task = new SummarizeFile(conf);
      FileSummary row = null;
      try (ParquetRecords<FileSummary> rows = format.create(conf,
          new org.apache.hadoop.fs.Path(dir.resolve("warm-up.parquet").toUri()))) {
        for (int i = 0; i < LARGE_READS + SMALL_READS; i++) {
          row = task.apply((i < LARGE_READS ? large : small).toString());
          if (!row.isOk()) {
            return false;
          }
          rows.write(row);
        }
      }
      // More files of a row each: a task's file ends with its footer, whose code (Parquet's
      // metadata and its Thrift encoding) a single file runs too few times to be compiled, and
      // the job's first tasks would then compile it, beside the tasks, as they end.
      for (int i = 0; i < PARQUET_FILES; i++) {
        Path file = dir.resolve("warm-up-" + i + ".parquet");
        try (ParquetRecords<FileSummary> rows = format.create(conf,
            new org.apache.hadoop.fs.Path(file.toUri()))) {
          rows.write(row);
        }
        Files.delete(file);
      }
      // The job's messages, made from the large file read in two splits.
      org.apache.hadoop.fs.Path largePath = new org.apache.hadoop.fs.Path(large.toUri());
      List<Object> messages = StatsJob.sampleMessages(task, large.toString(),
          largePath.getFileSystem(conf).getFileStatus(largePath), format);
      if (messages == null) {
        return false;
      }
      for (int round = 1; round < SERIALIZATION_ROUNDS; round++) {
        sentAndReceived(messages);
      }
      return sentAndReceived(messages).size() == messages.size();
    } catch (IOException | RuntimeException e) {
      return false; // only a warm-up: the job does the same work, and meets any failure itself
    } finally {
      if (dir != null) {
        deleteQuietly(dir);
      }
    }
  }

  /**
   * The objects, written with Java's serialization and read back, as Spark's serializer of tasks
   * and their results does. The first time Java meets a class it builds the class's description,
   * and for a record its constructor's method handles, code it generates and loads: 50 to 75 ms
   * for the kinds a stats job sends, done once a JVM. Done here, it no longer falls between the
   * job's submission and its tasks' start, or between their end and the driver's having their
   * results: one large file's two splits took a median 0.168 s where they took 0.20 s, 0.59 of
   * one task's time where they took 0.66; folders of many files did not move beyond the noise
   * (docs/performance.md, "The fixed cost of a job").
   */
  static List<Object> sentAndReceived(List<Object> messages) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ArrayList<>(messages));
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      @SuppressWarnings("unchecked")
      List<Object> received = (List<Object>) in.readObject();
      return received;
    } catch (ClassNotFoundException e) {
      throw new IOException(e);
    }
  }

  private static Path write(Path npy, int n) throws IOException {
    double[] values = new double[n];
    NormalSamples.forFile(0, 0).fill(values, n);
    try (OutputStream out = Files.newOutputStream(npy)) {
      NpyWriter writer = new NpyWriter(out, n, 64 * 1024);
      writer.write(values, n);
      writer.finish();
    }
    return npy;
  }

  /** Removes {@code dir} and what it holds, folders within it too. */
  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      // a temporary folder left behind
    }
  }
}
