package io.npystats.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

class LanesTest {
  private static final Lanes SCALAR = Lanes.choose("scalar");

  /** What a loop leaves: the lanes' state, and every index it returned, in order. */
  private record Pass(double[] state, List<Integer> returned) {}

  /** Runs {@code lanes} over the blocks of {@code values} from {@code from}, as the one pass does. */
  private static Pass pass(Lanes lanes, double[] values, int from, double offset, double centre,
      double reach) {
    int end = from + (values.length - from) / Lanes.WIDTH * Lanes.WIDTH;
    double[] state = new double[Lanes.STATE];
    Arrays.fill(state, Lanes.SUMS, Lanes.SUMS + Lanes.WIDTH, offset);
    List<Integer> returned = new ArrayList<>();
    int i = from;
    while (i < end) {
      int next = lanes.addBlocks(values, i, end, centre, reach, state);
      returned.add(next);
      i = next < 0 ? ~next : next;
    }
    return new Pass(state, returned);
  }

  /** The SIMD lanes of this CPU; skips where there are none (vectors under four doubles). */
  private static Lanes simd() {
    Lanes simd = SimdLanes.forThisCpu();
    assumeTrue(simd != null, "this CPU's vectors hold " + DoubleVector.SPECIES_PREFERRED.length()
        + " doubles: the kernel takes the scalar lanes here, and there is nothing to compare");
    return simd;
  }

  private static void assertSameBits(Pass simd, Pass scalar, String what) {
    for (int k = 0; k < Lanes.STATE; k++) {
      assertThat(Double.doubleToRawLongBits(simd.state()[k]))
          .as("%s: state[%d], %s against %s", what, k, simd.state()[k], scalar.state()[k])
          .isEqualTo(Double.doubleToRawLongBits(scalar.state()[k]));
    }
  }

  @Test
  void theTestJvmTakesTheSimdLanesWhereTheCpuHasThem() {
    Lanes simd = simd();
    // Surefire starts the tests with the vector module and C2, as Spark's launcher and
    // conf/jvm-options.conf start the JVMs that summarise.
    assertThat(Lanes.chosen().name()).isEqualTo("simd");
    assertThat(Lanes.chosen().getClass()).isEqualTo(simd.getClass());
    assertThat(Lanes.choose("simd").getClass()).isEqualTo(simd.getClass());
  }

  @Test
  void bothOfTheSimdShapesGiveTheScalarLanesBitsOnNormalSamplesAtEveryOffsetAndLength() {
    simd();
    SplittableRandom random = new SplittableRandom(11);
    List<Lanes> shapes = new ArrayList<>();
    shapes.add(new SimdLanes.TwoOfFour());
    if (DoubleVector.SPECIES_PREFERRED.length() >= 8) {
      shapes.add(new SimdLanes.Eight());
    }
    for (int length = 0; length < 300; length += 1 + length / 20) {
      double[] values = new double[length];
      double centre = random.nextGaussian() * 0.01;
      for (int i = 0; i < length; i++) {
        values[i] = 3 + 1e-3 * random.nextGaussian() * (i % 7 == 0 ? 1e6 : 1);
      }
      for (int from = 0; from < Math.min(length, 9); from++) {
        for (double reach : new double[] {0, 1e-12, 4, 1e6, Double.POSITIVE_INFINITY}) {
          Pass scalar = pass(SCALAR, values, from, 1024, centre, reach);
          for (Lanes shape : shapes) {
            Pass simd = pass(shape, values, from, 1024, centre, reach);
            String what = shape.getClass().getSimpleName() + ", " + length + " values from " + from
                + ", reach " + reach;
            assertSameBits(simd, scalar, what);
            // Neither misses a block whose square reaches: the scalar loop may stop at more.
            assertThat(scalar.returned()).as(what).containsAll(
                simd.returned().stream().filter(r -> r < 0).toList());
          }
        }
      }
    }
  }

  @Test
  void aBlockStopsTheSimdLanesWhereAnyOneSquareReachesAndNowhereElse() {
    Lanes simd = simd();
    double[] values = new double[64];
    values[21] = 5; // block 2
    values[60] = -5; // block 7
    Pass pass = pass(simd, values, 0, 1024, 0, 25);
    assertThat(pass.returned()).containsExactly(~24, ~64);
    assertThat(pass(simd, values, 0, 1024, 0, 25.000001).returned()).containsExactly(64);
  }

  @Test
  void nanInfinitiesAndSignedZerosGoThroughEachLaneAsTheScalarLoopTakesThem() {
    Lanes simd = simd();
    double[][] cases = {
        {Double.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {1, 2, Double.POSITIVE_INFINITY, 3, 4, 5, 6, 7, 8, Double.NEGATIVE_INFINITY, 1, 1, 1, 1, 1,
            1},
        {-0.0, 0.0, -0.0, -0.0, 0.0, 0.0, -0.0, 0.0, 1e300, -1e300, 1e300, 1e300, 1e-300, 5e-324,
            -5e-324, 0},
        {1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308,
            1e308, 1e308, 1e308, 1e308},
    };
    for (double[] values : cases) {
      for (double offset : new double[] {0, 1024, Math.scalb(1.0, 1000)}) {
        for (double reach : new double[] {0, 1, Double.NaN}) {
          String what = Arrays.toString(values) + ", offset " + offset + ", reach " + reach;
          Pass scalar = pass(SCALAR, values, 0, offset, 0.5, reach);
          Pass vector = pass(simd, values, 0, offset, 0.5, reach);
          assertSameBits(vector, scalar, what);
        }
      }
    }
  }

  @Test
  void streamingStatsOnTheSimdLanesIsBitForBitTheScalarLanesOnManyFiles() {
    simd();
    // The whole kernel: a file of normal samples and one of values near 1e9, in chunks of
    // several sizes, summarised with each loop; every statistic the same bits.
    SplittableRandom random = new SplittableRandom(3);
    for (int file = 0; file < 40; file++) {
      double[] values = new double[1 + random.nextInt(50_000)];
      double offset = file % 2 == 0 ? 0 : 1e9;
      for (int i = 0; i < values.length; i++) {
        values[i] = offset + random.nextGaussian();
      }
      int chunk = 1 + random.nextInt(20_000);
      double[] simd = summary(values, chunk, null);
      double[] scalar = summary(values, chunk, SCALAR);
      for (int k = 0; k < simd.length; k++) {
        assertThat(Double.doubleToRawLongBits(simd[k])).as("file %d, statistic %d", file, k)
            .isEqualTo(Double.doubleToRawLongBits(scalar[k]));
      }
    }
  }

  /** Mean, its low part, M2, min and max, with {@code lanes} (null: this JVM's choice). */
  private static double[] summary(double[] values, int chunk, Lanes lanes) {
    StreamingStats stats = lanes == null ? new StreamingStats() : StreamingStats.with(lanes);
    for (int at = 0; at < values.length; at += chunk) {
      double[] part = Arrays.copyOfRange(values, at, Math.min(values.length, at + chunk));
      stats.add(part, part.length);
    }
    return new double[] {stats.mean(), stats.meanLow(), stats.m2(), stats.min(), stats.max()};
  }

  @Test
  void anUnknownChoiceIsRefusedWithTheProperty() {
    assertThatThrownBy(() -> Lanes.choose("avx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-Dnpystats.kernel.lanes must be scalar or simd, not avx");
    assertThat(Lanes.choose("scalar").name()).isEqualTo("scalar");
  }
}
