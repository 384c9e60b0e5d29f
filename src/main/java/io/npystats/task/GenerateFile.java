package io.npystats.task;

import io.npystats.gen.NormalSamples;
import io.npystats.npy.NpyWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The per-file generation task, shared by every engine: write {@code file_{i}.npy} holding
 * {@code samples} standard-normal float64 values that depend only on (seed, i).
 *
 * <p>Atomic and resumable: the bytes go to a hidden temporary name that is renamed into place
 * once complete, so the final name only ever holds a complete file. A file already there with
 * the right length is kept; any other is rewritten. Each attempt uses its own temporary name, so
 * a retried or speculative task never writes into another's file. One instance per thread.
 */
public final class GenerateFile {
  static final String TEMP_PREFIX = ".file_";
  static final String TEMP_SUFFIX = ".tmp";
  private static final int CHUNK = 16 * 1024;

  private final Configuration conf;
  private final Path dir;
  private final long seed;
  private final long samples;
  private final double[] values = new double[CHUNK];

  public GenerateFile(Configuration conf, String dir, long seed, long samples) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples must not be negative: " + samples);
    }
    this.conf = conf;
    this.dir = new Path(dir);
    this.seed = seed;
    this.samples = samples;
  }

  public static String fileName(long index) {
    return "file_" + index + ".npy";
  }

  /** The length every generated file has: numpy's 128-byte header, then 8 bytes a sample. */
  public long fileLength() {
    return NpyWriter.fileLength(samples);
  }

  /** Writes file {@code index}, or keeps it where a complete one is already there. */
  public GeneratedFile apply(long index) {
    long start = System.nanoTime();
    Path target = new Path(dir, fileName(index));
    try {
      FileSystem fs = Stores.of(target, conf);
      long expected = fileLength();
      FileStatus existing = fs.exists(target) ? fs.getFileStatus(target) : null;
      if (existing != null && existing.isFile() && existing.getLen() == expected) {
        return new GeneratedFile(index, target.toString(), false, expected, seconds(start));
      }
      Path temp = new Path(dir, TEMP_PREFIX + index + ".npy." + UUID.randomUUID() + TEMP_SUFFIX);
      try {
        try (FSDataOutputStream out = fs.create(temp, true)) {
          NpyWriter writer = new NpyWriter(out, samples, 64 * 1024);
          NormalSamples random = NormalSamples.forFile(seed, index);
          for (long done = 0; done < samples; ) {
            int n = (int) Math.min(CHUNK, samples - done);
            random.fill(values, n);
            writer.write(values, n);
            done += n;
          }
          writer.finish();
        }
        moveIntoPlace(fs, temp, target, expected);
      } finally {
        fs.delete(temp, false);
      }
      return new GeneratedFile(index, target.toString(), true, expected, seconds(start));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Renames, replacing a partial file; stores whose rename will not replace are handled too. */
  private static void moveIntoPlace(FileSystem fs, Path temp, Path target, long expected)
      throws IOException {
    if (fs.rename(temp, target)) {
      return;
    }
    if (fs.exists(target)) {
      if (fs.getFileStatus(target).getLen() == expected) {
        return; // another attempt finished the same bytes first
      }
      fs.delete(target, false);
      if (fs.rename(temp, target)) {
        return;
      }
    }
    throw new IOException("could not rename " + temp + " to " + target);
  }

  /**
   * Deletes the temporaries that a killed run left in {@code dir}; call it before a run starts,
   * never while one is writing there.
   *
   * @return how many were removed
   */
  public static int removeTemporaries(String dir, Configuration conf) throws IOException {
    Path path = new Path(dir);
    FileSystem fs = Stores.of(path, conf);
    if (!fs.exists(path)) {
      return 0;
    }
    int removed = 0;
    for (FileStatus status : fs.listStatus(path)) {
      String name = status.getPath().getName();
      if (status.isFile() && name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) {
        fs.delete(status.getPath(), false);
        removed++;
      }
    }
    return removed;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
