package io.npystats.gen;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Standard-normal samples for file {@code index} of a data set with seed {@code seed}.
 *
 * <p>Each file has its own generator, seeded from (seed, index) alone, so a file's values do not
 * depend on which executor, thread or partition makes it, nor on the files made before it.
 * L64X128MixRandom (an LXM generator of {@code java.util.random}) has a period of 2^128 per
 * stream and its seeding scrambles nearby seeds into unrelated streams.
 */
public final class NormalSamples {
  public static final String ALGORITHM = "L64X128MixRandom";

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
