package io.npystats.engine;

import io.npystats.task.Columns;
import io.npystats.task.GenerateFile;
import io.npystats.task.GeneratedFile;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The work a child process is sent: the folder, seed and sample count, and the file indices as
   * items, which must be consecutive.
   */
  static GenerateWork fromWire(List<String> parameters, List<String> items)
      throws ChildProtocol.ProtocolException {
    ChildProtocol.expectParameters(Phase.GENERATE, parameters, 3);
    long seed = ChildProtocol.parseLong(parameters.get(1), "seed");
    long samples = ChildProtocol.parseLong(parameters.get(2), "samples");
    long first = items.isEmpty() ? 0 : ChildProtocol.parseLong(items.get(0), "file index");
    for (int i = 0; i < items.size(); i++) {
      if (ChildProtocol.parseLong(items.get(i), "file index") != first + i) {
        throw new ChildProtocol.ProtocolException("file indices must be consecutive: item " + i
            + " is " + items.get(i) + ", expected " + (first + i));
      }
    }
    return new GenerateWork(parameters.get(0), seed, samples, first, items.size());
  }

  @Override
  public <T> T on(Cases<T> cases) {
    return cases.generate(this);
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
  public String itemOf(GeneratedFile result) {
    return Long.toString(result.index());
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

  @Override
  public Columns<GeneratedFile> resultColumns() {
    return GeneratedFile.COLUMNS;
  }

  @Override
  public List<String> parameters() {
    return List.of(dir, Long.toString(seed), Long.toString(samples));
  }

  /**
   * C2, which draws the samples twice as fast as C1, with the options conf/jvm-options.conf gives
   * generate-child (the sampler inlined); and where the parent JVM runs with compiler directives,
   * as submit.sh starts the generate driver, the generate driver's options with the parent's
   * directives file: C2 for the kernel and the sampler only, which shortens the child's start-up
   * and its CPU time (docs/performance.md).
   */
  @Override
  public List<String> childOptions(List<String> parentOptions) {
    List<String> options = new ArrayList<>();
    // The last such option is the one the parent JVM itself took.
    parentOptions.stream().filter(o -> o.startsWith(JvmOptions.DIRECTIVES_FILE)).reduce((a, b) -> b)
        .ifPresent(directives -> JvmOptions.bundled().forJvm("generate").forEach(option ->
            options.add(option.startsWith(JvmOptions.DIRECTIVES_FILE) ? directives : option)));
    // An option both lists give (huge pages) goes in once.
    JvmOptions.bundled().forJvm("generate-child").stream().filter(o -> !options.contains(o))
        .forEach(options::add);
    return options;
  }
}
