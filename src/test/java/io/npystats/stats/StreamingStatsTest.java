package io.npystats.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamingStatsTest {
  /** The exact population mean and standard deviation, in decimal arithmetic. */
  private static double[] exact(double[] values) {
    MathContext mc = MathContext.DECIMAL128;
    BigDecimal sum = BigDecimal.ZERO;
    for (double v : values) {
      sum = sum.add(new BigDecimal(v));
    }
    BigDecimal n = BigDecimal.valueOf(values.length);
    BigDecimal mean = sum.divide(n, mc);
    BigDecimal squares = BigDecimal.ZERO;
    for (double v : values) {
      BigDecimal d = new BigDecimal(v).subtract(mean);
      squares = squares.add(d.multiply(d));
    }
    return new double[] {mean.doubleValue(), Math.sqrt(squares.divide(n, mc).doubleValue())};
  }

  private static double[] normal(int n, double offset, double scale, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = offset + scale * random.nextGaussian();
    }
    return values;
  }

  @Test
  void standardNormalSamplesAreVouchedForWithoutExactSums() {
    // What generate writes: a file read again for its sum would cost a second read. Of 20,000
    // such files one needed it (docs/performance.md); these 200 need none.
    SplittableRandom random = new SplittableRandom(5);
    double[] values = new double[100_000];
    for (int file = 0; file < 200; file++) {
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextGaussian();
      }
      StreamingStats stats = new StreamingStats();
      for (int at = 0; at < values.length; at += 16_384) {
        double[] chunk = Arrays.copyOfRange(values, at, Math.min(values.length, at + 16_384));
        stats.add(chunk, chunk.length);
      }
      assertThat(stats.sumVouchedFor()).as("file %d, mean %s", file, stats.mean()).isTrue();
    }
  }

  @Test
  void chunksWhoseSumsCancelAreNotVouchedForAndExactPartialsGetTheMean() {
    // Each chunk's sum is near 1e20 or -1e20; the whole sum is 3 x 1000 halves.
    double[] first = new double[1001];
    double[] second = new double[1001];
    Arrays.fill(first, 0.5);
    Arrays.fill(second, 0.5);
    first[1000] = 1e20;
    second[0] = -1e20;
    StreamingStats plain = new StreamingStats();
    StreamingStats exact = StreamingStats.exact();
    for (StreamingStats s : new StreamingStats[] {plain, exact}) {
      s.add(first, first.length);
      s.add(second, second.length);
      StreamingStats third = new StreamingStats();
      third.add(first, 1000); // a pair merged in, vouched for on its own
      s.merge(third);
    }
    double mean = 1500.0 / 3002; // the exact sum, 1000 + 500, over the count
    assertThat(exact.sumVouchedFor()).isTrue();
    assertThat(exact.hasExactSum()).isTrue();
    assertThat(Math.abs(exact.mean() - mean)).isLessThanOrEqualTo(2 * Math.ulp(mean));
    assertThat(plain.sumVouchedFor()).as("compensated mean %s", plain.mean()).isFalse();
    // Two exact partials merge exactly.
    StreamingStats left = StreamingStats.exact();
    StreamingStats right = StreamingStats.exact();
    left.add(first, first.length);
    right.add(second, second.length);
    left.merge(right);
    assertThat(left.mean()).isEqualTo(1000.0 / 2002);
    // An infinity leaves numpy's answer, as in the compensated path.
    StreamingStats infinite = StreamingStats.exact();
    infinite.add(new double[] {1, Double.POSITIVE_INFINITY, 2}, 3);
    assertThat(infinite.mean()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(infinite.std()).isNaN();
  }

  @Test
  void agreesWithExactArithmeticWhereSumOfSquaresFails() {
    double[] values = normal(100_000, 1e9, 1.0, 7);
    StreamingStats stats = new StreamingStats();
    stats.add(values, values.length);
    double[] exact = exact(values);

    // The textbook one-pass formula loses every digit here: E[x^2] and E[x]^2 agree to 1e-18.
    double sum = 0;
    double sumSquares = 0;
    for (double v : values) {
      sum += v;
      sumSquares += v * v;
    }
    double naiveVariance = sumSquares / values.length - (sum / values.length) * (sum / values.length);
    assertThat(Math.abs(Math.sqrt(Math.abs(naiveVariance)) - exact[1])).isGreaterThan(1e-3);

    assertThat(stats.mean()).isCloseTo(exact[0], within(1e-12 * 1e9));
    assertThat(stats.std()).isCloseTo(exact[1], within(1e-12));
  }

  /** Adds {@code values} in chunks of {@code chunk}, as the file reader hands them on. */
  private static StreamingStats inChunks(double[] values, int chunk) {
    StreamingStats stats = new StreamingStats();
    for (int from = 0; from < values.length; from += chunk) {
      double[] part = Arrays.copyOfRange(values, from, Math.min(values.length, from + chunk));
      stats.add(part, part.length);
    }
    return stats;
  }

  @Test
  void laterChunksInOnePassAgreeWithExactArithmetic() {
    double[] values = normal(100_000, 1e9, 1.0, 5);
    StreamingStats chunked = inChunks(values, 16_384);
    double[] exact = exact(values);

    assertThat(chunked.count()).isEqualTo(values.length);
    assertThat(chunked.mean()).isCloseTo(exact[0], within(1e-12 * 1e9));
    assertThat(chunked.std()).isCloseTo(exact[1], within(1e-12));
    assertThat(chunked.min()).isEqualTo(Arrays.stream(values).min().getAsDouble());
    assertThat(chunked.max()).isEqualTo(Arrays.stream(values).max().getAsDouble());
  }

  @Test
  void aChunkFarFromTheRunningMeanIsSummarisedInTwoPasses() {
    // After a first chunk of one value, the running mean is 0 and the next chunk lies 1e7 away
    // with a spread of 1. Its squares around 0 reach 1e19, and their rounding alone (some 1e5)
    // would be 1e-9 of the final M2: one pass keeps too few digits there, two passes keep all.
    double[] rest = normal(100_000, 1e7, 1, 3);
    StreamingStats stats = new StreamingStats();
    stats.add(new double[] {0.0}, 1);
    stats.add(rest, rest.length);

    double[] all = new double[rest.length + 1];
    System.arraycopy(rest, 0, all, 1, rest.length);
    double[] exact = exact(all);
    assertThat(stats.mean()).isCloseTo(exact[0], within(1e-12 * exact[0]));
    assertThat(stats.std()).isCloseTo(exact[1], within(1e-12 * exact[1]));
  }

  @Test
  void dataThatDriftInEveryChunkKeepTheirPrecision() {
    double[] sorted = normal(50_000, 2, 3, 9);
    Arrays.sort(sorted);
    StreamingStats ascending = inChunks(sorted, 1000);
    double[] exact = exact(sorted);
    assertThat(ascending.mean()).isCloseTo(exact[0], within(1e-13));
    assertThat(ascending.std()).isCloseTo(exact[1], within(1e-13));
    assertThat(ascending.min()).isEqualTo(sorted[0]);
    assertThat(ascending.max()).isEqualTo(sorted[sorted.length - 1]);
  }

  /**
   * Min and max are compared only in blocks whose squares reach the current extremes: samples
   * that often set a new extreme, or set it by a hair, or sit in a later chunk's one-pass loop,
   * must still give exactly a plain scan's answer.
   */
  @Test
  void extremesEqualAPlainScanWhateverTheDataAndChunks() {
    SplittableRandom random = new SplittableRandom(11);
    double[] normal = normal(40_003, 0, 1, 13);
    double[] heavyTailed = new double[40_003]; // Cauchy: new extremes all the way through
    for (int i = 0; i < heavyTailed.length; i++) {
      heavyTailed[i] = random.nextGaussian() / random.nextGaussian();
    }
    double[] nearAnExtreme = normal(40_003, 1e9, 1e-3, 17);
    // Values one ulp beyond the running max and min, late in the stream and mid-block.
    nearAnExtreme[30_001] = Math.nextUp(Arrays.stream(nearAnExtreme).max().getAsDouble());
    nearAnExtreme[35_002] = Math.nextDown(Arrays.stream(nearAnExtreme).min().getAsDouble());
    double[] ascending = normal(40_003, 5, 2, 19);
    Arrays.sort(ascending);
    double[] descending = new double[ascending.length];
    for (int i = 0; i < ascending.length; i++) {
      descending[i] = ascending[ascending.length - 1 - i];
    }
    double[] constant = new double[40_003];
    Arrays.fill(constant, 2.5);
    double[] oneSpike = normal(40_003, -3, 1, 23);
    oneSpike[39_998] = 1e6;

    for (double[] values : new double[][] {normal, heavyTailed, nearAnExtreme, ascending,
        descending, constant, oneSpike}) {
      double min = Arrays.stream(values).min().getAsDouble();
      double max = Arrays.stream(values).max().getAsDouble();
      for (int chunk : new int[] {1, 3, 4, 7, 1000, 16_384, values.length}) {
        StreamingStats stats = inChunks(values, chunk);
        assertThat(stats.min()).as("min, chunks of %d", chunk).isEqualTo(min);
        assertThat(stats.max()).as("max, chunks of %d", chunk).isEqualTo(max);
      }
    }
  }

  @Test
  void aValueOneUlpBeyondAnExtremeIsSeenWhereNothingElseInItsBlockIsOffCentre() {
    // The running mean is exactly 0 after the first chunk, so the later block's squares sum to
    // the new extreme's square alone: just above the old extreme's, and no more.
    StreamingStats above = new StreamingStats();
    above.add(new double[] {-1, 1, -1, 1}, 4);
    above.add(new double[] {0, 0, 0, Math.nextUp(1.0)}, 4);
    assertThat(above.max()).isEqualTo(Math.nextUp(1.0));

    StreamingStats below = new StreamingStats();
    below.add(new double[] {-1, 1, -1, 1}, 4);
    below.add(new double[] {0, 0, Math.nextDown(-1.0), 0}, 4);
    assertThat(below.min()).isEqualTo(Math.nextDown(-1.0));
  }

  @Test
  void aNaNOrAnInfinityInALaterChunkStillReachesMinAndMax() {
    double[] withNaN = normal(50_000, 0, 1, 29);
    withNaN[40_000] = Double.NaN;
    StreamingStats nan = inChunks(withNaN, 16_384);
    assertThat(nan.min()).isNaN();
    assertThat(nan.max()).isNaN();
    assertThat(nan.mean()).isNaN();

    double[] withInfinity = normal(50_000, 0, 1, 31);
    withInfinity[40_001] = Double.NEGATIVE_INFINITY;
    StreamingStats infinity = inChunks(withInfinity, 16_384);
    assertThat(infinity.min()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(infinity.max()).isEqualTo(Arrays.stream(withInfinity).max().getAsDouble());
    assertThat(infinity.mean()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(infinity.std()).isNaN();
  }

  @Test
  void mergingPartialsEqualsAddingEverything() {
    double[] values = normal(50_001, 3.0, 2.0, 11);
    StreamingStats whole = new StreamingStats();
    whole.add(values, values.length);

    StreamingStats merged = new StreamingStats();
    int[] cuts = {0, 1, 17, 4096, 30_000, 50_001};
    for (int i = 0; i + 1 < cuts.length; i++) {
      double[] part = Arrays.copyOfRange(values, cuts[i], cuts[i + 1]);
      StreamingStats partial = new StreamingStats();
      partial.add(part, part.length);
      merged.merge(partial);
    }
    double[] exact = exact(values);
    assertThat(merged.count()).isEqualTo(values.length);
    assertThat(merged.mean()).isCloseTo(exact[0], within(1e-13));
    assertThat(merged.std()).isCloseTo(exact[1], within(1e-13));
    assertThat(merged.min()).isEqualTo(whole.min());
    assertThat(merged.max()).isEqualTo(whole.max());
  }

  @Test
  void partialsRebuiltFromTheirPartsMergeExactly() {
    double[] a = normal(1000, -5, 1, 1);
    double[] b = normal(3000, 5, 3, 2);
    StreamingStats sa = new StreamingStats();
    sa.add(a, a.length);
    StreamingStats sb = new StreamingStats();
    sb.add(b, b.length);
    StreamingStats merged = StreamingStats.of(sa.count(), sa.mean(), sa.meanLow(), sa.m2(),
        sa.min(), sa.max());
    merged.merge(StreamingStats.of(sb.count(), sb.mean(), sb.meanLow(), sb.m2(),
        sb.min(), sb.max()));

    double[] all = new double[4000];
    System.arraycopy(a, 0, all, 0, 1000);
    System.arraycopy(b, 0, all, 1000, 3000);
    double[] exact = exact(all);
    assertThat(merged.mean()).isCloseTo(exact[0], within(1e-13));
    assertThat(merged.std()).isCloseTo(exact[1], within(1e-13));
  }

  @Test
  void mergingPartsGivesToTheBitWhatMergingThePartialOfThemGives() {
    double[][] files = {normal(1000, -5, 1, 3), normal(7, 1e12, 1, 4), {1e308, 1e308},
        {Double.POSITIVE_INFINITY, 1}, {Double.NaN}, {}, normal(3000, 5, 3, 5), {-0.0}};
    StreamingStats viaPartials = new StreamingStats();
    StreamingStats viaParts = new StreamingStats();
    for (double[] file : files) {
      StreamingStats f = new StreamingStats();
      f.add(file, file.length);
      viaPartials.merge(StreamingStats.of(f.count(), f.mean(), f.meanLow(), f.m2(), f.min(),
          f.max()));
      viaParts.merge(f.count(), f.mean(), f.meanLow(), f.m2(), f.min(), f.max());
      assertThat(bits(viaParts)).as("after %d values", file.length).isEqualTo(bits(viaPartials));
    }
    StreamingStats exact = StreamingStats.exact();
    exact.merge(2, 0.5, 0, 0.5, 0, 1);
    assertThat(exact.mean()).isEqualTo(0.5);
    assertThatThrownBy(() -> viaParts.merge(-1, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClearedPartialGivesToTheBitWhatANewOneGives() {
    // One partial for a file after another, as a reader keeps it: whatever the last file left
    // (a drifting mean, a NaN, an overflow, exact sums), the next one starts afresh.
    double[][] files = {normal(1000, -5, 1, 3), {1, 1e7, 1e7, 1e7}, {Double.NaN, 1},
        {1e308, 1e308}, {}, normal(3000, 1e9, 3, 5), {-0.0}, normal(10, 0, 1, 6)};
    StreamingStats reused = StreamingStats.exact();
    reused.add(new double[] {1e20, 1, -1e20}, 3);
    for (double[] file : files) {
      reused.clear();
      StreamingStats fresh = new StreamingStats();
      for (int from = 0; from < file.length; from += 64) {
        double[] chunk = Arrays.copyOfRange(file, from, Math.min(file.length, from + 64));
        reused.add(chunk, chunk.length);
        fresh.add(chunk, chunk.length);
      }
      assertThat(bits(reused)).as("%d values", file.length).isEqualTo(bits(fresh));
      assertThat(reused.sumVouchedFor()).isEqualTo(fresh.sumVouchedFor());
    }
  }

  private static long[] bits(StreamingStats s) {
    return new long[] {s.count(), Double.doubleToRawLongBits(s.mean()),
        Double.doubleToRawLongBits(s.meanLow()), Double.doubleToRawLongBits(s.m2()),
        Double.doubleToRawLongBits(s.min()), Double.doubleToRawLongBits(s.max()),
        Double.doubleToRawLongBits(s.std())};
  }

  @Test
  void emptyIsNaNAsInNumpy() {
    StreamingStats stats = new StreamingStats();
    stats.add(new double[0], 0);
    assertThat(stats.count()).isZero();
    assertThat(stats.mean()).isNaN();
    assertThat(stats.std()).isNaN();
    assertThat(stats.min()).isNaN();
    assertThat(stats.max()).isNaN();
    StreamingStats other = new StreamingStats();
    other.add(2.0);
    stats.merge(other);
    assertThat(stats.mean()).isEqualTo(2.0);
    assertThat(stats.std()).isZero();
  }

  @Test
  void nanPoisonsEverythingAndInfinityOnlyTheSpread() {
    StreamingStats nan = new StreamingStats();
    nan.add(new double[] {1, Double.NaN, 3}, 3);
    assertThat(nan.mean()).isNaN();
    assertThat(nan.std()).isNaN();
    assertThat(nan.min()).isNaN();
    assertThat(nan.max()).isNaN();

    StreamingStats inf = new StreamingStats();
    inf.add(new double[] {1, 2}, 2);
    StreamingStats withInf = new StreamingStats();
    withInf.add(new double[] {Double.POSITIVE_INFINITY, 3}, 2);
    inf.merge(withInf);
    assertThat(inf.mean()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(inf.std()).isNaN();
    assertThat(inf.min()).isEqualTo(1.0);
    assertThat(inf.max()).isEqualTo(Double.POSITIVE_INFINITY);

    StreamingStats both = new StreamingStats();
    both.add(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, 2);
    assertThat(both.mean()).isNaN();
    assertThat(both.min()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void valuesThatCancelGiveTheExactlyRoundedMeanHoweverTheyAreCut() {
    // np.tile([1e15, -1e15, 1.0], 10_000): the mean is exactly 1/3, which numpy gives; a plain
    // running sum, or one taken relative to the first value, keeps only multiples of 1/8.
    double[] values = new double[30_000];
    for (int i = 0; i < values.length; i += 3) {
      values[i] = 1e15;
      values[i + 1] = -1e15;
      values[i + 2] = 1.0;
    }
    double[] exact = exact(values);
    assertThat(exact[0]).isEqualTo(1.0 / 3);
    for (int chunk : new int[] {1, 2, 3, 7, 1000, 16_384, values.length}) {
      StreamingStats stats = inChunks(values, chunk);
      assertThat(stats.mean()).as("mean, chunks of %d", chunk).isEqualTo(1.0 / 3);
      assertThat(stats.std()).as("std, chunks of %d", chunk)
          .isCloseTo(exact[1], within(1e-12 * exact[1]));
    }
    StreamingStats merged = inChunks(Arrays.copyOfRange(values, 0, 10_001), 16_384);
    StreamingStats rest = inChunks(Arrays.copyOfRange(values, 10_001, values.length), 4096);
    merged.merge(StreamingStats.of(rest.count(), rest.mean(), rest.meanLow(), rest.m2(),
        rest.min(), rest.max()));
    assertThat(merged.mean()).isEqualTo(1.0 / 3);
  }

  @Test
  void theMeansLowPartKeepsAnOverallMeanExactAcrossManyPartials() {
    // 2,000 partials of standard-normal samples, merged from their parts as the run's totals
    // are: the overall mean is within 2 ulps of exact with each mean's low part carried.
    double[] all = normal(2_000 * 500, 0, 1, 37);
    StreamingStats merged = new StreamingStats();
    for (int f = 0; f < 2_000; f++) {
      StreamingStats file = inChunks(Arrays.copyOfRange(all, f * 500, (f + 1) * 500), 500);
      merged.merge(StreamingStats.of(file.count(), file.mean(), file.meanLow(), file.m2(),
          file.min(), file.max()));
    }
    double mean = exact(all)[0];
    assertThat(Math.abs(merged.mean() - mean)).isLessThanOrEqualTo(2 * Math.ulp(mean));
  }

  /** What numpy 2.4 gives for np.mean and np.std of each array (with overflow warnings). */
  @Test
  void infinitiesAndNaNAreNumpys() {
    double inf = Double.POSITIVE_INFINITY;
    double nan = Double.NaN;
    double[][][] cases = {
        // values, {numpy's mean, numpy's std}
        {{1e308, 1e308}, {inf, inf}},          // the sum overflows
        {{-1e308, -1e308}, {-inf, inf}},
        {{1e308, -1e308}, {0, inf}},           // the squares overflow
        {{3e200, 1e200}, {2e200, inf}},
        {{1e200, -1e200}, {0, inf}},
        {{1e308}, {1e308, 0}},
        {{inf, 1}, {inf, nan}},
        {{-inf, 1}, {-inf, nan}},
        {{inf}, {inf, nan}},
        {{inf, -inf}, {nan, nan}},
        {{nan, 1}, {nan, nan}},
        {{}, {nan, nan}},
    };
    for (double[][] c : cases) {
      double[] values = c[0];
      StreamingStats whole = new StreamingStats();
      whole.add(values, values.length);
      StreamingStats merged = new StreamingStats();
      for (double v : values) {
        StreamingStats one = new StreamingStats();
        one.add(v);
        merged.merge(one);
      }
      for (StreamingStats stats : new StreamingStats[] {whole, merged, inChunks(values, 1)}) {
        // Boxed, so that NaN equals NaN.
        assertThat(Double.valueOf(stats.mean())).as("mean of %s", Arrays.toString(values))
            .isEqualTo(Double.valueOf(c[1][0]));
        assertThat(Double.valueOf(stats.std())).as("std of %s", Arrays.toString(values))
            .isEqualTo(Double.valueOf(c[1][1]));
        assertThat(Double.valueOf(stats.variance())).as("variance of %s", Arrays.toString(values))
            .isEqualTo(Double.valueOf(c[1][1] * c[1][1]));
      }
    }
  }
}
