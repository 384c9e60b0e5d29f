package io.npystats.gen;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Standard-normal samples for file {@code index} of a data set with seed {@code seed}.
 *
 * <p>Each file has its own generator, seeded from (seed, index) alone, so a file's values do not
 * depend on which executor, thread or partition makes it, nor on the files made before it.
 *
 * <p>Xoroshiro128PlusPlus of {@code java.util.random}: a period of 2^128 - 1, 128 bits of state
 * seeded through {@link #mix} and the generator's own seed scrambler, and output whose low bits
 * are as good as its high ones, which the JDK's ziggurat for {@code nextGaussian} relies on. A
 * hundred thousand streams of a hundred thousand values each are a vanishing fraction of the
 * period, so they do not overlap. Drawing was most of the CPU time of {@code generate}, and with
 * the sampler inlined (conf/jvm-options.conf) this generator draws faster than the JDK's other
 * algorithms, its default L64X128MixRandom included (bench/sampler.sh, docs/performance.md).
 */
public final class NormalSamples {
  public static final String ALGORITHM = "Xoroshiro128PlusPlus";

  private static final RandomGeneratorFactory<RandomGenerator> FACTORY =
      RandomGeneratorFactory.of(ALGORITHM);

  private final RandomGenerator random;

  private NormalSamples(RandomGenerator random) {
    this.random = random;
  }

  public static NormalSamples forFile(long seed, long index) {
    if (index < 0) {
      throw new IllegalArgumentException("file index must not be negative: " + index);
    }
    return new NormalSamples(FACTORY.create(mix(seed, index)));
  }

  /** Fills {@code out[0..count)} with the next samples of this file. */
  public void fill(double[] out, int count) {
    for (int i = 0; i < count; i++) {
      out[i] = random.nextGaussian();
    }
  }

  /** SplitMix64's finaliser over the pair, so (1, 0) and (0, 1) give unrelated seeds. */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
