package io.npystats.spark;

import io.npystats.npy.NpyWriter;
import io.npystats.task.Clocks;
import io.npystats.task.DirectIo;
import io.npystats.task.GenerateFile;
import io.npystats.task.GeneratedFile;
import io.npystats.task.HadoopConf;
import io.npystats.task.IndexRange;
import io.npystats.task.Stores;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Generates {@code file_0.npy .. file_{N-1}.npy} on the executors. The driver only cuts the index
 * range into partitions; each executor writes its own files straight to the target store, and
 * since a file's bytes depend only on (seed, index), any partitioning gives the same folder.
 *
 * <p>The folder's {@link GenerateManifest} records the parameters that made it: a run with other
 * ones is refused before anything is touched, unless it is told to overwrite. The manifest is
 * written before the first file and marked complete after the last, so a killed run leaves one
 * that the next run with the same parameters takes up; every file it keeps is checked byte for
 * byte (see {@link GenerateFile}).
 */
public final class GenerateJob {
  /**
   * What a generation did.
   *
   * @param written files written where there was none, or one of another length (every file,
   *     when overwriting)
   * @param rewritten files of the right length that held other bytes, written again
   * @param kept files that already held their bytes
   * @param bytesWritten the bytes of the written and rewritten files
   * @param surplusRemoved files {@code file_{N}.npy} and up removed when overwriting with fewer
   * @param directIo whether local files were to be written past the page cache
   */
  public record Result(long files, long written, long rewritten, long kept, long bytesWritten,
      int partitions, int temporariesRemoved, int surplusRemoved, boolean directIo, double seconds) {}


  /** The folder was generated with other parameters; nothing in it was touched. */
  public static final class OtherParametersException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient List<GenerateManifest.Difference> differences;

    OtherParametersException(String out, List<GenerateManifest.Difference> differences) {
      super(out + " was generated with " + describe(differences, ""));
      this.differences = differences;
    }

    /**
     * The differences, with {@code optionPrefix} before the names of those the command line sets:
     * "--seed 42, not 7 and --files 300, not 200".
     */
    public String describe(String optionPrefix) {
      return describe(differences, optionPrefix);
    }

    private static String describe(List<GenerateManifest.Difference> differences, String prefix) {
      List<String> parts = new ArrayList<>();
      for (GenerateManifest.Difference d : differences) {
        parts.add((d.isOption() ? prefix : "") + d.parameter() + " " + d.recorded() + ", not "
            + d.requested());
      }
      return String.join(" and ", parts);
    }
  }

  /** Counts of one partition, sent back instead of a row per file. */
  record PartitionCounts(long written, long rewritten, long kept, long bytesWritten)
      implements Serializable {}

  private GenerateJob() {}

  /**
   * Partitions for writing on {@code slots} task slots when none are asked for: four per slot, so
   * that a slot whose store is slow holds up a quarter of its share, not all of it.
   */
  public static int defaultPartitions(int slots) {
    return slots * 4;
  }

  public static Result run(SparkSession spark, String out, long files, long samples, long seed,
      int partitions) throws IOException {
    return run(spark, out, files, samples, seed, partitions, null, false);
  }

  /**
   * @param directIo whether local files are written past the page cache; null leaves it to the
   *     session's {@link GenerateFile#DIRECT_IO} setting, and where that is unset too, a local
   *     run writes past it where {@link DirectIo#byDefault} says so of the data set
   * @param overwrite whether every file is written again, whatever the folder held and whatever
   *     parameters made it
   * @throws OtherParametersException if the folder was generated with other parameters and
   *     {@code overwrite} is false
   */
  public static Result run(SparkSession spark, String out, long files, long samples, long seed,
      int partitions, Boolean directIo, boolean overwrite) throws IOException {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    GenerateFile.writesBehind(hadoop); // a bad setting refused before any file is touched
    if (directIo == null && hadoop.get(GenerateFile.DIRECT_IO) == null) {
      directIo = DirectIo.byDefault(spark.sparkContext().isLocal(),
          files * NpyWriter.fileLength(samples));
    }
    if (directIo != null) {
      hadoop = new Configuration(hadoop);
      hadoop.setBoolean(GenerateFile.DIRECT_IO, directIo);
    }
    Path dir = new Path(out);
    FileSystem fs = Stores.of(dir, hadoop);
    GenerateManifest requested = GenerateManifest.of(files, samples, seed, false);
    GenerateManifest found = overwrite ? null : GenerateManifest.read(fs, dir);
    if (found != null && !found.differences(requested).isEmpty()) {
      throw new OtherParametersException(out, found.differences(requested));
    }
    fs.mkdirs(dir);
    int removed = GenerateManifest.removeTemporaries(fs, dir);
    // Before the new manifest: a run killed in between leaves the old one, which refuses a plain
    // re-run, rather than a new one over files this run would not have left.
    int surplus = overwrite ? GenerateFile.removeFilesFrom(files, out, hadoop) : 0;
    if (found == null || !found.complete()) {
      requested.write(fs, dir);
    }
    removed += GenerateFile.removeTemporaries(out, hadoop);
    List<IndexRange> ranges = IndexRange.cut(0, files, partitions);
    int slices = ranges.size();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(hadoop));
    jsc.setJobDescription("generate " + files + " files of " + samples + " samples into " + out);
    List<PartitionCounts> counts = PartitionJobs.collect(jsc.parallelize(ranges, slices),
        new GenerateRanges(conf, out, seed, samples, overwrite));
    long written = 0;
    long rewritten = 0;
    long kept = 0;
    long bytes = 0;
    for (PartitionCounts c : counts) {
      written += c.written();
      rewritten += c.rewritten();
      kept += c.kept();
      bytes += c.bytesWritten();
    }
    if (found == null || !found.complete()) {
      requested.completed().write(fs, dir);
    }
    PausePoint.reach("generate-done");
    return new Result(files, written, rewritten, kept, bytes, slices, removed, surplus,
        hadoop.getBoolean(GenerateFile.DIRECT_IO, false), Clocks.secondsSince(start));
  }


  /** Whether folder {@code out} has no manifest, or one of a run with these parameters. */
  public static boolean madeWith(SparkSession spark, String out, long files, long samples,
      long seed) throws IOException {
    Path dir = new Path(out);
    GenerateManifest found = GenerateManifest.read(
        Stores.of(dir, spark.sparkContext().hadoopConfiguration()), dir);
    return found == null
        || found.differences(GenerateManifest.of(files, samples, seed, false)).isEmpty();
  }

  /**
   * Runs on an executor: generates every file of its ranges, lazily, one result a file. The
   * {@code compare} command collects these; {@link GenerateRanges} counts them.
   */
  static final class GenerateEach implements FlatMapFunction<Iterator<IndexRange>, GeneratedFile> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<HadoopConf> conf;
    private final String out;
    private final long seed;
    private final long samples;
    private final boolean overwrite;

    GenerateEach(Broadcast<HadoopConf> conf, String out, long seed, long samples) {
      this(conf, out, seed, samples, false);
    }

    GenerateEach(Broadcast<HadoopConf> conf, String out, long seed, long samples, boolean overwrite) {
      this.conf = conf;
      this.out = out;
      this.seed = seed;
      this.samples = samples;
      this.overwrite = overwrite;
    }

    @Override
    public Iterator<GeneratedFile> call(Iterator<IndexRange> ranges) {
      // Direct writes finish behind the drawing of the next file; the last one is waited for
      // before the task says it is done, and a failed task lets go of the writing thread.
      GenerateFile task = new GenerateFile(conf.value().get(), out, seed, samples, overwrite, true);
      TaskContext context = TaskContext.get();
      if (context != null) {
        context.addTaskCompletionListener((TaskCompletionListener) done -> finishQuietly(task));
      }
      return new Iterator<>() {
        private long next;
        private long end;
        private boolean finished;

        @Override
        public boolean hasNext() {
          while (next == end && ranges.hasNext()) {
            IndexRange range = ranges.next();
            next = range.start();
            end = range.end();
          }
          if (next < end) {
            return true;
          }
          if (!finished) {
            finished = true;
            task.finish();
          }
          return false;
        }

        @Override
        public GeneratedFile next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return task.apply(next++);
        }
      };
    }
  }

  private static void finishQuietly(GenerateFile task) {
    try {
      task.finish();
    } catch (RuntimeException e) {
      // The task failed already, or finish was called and reported this.
    }
  }

  /** Runs on an executor: generates every file of its ranges and sends back only the counts. */
  static final class GenerateRanges implements FlatMapFunction<Iterator<IndexRange>, PartitionCounts> {
    private static final long serialVersionUID = 1L;
    private final GenerateEach each;

    GenerateRanges(Broadcast<HadoopConf> conf, String out, long seed, long samples,
        boolean overwrite) {
      this.each = new GenerateEach(conf, out, seed, samples, overwrite);
    }

    @Override
    public Iterator<PartitionCounts> call(Iterator<IndexRange> ranges) {
      long written = 0;
      long rewritten = 0;
      long kept = 0;
      long bytes = 0;
      for (Iterator<GeneratedFile> files = each.call(ranges); files.hasNext(); ) {
        GeneratedFile file = files.next();
        // After a file is in place, so that a fault test stops the tasks part way through.
        PausePoint.reach("generate-tasks");
        if (!file.written()) {
          kept++;
          continue;
        }
        if (file.otherBytes()) {
          rewritten++;
        } else {
          written++;
        }
        bytes += file.bytes();
      }
      return List.of(new PartitionCounts(written, rewritten, kept, bytes)).iterator();
    }
  }
}
