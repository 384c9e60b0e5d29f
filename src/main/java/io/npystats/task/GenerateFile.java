package io.npystats.task;

import io.npystats.gen.NormalSamples;
import io.npystats.npy.NpyWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The per-file generation task, shared by every engine: write {@code file_{i}.npy} holding
 * {@code samples} standard-normal float64 values that depend only on (seed, i).
 *
 * <p>Atomic and resumable: the bytes go to a hidden temporary name that is renamed into place
 * once complete, so the final name only ever holds a complete file. On an object store, where a
 * rename is a copy and an object appears only once its upload completes, each file is written
 * under its own name instead ({@link Stores#renamesAreAtomic}). A file already there with
 * the right length is read back against the bytes it should hold, generated again, and kept only
 * where they are the same; any other is rewritten. Each attempt uses its own temporary name, so
 * a retried or speculative task never writes into another's file. One instance per thread.
 */
public final class GenerateFile {
  /**
   * Hadoop setting: whether local files are written with direct I/O, past the page cache
   * (default false; set it with {@code --conf spark.hadoop.npystats.generate.direct-io=true} or
   * {@code generate --direct-io}). Worth it for data sets larger than memory, which would
   * otherwise evict everything else cached; a smaller set is best left cached for stats.
   */
  public static final String DIRECT_IO = "npystats.generate.direct-io";
  /**
   * Hadoop setting: how many direct writes of each task may be under way while it draws its next
   * files ({@code --conf spark.hadoop.npystats.generate.writes-behind=2}); 0 waits for each.
   */
  public static final String WRITES_BEHIND = "npystats.generate.writes-behind";
  /**
   * Four writes a task: on two cores, 10,000 files of 800 KB took 4.5 to 5.1 s to generate with
   * four, 5.4 to 5.7 s with one, and six or eight were no faster; four files of each of two tasks
   * in flight keep this disk at the bandwidth {@code fio} gets from it with four writers or more
   * (docs/performance.md, "Writing the files"). A buffer of 1 MiB a write.
   */
  public static final int DEFAULT_WRITES_BEHIND = 4;

  static final String TEMP_PREFIX = ".file_";
  static final String TEMP_SUFFIX = ".tmp";
  /** What {@link #fileName} gives, and nothing else: no sign, no leading zero, at most 18 digits. */
  private static final Pattern GENERATED_NAME = Pattern.compile("file_(0|[1-9][0-9]{0,17})\\.npy");
  private static final int CHUNK = 16 * 1024;
  /**
   * Whole pages (see {@link NpyWriter}), and no more than 64 KiB: Linux sizes the page-cache
   * folios it allocates by the write, and larger folios need larger free blocks. On a VM with
   * fragmented free memory those came from memory the host had taken back, which made larger
   * writes slower (docs/performance.md).
   */
  private static final int WRITE_BUFFER_BYTES = 64 * 1024;

  private final Configuration conf;
  private final Path dir;
  private final long seed;
  private final long samples;
  private final long fileLength;
  private final boolean overwrite;
  private final boolean writeBehind;
  private final double[] values = new double[CHUNK];
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
  private FileTarget target;
  private SameBytesChannel comparison;
  /**
   * Names this instance's temporaries: a retried or speculative task makes its own instance, so
   * two attempts at one file never share a temporary; one instance writes its files in turn.
   */
  private final String attempt = UUID.randomUUID().toString();

  public GenerateFile(Configuration conf, String dir, long seed, long samples) {
    this(conf, dir, seed, samples, false);
  }

  /** @param overwrite whether every file is written, even one that already holds its bytes */
  public GenerateFile(Configuration conf, String dir, long seed, long samples, boolean overwrite) {
    this(conf, dir, seed, samples, overwrite, false);
  }

  /**
   * @param writeBehind whether a file written with direct I/O ({@link #DIRECT_IO}) may still be
   *     being written when {@link #apply} returns, while the caller draws the next one; the
   *     caller must then call {@link #finish} after its last file, which waits for it and reports
   *     its failure. Buffered writes are done when {@link #apply} returns either way.
   */
  public GenerateFile(Configuration conf, String dir, long seed, long samples, boolean overwrite,
      boolean writeBehind) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples must not be negative: " + samples);
    }
    this.conf = conf;
    this.dir = new Path(dir);
    this.seed = seed;
    this.samples = samples;
    this.fileLength = NpyWriter.fileLength(samples);
    this.overwrite = overwrite;
    this.writeBehind = writeBehind;
  }

  /**
   * How many direct writes a task may have under way ({@link #WRITES_BEHIND}).
   *
   * @throws IllegalArgumentException if the setting is negative or not a number
   */
  public static int writesBehind(Configuration conf) {
    int writes;
    try {
      writes = conf.getInt(WRITES_BEHIND, DEFAULT_WRITES_BEHIND);
    } catch (NumberFormatException e) {
      writes = -1;
    }
    if (writes < 0) {
      throw new IllegalArgumentException("spark.hadoop." + WRITES_BEHIND
          + " must be a whole number of 0 or more, not " + conf.get(WRITES_BEHIND));
    }
    return writes;
  }

  public static String fileName(long index) {
    return "file_" + index + ".npy";
  }

  /** The length every generated file has: numpy's 128-byte header, then 8 bytes a sample. */
  public long fileLength() {
    return fileLength;
  }

  /** Writes file {@code index}, or keeps it where the same bytes are already there. */
  public GeneratedFile apply(long index) {
    long start = System.nanoTime();
    String name = fileName(index);
    try {
      if (target == null) {
        target = FileTarget.of(dir, conf, writeBehind);
      }
      long expected = fileLength();
      boolean otherBytes = false;
      if (!overwrite && target.length(name) == expected) {
        if (holdsItsBytes(name, index)) {
          return new GeneratedFile(index, target.pathOf(name), false, false, expected, Clocks.secondsSince(start));
        }
        otherBytes = true;
      }
      if (!target.renamesAreAtomic()) {
        writeInPlace(name, index);
        return new GeneratedFile(index, target.pathOf(name), true, otherBytes, expected, Clocks.secondsSince(start));
      }
      String temp = TEMP_PREFIX + index + ".npy." + attempt + TEMP_SUFFIX;
      boolean committed = false;
      WritableByteChannel out = target.create(temp);
      try {
        writeSamples(out, index);
        // Another attempt at the same file writes the same bytes, so whichever lands last is right.
        target.commit(out, temp, name);
        committed = true;
      } finally {
        if (!committed) {
          closeQuietly(out);
          target.delete(temp);
        }
      }
      return new GeneratedFile(index, target.pathOf(name), true, otherBytes, expected, Clocks.secondsSince(start));
    } catch (FileTarget.DeferredWriteFailure e) {
      // An earlier file's write, finished behind this one: the message names that file.
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not write " + new Path(dir, name) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits for the writes still under way, and lets go of the threads that write behind; a
   * failure there names its file, the first one failed where several did. Nothing to wait for
   * without writing behind.
   *
   * @throws UncheckedIOException if one of those writes failed
   */
  public void finish() {
    if (target == null) {
      return;
    }
    try {
      target.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static void closeQuietly(WritableByteChannel out) {
    try {
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // The write already failed, and that failure is the one reported.
    }
  }

  private void writeInPlace(String name, long index) throws IOException {
    FileTarget.InPlace out = target.createInPlace(name);
    boolean written = false;
    try {
      writeSamples(out, index);
      written = true;
    } finally {
      if (written) {
        out.close();
      } else {
        out.abandon();
      }
    }
  }

  private void writeSamples(WritableByteChannel out, long index) throws IOException {
    NpyWriter writer = new NpyWriter(out, samples, writeBuffer);
    NormalSamples random = NormalSamples.forFile(seed, index);
    for (long done = 0; done < samples; ) {
      int n = (int) Math.min(CHUNK, samples - done);
      random.fill(values, n);
      writer.write(values, n);
      done += n;
    }
    writer.finish();
  }

  /**
   * Whether file {@code name} holds what file {@code index} would be written with: the bytes are
   * generated again and compared as they come, so a file written with another seed, or damaged
   * in place, is never kept for having the right length. Unlike a recorded checksum this needs
   * nothing kept beside the files, so a killed run's folder is checked like any other; it costs
   * the drawing again: checking 2,000 files took a quarter to two thirds of the time that writing
   * them took just before (README, generate).
   */
  private boolean holdsItsBytes(String name, long index) throws IOException {
    if (comparison == null) {
      comparison = new SameBytesChannel(WRITE_BUFFER_BYTES);
    }
    try (ReadableByteChannel in = target.open(name)) {
      comparison.reset(in);
      writeSamples(comparison, index);
      return comparison.atEnd();
    } catch (SameBytesChannel.Differs e) {
      return false;
    }
  }

  /**
   * Deletes the temporaries that a killed run left in {@code dir}; call it before a run starts,
   * never while one is writing there.
   *
   * @return how many were removed
   */
  public static int removeTemporaries(String dir, Configuration conf) throws IOException {
    return removeFiles(dir, conf, name -> name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX));
  }

  /**
   * Deletes the generated files {@code file_{first}.npy} and up that {@code dir} holds: what a
   * larger data set left in a folder now overwritten with fewer files. Call it before a run.
   *
   * @return how many were removed
   */
  public static int removeFilesFrom(long first, String dir, Configuration conf) throws IOException {
    return removeFiles(dir, conf, name -> GENERATED_NAME.matcher(name).matches()
        && Long.parseLong(name, 5, name.length() - 4, 10) >= first);
  }

  private static int removeFiles(String dir, Configuration conf, Predicate<String> names)
      throws IOException {
    Path path = new Path(dir);
    FileSystem fs = Stores.of(path, conf);
    if (!fs.exists(path)) {
      return 0;
    }
    int removed = 0;
    for (FileStatus status : fs.listStatus(path)) {
      if (status.isFile() && names.test(status.getPath().getName())) {
        fs.delete(status.getPath(), false);
        removed++;
      }
    }
    return removed;
  }
}
