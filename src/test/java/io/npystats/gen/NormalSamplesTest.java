package io.npystats.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.stats.StreamingStats;
import org.junit.jupiter.api.Test;

class NormalSamplesTest {
  private static double[] sample(long seed, long index, int n) {
    double[] values = new double[n];
    NormalSamples.forFile(seed, index).fill(values, n);
    return values;
  }

  @Test
  void aFileDependsOnlyOnSeedAndIndex() {
    assertThat(sample(42, 7, 1000)).isEqualTo(sample(42, 7, 1000));
    assertThat(sample(42, 7, 1000)).isNotEqualTo(sample(42, 8, 1000));
    assertThat(sample(42, 7, 1000)).isNotEqualTo(sample(43, 7, 1000));
    assertThat(NormalSamples.mix(1, 0)).isNotEqualTo(NormalSamples.mix(0, 1));
  }

  @Test
  void samplesAreStandardNormal() {
    int n = 1_000_000;
    StreamingStats stats = new StreamingStats();
    stats.add(sample(1, 0, n), n);
    // Six standard errors: a correct generator fails this about once in 10^8 seeds.
    assertThat(Math.abs(stats.mean())).isLessThan(6 / Math.sqrt(n));
    assertThat(Math.abs(stats.std() - 1)).isLessThan(6 * Math.sqrt(0.5 / n));
    assertThat(stats.max()).isGreaterThan(4).isLessThan(7);
  }
}
