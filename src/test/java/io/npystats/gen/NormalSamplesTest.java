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

  @Test
  void neighbouringFilesAreUncorrelated() {
    // Files i and i + 1 of one seed, and file i of seeds s and s + 1, must look independent:
    // their samples' correlation stays within six standard errors (1 / sqrt(n) each).
    int n = 100_000;
    for (long index = 0; index < 8; index++) {
      double[] file = sample(5, index, n);
      assertThat(Math.abs(correlation(file, sample(5, index + 1, n)))).isLessThan(6 / Math.sqrt(n));
      assertThat(Math.abs(correlation(file, sample(6, index, n)))).isLessThan(6 / Math.sqrt(n));
    }
  }

  private static double correlation(double[] a, double[] b) {
    double sumA = 0, sumB = 0;
    for (int i = 0; i < a.length; i++) {
      sumA += a[i];
      sumB += b[i];
    }
    double meanA = sumA / a.length, meanB = sumB / b.length;
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - meanA) * (b[i] - meanB);
      aa += (a[i] - meanA) * (a[i] - meanA);
      bb += (b[i] - meanB) * (b[i] - meanB);
    }
    return ab / Math.sqrt(aa * bb);
  }
}
