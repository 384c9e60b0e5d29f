package io.npystats.spark;

import io.npystats.task.GenerateFile;
import io.npystats.task.GeneratedFile;
import io.npystats.task.HadoopConf;
import io.npystats.task.Stores;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Generates {@code file_0.npy .. file_{N-1}.npy} on the executors. The driver only cuts the index
 * range into partitions; each executor writes its own files straight to the target store, and
 * since a file's bytes depend only on (seed, index), any partitioning gives the same folder.
 */
public final class GenerateJob {
  /** What a generation did. */
  public record Result(long files, long written, long kept, long bytes, int partitions,
      int temporariesRemoved, double seconds) {}

  /** A half-open range of file indices, the unit of work shipped to an executor. */
  record IndexRange(long start, long end) implements Serializable {}

  /** Counts of one partition, sent back instead of a row per file. */
  record PartitionCounts(long written, long kept, long bytes) implements Serializable {}

  private GenerateJob() {}

  public static Result run(SparkSession spark, String out, long files, long samples, long seed,
      int partitions) throws IOException {
    return run(spark, out, files, samples, seed, partitions, null);
  }

  /**
   * @param directIo whether local files are written past the page cache; null leaves it to the
   *     session's {@link GenerateFile#DIRECT_IO} setting, which defaults to false
   */
  public static Result run(SparkSession spark, String out, long files, long samples, long seed,
      int partitions, Boolean directIo) throws IOException {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    if (directIo != null) {
      hadoop = new Configuration(hadoop);
      hadoop.setBoolean(GenerateFile.DIRECT_IO, directIo);
    }
    Path dir = new Path(out);
    Stores.of(dir, hadoop).mkdirs(dir);
    int removed = GenerateFile.removeTemporaries(out, hadoop);
    int slices = (int) Math.max(1, Math.min(files, partitions));
    List<IndexRange> ranges = new ArrayList<>(slices);
    for (int i = 0; i < slices; i++) {
      ranges.add(new IndexRange(files * i / slices, files * (i + 1) / slices));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(hadoop));
    jsc.setJobDescription("generate " + files + " files of " + samples + " samples into " + out);
    List<PartitionCounts> counts = jsc.parallelize(ranges, slices)
        .mapPartitions(new GenerateRanges(conf, out, seed, samples))
        .collect();
    long written = 0;
    long kept = 0;
    long bytes = 0;
    for (PartitionCounts c : counts) {
      written += c.written();
      kept += c.kept();
      bytes += c.bytes();
    }
    return new Result(files, written, kept, bytes, slices, removed,
        (System.nanoTime() - start) / 1e9);
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

    GenerateEach(Broadcast<HadoopConf> conf, String out, long seed, long samples) {
      this.conf = conf;
      this.out = out;
      this.seed = seed;
      this.samples = samples;
    }

    @Override
    public Iterator<GeneratedFile> call(Iterator<IndexRange> ranges) {
      GenerateFile task = new GenerateFile(conf.value().get(), out, seed, samples);
      return new Iterator<>() {
        private long next;
        private long end;

        @Override
        public boolean hasNext() {
          while (next == end && ranges.hasNext()) {
            IndexRange range = ranges.next();
            next = range.start();
            end = range.end();
          }
          return next < end;
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

  /** Runs on an executor: generates every file of its ranges and sends back only the counts. */
  static final class GenerateRanges implements FlatMapFunction<Iterator<IndexRange>, PartitionCounts> {
    private static final long serialVersionUID = 1L;
    private final GenerateEach each;

    GenerateRanges(Broadcast<HadoopConf> conf, String out, long seed, long samples) {
      this.each = new GenerateEach(conf, out, seed, samples);
    }

    @Override
    public Iterator<PartitionCounts> call(Iterator<IndexRange> ranges) {
      long written = 0;
      long kept = 0;
      long bytes = 0;
      for (Iterator<GeneratedFile> files = each.call(ranges); files.hasNext(); ) {
        GeneratedFile file = files.next();
        if (file.written()) {
          written++;
        } else {
          kept++;
        }
        bytes += file.bytes();
      }
      return List.of(new PartitionCounts(written, kept, bytes)).iterator();
    }
  }
}
