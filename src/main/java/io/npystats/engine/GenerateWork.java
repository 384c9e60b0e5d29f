package io.npystats.engine;

import io.npystats.task.GenerateFile;
import io.npystats.task.GeneratedFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writing files {@code first .. first + count - 1} of a data set into {@code dir}, by
 * {@link GenerateFile}; a file's bytes depend only on (seed, index), so every engine writes the
 * same bytes.
 */
public final class GenerateWork implements Work<GeneratedFile> {
  private final String dir;
  private final long seed;
  private final long samples;
  private final long first;
  private final int count;

  /** Files {@code 0 .. files - 1}. */
  public GenerateWork(String dir, long seed, long samples, int files) {
    this(dir, seed, samples, 0, files);
  }

  public GenerateWork(String dir, long seed, long samples, long first, int count) {
    if (samples < 0 || first < 0 || count < 0) {
      throw new IllegalArgumentException("samples, first index and count must not be negative: "
          + samples + ", " + first + ", " + count);
    }
    this.dir = dir;
    this.seed = seed;
    this.samples = samples;
    this.first = first;
    this.count = count;
  }

  public String dir() {
    return dir;
  }

  public long seed() {
    return seed;
  }

  public long samples() {
    return samples;
  }

  public long first() {
    return first;
  }

  @Override
  public Phase phase() {
    return Phase.GENERATE;
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public String item(int i) {
    return Long.toString(index(i));
  }

  @Override
  public String file(int i) {
    return new Path(dir, GenerateFile.fileName(index(i))).toString();
  }

  /** The file index of item {@code i}. */
  public long index(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("item " + i + " of " + count);
    }
    return first + i;
  }

  @Override
  public FileTask<GeneratedFile> newTask(Configuration conf) {
    GenerateFile generate = new GenerateFile(conf, dir, seed, samples);
    return i -> generate.apply(index(i));
  }

  /** A file that could not be written fails the run instead, so every result is a success. */
  @Override
  public boolean ok(GeneratedFile result) {
    return true;
  }

  @Override
  public long bytes(GeneratedFile result) {
    return result.bytes();
  }

  @Override
  public GenerateWork slice(int from, int to) {
    if (from < 0 || to > count || from > to) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + count);
    }
    return new GenerateWork(dir, seed, samples, first + from, to - from);
  }
}
