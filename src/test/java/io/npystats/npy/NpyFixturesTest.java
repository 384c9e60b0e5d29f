package io.npystats.npy;

import static io.npystats.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.stats.StreamingStats;
import io.npystats.testing.Fixtures;
import io.npystats.testing.Fixtures.Expected;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file numpy wrote reads to numpy's own answer, or is refused with the reason; the mean
 * and standard deviation are also checked against exact decimal arithmetic over the values read,
 * whole and merged from arbitrary parts.
 */
class NpyFixturesTest {
  private static final MathContext DIGITS = new MathContext(60);

  static Stream<Expected> manifest() {
    return Fixtures.manifest().stream();
  }

  static Stream<Expected> stats() {
    return manifest().filter(e -> !e.refuse());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifest")
  void readsAsNumpyDoes(Expected expected) throws Exception {
    Path file = Fixtures.dir().resolve(expected.file());
    // A small buffer makes every fixture span several chunks, and each merge gets exercised.
    NpyReader reader = new NpyReader(256);
    StreamingStats stats = new StreamingStats();
    try (InputStream in = Files.newInputStream(file)) {
      if (expected.refuse()) {
        assertThat(expected.refusal()).as("the manifest's refusal of %s", expected.file())
            .isNotBlank();
        assertThatThrownBy(() -> reader.read(in, Files.size(file), stats::add))
            .as(expected.why())
            .isInstanceOf(NpyFormatException.class)
            .hasMessage(expected.refusal());
        return;
      }
      NpyHeader header = reader.read(in, Files.size(file), stats::add);
      assertThat(header.dtype().descr()).isEqualTo(expected.dtype());
      assertThat(header.shape()).containsExactly(expected.shape());
    }
    assertThat(stats.count()).isEqualTo(expected.n());
    assertClose("mean", stats.mean(), expected.mean());
    assertClose("std", stats.std(), expected.std());
    assertClose("min", stats.min(), expected.min(), 0);
    assertClose("max", stats.max(), expected.max(), 0);
    // numpy's IEEE behaviour: an infinity or a NaN where numpy gives one, and only there.
    assertKind("mean", stats.mean(), expected.numpyMean());
    assertKind("std", stats.std(), expected.numpyStd());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifest")
  void everyBufferSizeReadsTheSameValuesAndRefusesAlike(Expected expected) throws Exception {
    // The header is read with the first data: a small file whole (the default buffer), a larger
    // one's first part, or (tiny buffers) a header longer than the first read. One reader reads
    // the file twice, as a task reads file after file; the file's length known, then not.
    Path file = Fixtures.dir().resolve(expected.file());
    for (long length : new long[] {Files.size(file), -1}) {
      List<String> seen = new ArrayList<>();
      for (int bufferBytes : new int[] {8, 24, 256, 4096, NpyReader.DEFAULT_BUFFER_BYTES}) {
        NpyReader reader = new NpyReader(bufferBytes);
        for (int time = 0; time < 2; time++) {
          List<Double> values = new ArrayList<>();
          try (InputStream in = Files.newInputStream(file)) {
            NpyHeader header = reader.read(in, length, (chunk, n) -> {
              for (int i = 0; i < n; i++) {
                values.add(chunk[i]);
              }
            });
            assertThat((long) values.size()).isEqualTo(expected.n());
            seen.add(header.shapeString() + " " + values);
          } catch (NpyFormatException e) {
            seen.add("refused: " + e.getMessage());
          }
        }
      }
      assertThat(seen).as("every buffer size, length %d", length).containsOnly(seen.get(0));
      if (expected.refuse()) {
        assertThat(seen.get(0)).startsWith("refused: ");
      } else {
        assertThat(seen.get(0)).doesNotStartWith("refused: ");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stats")
  void meanAndStdAreThoseOfExactArithmetic(Expected expected) throws Exception {
    double[] values = Fixtures.values(expected.file());
    StreamingStats stats = new StreamingStats();
    stats.add(values, values.length);
    if (!Double.isFinite(expected.numpyMean()) || !Double.isFinite(expected.numpyStd())) {
      assertKind("mean", stats.mean(), expected.numpyMean());
      assertKind("std", stats.std(), expected.numpyStd());
      return;
    }
    Exact exact = Exact.of(values);
    // Python's rational arithmetic and Java's decimal one agree on the exactly rounded answer.
    assertThat(expected.exactMean()).as("manifest's exact mean").isEqualTo(exact.mean());
    assertThat(expected.exactStd()).as("manifest's exact std")
        .isCloseTo(exact.std(), org.assertj.core.data.Offset.offset(1e-15 * exact.std()));
    if (stats.sumVouchedFor()) {
      exact.check("one chunk", stats);
    } else {
      StreamingStats again = StreamingStats.exact();
      again.add(values, values.length);
      exact.check("one chunk, exact partials", again);
    }

    // As the reader hands them on, and in parts of any size, chunked anyhow and merged, some
    // parts carried as their parts (mean, the mean's low part, m2, ...) as a file's result is
    // between processes. Where the compensated sums cannot vouch for the mean (chunks whose sums
    // cancel each other), the values taken again into exact partials must give it.
    SplittableRandom random = new SplittableRandom(expected.file().hashCode());
    for (int trial = -1; trial < 20; trial++) {
      List<int[]> chunks = new ArrayList<>(); // from, to, the part it belongs to
      List<Boolean> carried = new ArrayList<>();
      int from = 0;
      while (from < values.length) {
        int to = trial < 0 ? values.length
            : from + 1 + random.nextInt(Math.max(1, values.length / (1 + random.nextInt(4))));
        to = Math.min(values.length, to);
        int chunk = trial < 0 ? 16_384 : 1 + random.nextInt(to - from);
        for (int at = from; at < to; at += chunk) {
          chunks.add(new int[] {at, Math.min(to, at + chunk), carried.size()});
        }
        carried.add(random.nextBoolean());
        from = to;
      }
      String how = trial < 0 ? "chunks of 16384" : "merged parts, trial " + trial;
      StreamingStats merged = cutAndMerge(values, chunks, carried, StreamingStats::new);
      if (merged.sumVouchedFor()) {
        exact.check(how, merged);
      } else {
        StreamingStats again = cutAndMerge(values, chunks, null, StreamingStats::exact);
        assertThat(again.sumVouchedFor()).as("%s, exact partials vouched for", how).isTrue();
        exact.check(how + ", exact partials", again);
      }
    }
  }

  /**
   * Adds {@code values} in the chunks given, each to the part it belongs to, and merges the
   * parts in order, carried as their parts where {@code carried} says so (null: never) and
   * their means are vouched for.
   */
  private static StreamingStats cutAndMerge(double[] values, List<int[]> chunks,
      List<Boolean> carried, Supplier<StreamingStats> partials) {
    StreamingStats merged = partials.get();
    StreamingStats part = null;
    int partIndex = -1;
    for (int c = 0; c <= chunks.size(); c++) {
      if (c == chunks.size() || chunks.get(c)[2] != partIndex) {
        if (part != null) {
          // A file's result crosses between processes once its reader vouched for its mean.
          boolean carry = carried != null && carried.get(partIndex) && part.sumVouchedFor();
          merged.merge(carry ? StreamingStats.of(part.count(),
              part.mean(), part.meanLow(), part.m2(), part.min(), part.max()) : part);
        }
        if (c == chunks.size()) {
          break;
        }
        part = partials.get();
        partIndex = chunks.get(c)[2];
      }
      double[] slice = Arrays.copyOfRange(values, chunks.get(c)[0], chunks.get(c)[1]);
      part.add(slice, slice.length);
    }
    return merged;
  }

  /** The exact mean and standard deviation of finite values, in decimal arithmetic. */
  private record Exact(double mean, double std, double min, double max, int n) {
    static Exact of(double[] values) {
      BigDecimal sum = sum(values);
      BigDecimal squares = BigDecimal.ZERO;
      for (double v : values) {
        BigDecimal d = new BigDecimal(v);
        squares = squares.add(d.multiply(d));
      }
      BigDecimal n = BigDecimal.valueOf(values.length);
      // n^2 variance = n sum(x^2) - sum(x)^2 holds exactly; only the last division rounds.
      BigDecimal variance = n.multiply(squares).subtract(sum.multiply(sum))
          .divide(n.multiply(n), DIGITS);
      return new Exact(sum.divide(n, DIGITS).doubleValue(),
          variance.max(BigDecimal.ZERO).sqrt(DIGITS).doubleValue(),
          Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow(),
          values.length);
    }

    static BigDecimal sum(double[] values) {
      BigDecimal sum = BigDecimal.ZERO;
      for (double v : values) {
        sum = sum.add(new BigDecimal(v));
      }
      return sum;
    }

    /**
     * The mean within 2 ulps of the exactly rounded one, the std within 1e-12 of the exact one;
     * min and max exact.
     */
    void check(String how, StreamingStats stats) {
      double allowed = 2 * Math.ulp(mean);
      assertThat(Math.abs(stats.mean() - mean))
          .as("%s: mean %s, exact %s, allowed %s", how, stats.mean(), mean, allowed)
          .isLessThanOrEqualTo(allowed);
      assertThat(Math.abs(stats.std() - std)).as("%s: std %s, exact %s", how, stats.std(), std)
          .isLessThanOrEqualTo(1e-12 * std);
      assertThat(stats.min()).as("%s: min", how).isEqualTo(min);
      assertThat(stats.max()).as("%s: max", how).isEqualTo(max);
    }
  }

  private static void assertKind(String what, double actual, double numpy) {
    if (Double.isNaN(numpy)) {
      assertThat(actual).as("%s, numpy's %s", what, numpy).isNaN();
    } else if (Double.isInfinite(numpy)) {
      assertThat(actual).as("%s, numpy's %s", what, numpy).isEqualTo(numpy);
    } else {
      assertThat(Double.isFinite(actual)).as("%s %s finite, as numpy's %s", what, actual, numpy)
          .isTrue();
    }
  }
}
