import io.npystats.npy.NpyHeader;
import io.npystats.npy.NpyReader;
import io.npystats.npy.NpyWriter;
import io.npystats.stats.StreamingStats;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * CPU milliseconds the statistics kernel takes for one file of standard-normal samples, in one of
 * two ways:
 *
 * <ul>
 *   <li>{@code kernel}: the kernel alone, handed chunks of 16,384 values as the .npy reader hands
 *       them on, from cache as in a real run (four files' chunks, 3 MB in all, taking turns);
 *   <li>{@code files DIR}: every .npy file in DIR read through the .npy reader into the kernel,
 *       as a stats task does without Hadoop, the files in the page cache.
 * </ul>
 *
 * <p>{@code split FILE} times the wall clock of one large file's data read in 1, 2 and 4 ranges of
 * whole items, each on a thread of its own, through the .npy reader into the kernel, the ranges'
 * statistics merged: what splitting a file buys the kernel without Spark's job around it. It
 * prints, for each count, the best of seven passes after one that warms the JIT up, the counts
 * taking turns.
 *
 * <p>{@code loop DIR FILES THREADS} times instead the wall clock of a plain loop over
 * {@code DIR/file_0.npy} to {@code file_<FILES-1>.npy}, each opened, read through the .npy reader
 * into the kernel and closed, the files dealt round-robin to THREADS threads as limit.c deals
 * them: the stats job's own work without Spark, Hadoop or the table. It prints the seconds of the
 * first pass, which a fresh JVM makes as a job does, and of the best of the next three.
 *
 * The time is the thread's CPU time, which a busy machine disturbs less than the wall clock: the
 * best of 5 rounds of about a second, after one that warms the JIT up. bench/kernel.sh runs it
 * in fresh JVMs on two builds of the kernel, taking turns.
 *
 *   java -cp CLASSES KernelBench kernel SAMPLES | files DIR | loop DIR FILES THREADS
 *                                | split FILE | write DIR FILES SAMPLES
 */
public final class KernelBench {
  private static final int CHUNK = 16 * 1024;
  private static final int ROUNDS = 5;

  public static void main(String[] args) throws IOException {
    switch (args[0]) {
      case "kernel" -> System.out.printf("%.4f%n", kernel(Integer.parseInt(args[1])));
      case "files" -> System.out.printf("%.4f%n", files(Path.of(args[1])));
      case "loop" -> loop(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "split" -> split(Path.of(args[1]));
      case "write" -> write(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException("kernel, files, loop, split or write, not " + args[0]);
    }
  }

  private interface File {
    StreamingStats summarise(int index) throws IOException;
  }

  private static double best(int files, File file) throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double sink = 0;
    double best = Double.MAX_VALUE;
    for (int round = 0; round <= ROUNDS; round++) {
      long start = System.nanoTime();
      long cpu = threads.getCurrentThreadCpuTime();
      int count = 0;
      while (System.nanoTime() - start < 1_000_000_000L || count % files != 0) {
        StreamingStats stats = file.summarise(count++ % files);
        sink += stats.mean() + stats.std();
      }
      double ms = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / count;
      if (round > 0) {
        best = Math.min(best, ms);
      }
    }
    if (sink != sink) {
      throw new IllegalStateException("a NaN among the samples");
    }
    return best;
  }

  private static double kernel(int samples) throws IOException {
    double[][][] files = new double[4][][];
    SplittableRandom random = new SplittableRandom(42);
    for (int f = 0; f < files.length; f++) {
      files[f] = new double[(samples + CHUNK - 1) / CHUNK][];
      for (int c = 0; c < files[f].length; c++) {
        files[f][c] = new double[Math.min(CHUNK, samples - c * CHUNK)];
        for (int i = 0; i < files[f][c].length; i++) {
          files[f][c][i] = random.nextGaussian();
        }
      }
    }
    return best(files.length, index -> {
      StreamingStats stats = new StreamingStats();
      for (double[] chunk : files[index]) {
        stats.add(chunk, chunk.length);
      }
      return stats;
    });
  }

  private static double files(Path dir) throws IOException {
    Path[] paths;
    try (var listing = Files.list(dir)) {
      paths = listing.filter(p -> p.toString().endsWith(".npy")).sorted().toArray(Path[]::new);
    }
    NpyReader reader = new NpyReader(NpyReader.DEFAULT_BUFFER_BYTES);
    return best(paths.length, index -> {
      try (FileChannel channel = FileChannel.open(paths[index], StandardOpenOption.READ)) {
        StreamingStats stats = new StreamingStats();
        reader.read(channel, channel.size(), stats::add);
        return stats;
      }
    });
  }

  private static void loop(Path dir, int files, int threads) throws IOException {
    double first = pass(dir, files, threads);
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      best = Math.min(best, pass(dir, files, threads));
    }
    System.out.printf("%.4f %.4f%n", first, best);
  }

  /** Seconds of one pass over the files, on {@code threads} threads. */
  private static double pass(Path dir, int files, int threads) throws IOException {
    long start = System.nanoTime();
    double[] sinks = new double[threads];
    onThreads(threads, first -> {
      NpyReader reader = new NpyReader(NpyReader.DEFAULT_BUFFER_BYTES);
      for (int i = first; i < files; i += threads) {
        Path file = dir.resolve("file_" + i + ".npy");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
          StreamingStats stats = new StreamingStats();
          reader.read(channel, channel.size(), stats::add);
          sinks[first] += stats.mean() + stats.std();
        }
      }
    });
    double sink = 0;
    for (double s : sinks) {
      sink += s;
    }
    if (sink != sink) {
      throw new IllegalStateException("a NaN among the samples");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** A thread's share of the work: the thread's index, from 0. */
  private interface Share {
    void run(int index) throws IOException;
  }

  /** Runs {@code share} on {@code count} threads of its own and waits for them all. */
  private static void onThreads(int count, Share share) throws IOException {
    Thread[] workers = new Thread[count];
    IOException[] failed = new IOException[1];
    for (int t = 0; t < count; t++) {
      int index = t;
      workers[t] = new Thread(() -> {
        try {
          share.run(index);
        } catch (IOException e) {
          synchronized (failed) {
            failed[0] = e;
          }
        }
      });
      workers[t].start();
    }
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  private static void split(Path file) throws IOException {
    NpyHeader header;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      header = new NpyReader().readHeaderAndStart(channel, channel.size());
    }
    int[] counts = {1, 2, 4};
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    StreamingStats whole = null;
    for (int round = 0; round <= 7; round++) {
      for (int c = 0; c < counts.length; c++) {
        long start = System.nanoTime();
        StreamingStats stats = ranges(file, header, counts[c]);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (whole == null) {
          whole = stats;
        } else if (stats.count() != whole.count()
            || Double.doubleToLongBits(stats.mean()) != Double.doubleToLongBits(whole.mean())) {
          throw new IllegalStateException(counts[c] + " ranges gave " + stats + ", one " + whole);
        }
        if (round > 0) {
          best[c] = Math.min(best[c], seconds);
        }
      }
    }
    System.out.printf("%.4f %.4f %.4f%n", best[0], best[1], best[2]);
  }

  /** The statistics of a file's data read in {@code parts} ranges, each on a thread of its own. */
  private static StreamingStats ranges(Path file, NpyHeader header, int parts)
      throws IOException {
    int item = header.dtype().itemSize();
    long items = header.dataLength() / item;
    long start = header.dataOffset();
    StreamingStats[] stats = new StreamingStats[parts];
    onThreads(parts, part -> {
      long from = items * part / parts;
      long to = items * (part + 1) / parts;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        channel.position(start + from * item);
        stats[part] = new StreamingStats();
        new NpyReader().readItems(channel, header.dtype(), (to - from) * item, stats[part]::add);
      }
    });
    for (int p = 1; p < parts; p++) {
      stats[0].merge(stats[p]);
    }
    return stats[0];
  }

  private static void write(Path dir, int files, int samples) throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    double[] values = new double[samples];
    for (int f = 0; f < files; f++) {
      for (int i = 0; i < samples; i++) {
        values[i] = random.nextGaussian();
      }
      try (OutputStream out = Files.newOutputStream(dir.resolve("file_" + f + ".npy"))) {
        NpyWriter writer = new NpyWriter(out, samples, 1 << 16);
        writer.write(values, samples);
        writer.finish();
      }
    }
  }
}
