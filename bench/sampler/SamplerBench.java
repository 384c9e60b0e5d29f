import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Milliseconds to draw one file's standard-normal samples with a java.util.random algorithm, in
 * the loop that io.npystats.gen.NormalSamples.fill runs: one generator a file, seeded per file,
 * filling a chunk at a time. bench/sampler.sh runs it in fresh JVMs with and without the
 * options that inline the JDK's normal sampler.
 *
 *   java SamplerBench.java ALGORITHM [SAMPLES] [ROUNDS]
 */
public final class SamplerBench {
  private final RandomGenerator random;

  private SamplerBench(RandomGenerator random) {
    this.random = random;
  }

  private void fill(double[] out, int count) {
    for (int i = 0; i < count; i++) {
      out[i] = random.nextGaussian();
    }
  }

  public static void main(String[] args) {
    RandomGeneratorFactory<RandomGenerator> factory = RandomGeneratorFactory.of(args[0]);
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    double[] chunk = new double[16 * 1024];
    double sink = 0;
    double best = Double.MAX_VALUE;
    // The first round warms the JIT up and is not counted.
    for (int round = 0; round <= rounds; round++) {
      long start = System.nanoTime();
      int files = 0;
      while (System.nanoTime() - start < 1_000_000_000L) {
        SamplerBench file = new SamplerBench(factory.create(0x9E3779B97F4A7C15L * files));
        for (int done = 0; done < samples; done += chunk.length) {
          int n = Math.min(chunk.length, samples - done);
          file.fill(chunk, n);
          sink += chunk[n - 1];
        }
        files++;
      }
      double ms = (System.nanoTime() - start) / 1e6 / files;
      if (round > 0) {
        best = Math.min(best, ms);
      }
    }
    System.out.printf("%.3f%s%n", best, sink == sink ? "" : " (NaN drawn)");
  }
}
