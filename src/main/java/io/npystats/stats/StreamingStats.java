package io.npystats.stats;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Count, mean, sum of squared deviations (M2), min and max of a stream of doubles, in one pass
 * and constant memory, with an exact merge of two partials (Chan, Golub and LeVeque, 1979).
 *
 * <p>The mean comes from a compensated sum: the running sum and, beside it, the sum of what each
 * addition rounded away, kept as a normalised pair of doubles. In the one pass each value costs
 * three operations more for it (Dekker's fast two-sum, exact because every running sum is kept
 * offset by a power of two far above the values). Beside the sum runs a bound on what its
 * roundings can have cost, the one pass's own error analysis, so that {@link #sumVouchedFor()}
 * can say whether the mean is within an ulp or two of the exactly rounded one. Where it cannot
 * (values that cancel: 1e20 beside 0.5, or a +1e20 at the end of one chunk and its -1e20 at the
 * start of the next), the reader takes the values again into a partial made by {@link #exact()},
 * which keeps their exact sum as Python's {@code math.fsum} does: a second read, for those rare
 * streams only (one file in tens of thousands of normal samples, whose sum comes near zero).
 * A chunk summarised in two passes is summed again exactly at once where its own bound cannot
 * vouch for it. The merge of two
 * partials takes the offset between their means from the compensated sums too, so that samples
 * far from zero (near 1e9, say) do not leak their means' rounding into M2.
 *
 * <p>Values arrive in chunks. Each takes one pass where it can: squared deviations from the
 * running mean, which is as good a centre as the chunk's own mean wherever the data do not
 * drift, and for the first chunk from the mean of its first 64 values. Where a chunk's own mean
 * lies so far from that centre that the one-pass sum of squares would lose more than one bit to
 * cancellation, the chunk is summarised again with two passes over the chunk alone (its sum, then
 * the squared deviations from its mean, as numpy does over the whole array), and after the
 * first chunk so is the rest of the stream. Min and max are compared only in the few blocks of
 * eight whose squared deviations could hold a new extreme, which saves much of each pass
 * (docs/performance.md). Merging partials, never averaging averages, is also how per-file
 * results combine into the overall statistics.
 *
 * <p>IEEE cases as numpy gives them: an empty stream has NaN for every statistic; a NaN anywhere
 * makes everything NaN; an infinity makes the mean infinite (NaN with both signs) and the
 * standard deviation NaN; finite values whose sum overflows have an infinite mean and an infinite
 * standard deviation, and finite values whose squared deviations overflow an infinite standard
 * deviation. Whether a sum overflows on its way to a total that does not (1e308, 1e308, -1e308)
 * depends on the order of the additions, where numpy's pairwise order and this one can differ.
 */
public final class StreamingStats implements Serializable {
  private static final long serialVersionUID = 3L;

  private long count;
  /** The sum of the values is {@code sum + sumError}, to about twice double precision. */
  private double sum;
  private double sumError;
  /** How far the exact sum of the values can be from {@code sum + sumError}, at most. */
  private double sumBound;
  /**
   * In a partial made by {@link #exact()}, the exact sum of the values, of which {@code sum +
   * sumError} is the rounding; null otherwise, and once an infinity, a NaN or an overflow leaves
   * the plain sum's answer, numpy's, the one to give.
   */
  private ExactSum exactSum;
  /** In such a partial, the bounds of the pairs merged into it: those were not exact. */
  private double carriedBound;
  private double m2;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  /** Set once a chunk's mean strayed from the running mean: two passes from then on. */
  private boolean drifting;
  /** The one pass's inner loop where not this JVM's choice: for tests that compare them. */
  private transient Lanes lanes;
  /**
   * The one pass's lanes and the sums of their pairs, kept from one pass to the next: made anew
   * for each, they were the largest share of what a small file's read allocated.
   */
  private transient double[] state;
  private transient double[] sums;

  public StreamingStats() {}

  /**
   * Forgets every value, as a new partial would have none, and keeps the one pass's working
   * memory: a reader that summarises one file after another takes one partial for them all.
   * A partial made by {@link #exact()} is a plain one after this.
   */
  public void clear() {
    count = 0;
    sum = 0;
    sumError = 0;
    sumBound = 0;
    exactSum = null;
    carriedBound = 0;
    m2 = 0;
    min = Double.POSITIVE_INFINITY;
    max = Double.NEGATIVE_INFINITY;
    drifting = false;
  }

  /**
   * Checks the lanes {@code -Dnpystats.kernel.lanes} asks for, if any, before any file is read:
   * a command checks it first, so that a choice this JVM cannot take is one line of error, not
   * the failed initialisation of this class in the first task that reads a file.
   *
   * @throws IllegalArgumentException for a choice other than {@code scalar} or {@code simd}
   * @throws IllegalStateException for {@code simd} where this JVM cannot take them, saying why
   */
  public static void checkLanesChoice() {
    String choice = System.getProperty(Lanes.CHOICE);
    if (choice != null) {
      Lanes.choose(choice);
    }
  }

  /** A partial whose one pass takes {@code lanes}, whatever this JVM would choose. */
  static StreamingStats with(Lanes lanes) {
    StreamingStats s = new StreamingStats();
    s.lanes = lanes;
    return s;
  }

  /**
   * A partial that keeps the exact sum of its values, at several times the cost of the one pass:
   * for a stream whose compensated sum {@link #sumVouchedFor() cannot be vouched for}, taken
   * again. Merging two such partials keeps the sum exact too.
   */
  public static StreamingStats exact() {
    StreamingStats s = new StreamingStats();
    s.exactSum = new ExactSum();
    return s;
  }

  /**
   * A partial from its parts, e.g. read back from a child process: {@code mean + meanLow} is
   * the mean to about twice double precision (see {@link #meanLow()}; 0 where unknown, at the
   * cost of the merged mean's last bits), and {@code m2} is n times the variance.
   */
  public static StreamingStats of(long count, double mean, double meanLow, double m2, double min,
      double max) {
    StreamingStats s = new StreamingStats();
    s.merge(count, mean, meanLow, m2, min, max);
    return s;
  }

  /**
   * Merges the partial {@link #of} would make of these parts, as {@code merge(of(...))} does, to
   * the last bit, without making it: a run's totals take in every file's row this way.
   */
  public void merge(long count, double mean, double meanLow, double m2, double min, double max) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    if (count == 0) {
      return;
    }
    if (exactSum != null) {
      merge(of(count, mean, meanLow, m2, min, max)); // its exact sum takes the pair
      return;
    }
    double product = mean * count;
    double low = Double.isFinite(product) ? Math.fma(mean, count, -product) : 0;
    double lowTimesCount = Double.isFinite(product) ? meanLow * count : 0;
    // The pair normalised as a partial of its own holds it.
    double high = product + (low + lowTimesCount);
    boolean finite = Double.isFinite(high);
    double error = finite ? twoSumError(product, low + lowTimesCount, high) : 0;
    if (!finite) {
      high = product;
    }
    // The source's own bound is not carried: it was vouched for to an eighth of an ulp of its
    // sum, where it was read (see sumVouchedFor), plus the roundings here.
    double bound = Math.scalb(Math.ulp(product), -3)
        + Math.scalb(Math.abs(low) + Math.abs(lowTimesCount), -51);
    merge(count, high, error, m2, min, max, bound);
  }

  /** Adds {@code values[0..n)}. */
  public void add(double[] values, int n) {
    if (n <= 0) {
      return;
    }
    if (exactSum != null) {
      addExactly(values, n);
      return;
    }
    addCompensated(values, n);
  }

  private void addCompensated(double[] values, int n) {
    // The values so far bound the next chunk's with room for new extremes: the power of two just
    // above them did not, and a third of the files of 100,000 normal samples took two passes
    // over a chunk for a value past 4 (docs/performance.md#the-compensated-mean).
    if (count == 0 ? addFirstInOnePass(values, n) : !drifting && Double.isFinite(sum)
        && Double.isFinite(m2)
        && addInOnePass(values, n, mean(), 2 * bound(Math.max(-min, max)))) {
      return;
    }
    addInTwoPasses(values, n);
  }

  /**
   * The first chunk in one pass too, where its first values tell enough: their mean is a centre
   * close enough for the squares (the check after the pass says whether it was), and four times
   * their largest magnitude almost always bounds the rest.
   */
  private boolean addFirstInOnePass(double[] values, int n) {
    int sample = Math.min(n, 64);
    double sampleSum = 0;
    double largest = 0;
    for (int i = 0; i < sample; i++) {
      double magnitude = Math.abs(values[i]);
      sampleSum += values[i];
      largest = magnitude > largest ? magnitude : largest;
    }
    double centre = sampleSum / sample;
    return Double.isFinite(centre) && Double.isFinite(largest)
        && addInOnePass(values, n, centre, 4 * bound(largest));
  }

  /**
   * The chunk alone: a quick pass for a rough centre and the largest magnitude, then the pass
   * that sums exactly and squares the deviations from that centre; and where that sum cannot
   * be vouched for, or the rough centre was too far off, a pass more for each.
   */
  private void addInTwoPasses(double[] values, int n) {
    double roughSum = 0;
    double largest = 0;
    for (int i = 0; i < n; i++) {
      double magnitude = Math.abs(values[i]);
      roughSum += values[i];
      largest = magnitude > largest ? magnitude : largest; // NaN aside: the sum catches it
    }
    if (!Double.isFinite(largest) || Double.isNaN(roughSum)) {
      // An infinity or a NaN: numpy's sum, min and max (all NaN where a NaN is), M2 says m2().
      widen(values, 0, n);
      if (Double.isNaN(roughSum) && containsNaN(values, n)) {
        min = Double.NaN;
        max = Double.NaN;
      }
      merge(n, roughSum, 0, Double.NaN, min, max, 0);
      return;
    }
    double centre = roughSum / n;
    double offset = offset(bound(largest), n);
    Chunk chunk = Double.isFinite(centre) && Double.isFinite(offset)
        ? onePass(values, n, centre, offset) : null;
    if (chunk == null || !vouchedFor(chunk, offset, n)) {
      Chunk exact = exactSum(values, n);
      chunk = chunk == null ? exact
          : new Chunk(exact.sum(), exact.sumError(), chunk.squares(), exact.bound());
    }
    double mean = quotient(chunk.sum(), chunk.sumError(), n);
    if (!Double.isFinite(mean)) {
      // Finite values whose sum overflows, as numpy's does; m2() gives numpy's infinity.
      widen(values, 0, n);
      merge(n, chunk.sum(), 0, Double.NaN, min, max, 0);
      return;
    }
    double squares = chunk.squares();
    double deviation = deviationSum(chunk, n, centre);
    double chunkM2 = squares - deviation * deviation / n;
    if (!(chunkM2 >= 0.5 * squares)) {
      // No squares yet (NaN), or a rough centre so far off that they lost their precision.
      squares = onePass(values, n, mean, 0).squares();
      deviation = deviationSum(chunk, n, mean);
      chunkM2 = squares - deviation * deviation / n;
    }
    merge(n, chunk.sum(), chunk.sumError(), Math.max(0, chunkM2), min, max, chunk.bound());
  }

  /**
   * Summarises the chunk in one pass, as deviations from {@code centre} (the running mean after
   * the first chunk), and merges it; or returns false where that would not be as accurate as two
   * passes, or {@code bound} (a power of two) turns out not to bound every value. Either way the
   * running min and max already take in the chunk's values, as the two passes would have them.
   */
  private boolean addInOnePass(double[] values, int n, double centre, double bound) {
    double offset = offset(bound, n);
    if (!Double.isFinite(offset)) {
      return false; // values near the overflow threshold: two passes need no bound
    }
    Chunk chunk = onePass(values, n, centre, offset);
    if (!Double.isFinite(chunk.sum()) || !Double.isFinite(chunk.squares())) {
      return false; // a NaN or an infinity: the two-pass path gives numpy's answer for those
    }
    if (!(max < bound && min > -bound)) {
      return false; // a new extreme beyond the bound: the fast two-sum may not have been exact
    }
    // The chunk's sum is not checked here, only its bound carried: a chunk of normal samples whose
    // sum comes near zero by chance cannot vouch for itself to 2^-10 of its own ulp, but does
    // not need to, as the file's sum then decides (sumVouchedFor). Summing such chunks again
    // exactly took one file in thirty a second, slow pass, a twentieth of the tasks' time.
    // Values that cancel in every chunk leave the file's sum unvouched, and it is read again.

    // The chunk's M2 is what remains of the squares once its offset from the centre is taken
    // out. Where that offset makes up more than half of the squares, the subtraction would
    // cost more than a bit of the squares' precision: two passes then, here and after.
    double deviation = deviationSum(chunk, n, centre);
    double chunkM2 = chunk.squares() - deviation * deviation / n;
    if (!(chunkM2 >= 0.5 * chunk.squares())) {
      drifting = count > 0; // the first chunk's centre was only a guess
      return false;
    }
    merge(n, chunk.sum(), chunk.sumError(), chunkM2, min, max, chunk.bound());
    return true;
  }

  /**
   * A chunk's compensated sum, the sum of its squared deviations from a centre (or NaN), and how
   * far the exact sum can be from {@code sum + sumError}.
   */
  private record Chunk(double sum, double sumError, double squares, double bound) {}

  /** A power of two above {@code largest}. */
  private static double bound(double largest) {
    return Math.scalb(1.0, Math.getExponent(largest) + 1);
  }

  /**
   * A power of two more than twice what any of the one pass's lanes, each a running sum of at
   * most {@link #lanesCount} values below {@code bound}, can reach, so that each sum keeps its
   * exponent; infinite where there is none.
   */
  private static double offset(double bound, int n) {
    return Math.scalb(bound, 65 - Long.numberOfLeadingZeros(lanesCount(n)));
  }

  /**
   * Whether the one pass's sum is good to a thousandth of an ulp. Its low parts, each at most
   * half an ulp of {@code offset}, are added up in plain arithmetic in eight lanes, which errs by
   * less than n^2 / 16 roundings of that size: where that could reach 2^-10 of the sum (values
   * that cancel, 1e20 beside 0.5, say), the sum is taken again exactly.
   */
  private static boolean vouchedFor(Chunk chunk, double offset, int n) {
    return Math.ulp(offset) * n * n * 64 <= Math.abs(chunk.sum());
  }

  /**
   * One pass over the chunk: the sum of the values, and the squares of their deviations from
   * {@code centre}, with the running min and max widened on the way. The values go to eight
   * lanes ({@link Lanes}), each a sum kept offset by {@code offset}, a power of two so far above
   * every value that each addition's rounding error is exactly {@code value - (new - old)}
   * (Dekker's fast two-sum, three operations where the general one takes six); the caller checks
   * that no value broke that bound.
   */
  private Chunk onePass(double[] values, int n, double centre, double offset) {
    if (state == null) {
      state = new double[Lanes.STATE];
      sums = new double[Lanes.WIDTH];
    }
    double[] state = this.state;
    double[] sums = this.sums;
    Arrays.fill(state, 0);
    Arrays.fill(state, Lanes.SUMS, Lanes.SUMS + Lanes.WIDTH, offset);
    int blocks = n - n % Lanes.WIDTH;
    double reach = reach(centre);
    Lanes loop = lanes != null ? lanes : Lanes.chosen();
    int i = 0;
    while (i < blocks) {
      int next = loop.addBlocks(values, i, blocks, centre, reach, state);
      if (next >= 0) {
        i = next;
        continue;
      }
      // Comparing every value with min and max was a large share of the loop. A value beyond
      // them is further from the centre than they are, so its square alone reaches `reach`; a
      // block is compared only when a square does, a few blocks in a hundred for normal samples.
      // NaN reaches nothing: its sum is NaN, and the callers deal with it.
      i = ~next;
      widen(values, i - Lanes.WIDTH, i);
      reach = reach(centre);
    }
    widen(values, i, n);
    // The last few values go to the first lane.
    double s0 = state[Lanes.SUMS], e0 = state[Lanes.ERRORS], q0 = state[Lanes.SQUARES];
    for (; i < n; i++) {
      double v = values[i];
      double t = s0 + v;
      e0 += v - (t - s0);
      s0 = t;
      double d = v - centre;
      q0 += d * d;
    }
    state[Lanes.SUMS] = s0;
    state[Lanes.ERRORS] = e0;
    state[Lanes.SQUARES] = q0;
    // Each lane less its offset is exact (Sterbenz); adding them in pairs keeps their errors too.
    double error = 0;
    double errors = 0;
    for (int k = 0; k < Lanes.WIDTH; k++) {
      sums[k] = state[Lanes.SUMS + k] - offset;
      error += state[Lanes.ERRORS + k];
      errors += Math.abs(state[Lanes.ERRORS + k]);
    }
    for (int width = Lanes.WIDTH; width > 1; width /= 2) {
      for (int k = 0; k < width / 2; k++) {
        double a = sums[2 * k];
        double b = sums[2 * k + 1];
        sums[k] = a + b;
        double e = twoSumError(a, b, sums[k]);
        error += e;
        errors += Math.abs(e);
      }
    }
    for (int width = Lanes.WIDTH; width > 1; width /= 2) {
      for (int k = 0; k < width / 2; k++) {
        state[Lanes.SQUARES + k] = state[Lanes.SQUARES + 2 * k] + state[Lanes.SQUARES + 2 * k + 1];
      }
    }
    double squares = state[Lanes.SQUARES];
    // Each low part is at most half an ulp of the offset; a lane adding up m of them rounds by
    // at most m^2 / 2 times 2^-54 of that ulp, the eight lanes by (m + 1)^2 times 2^-52 at most.
    // Adding the lanes' errors and the pairs' rounds each of those fifteen additions by at most
    // 2^-53 of their magnitudes.
    double m = lanesCount(n) + 1;
    double bound = m * m * Math.scalb(Math.ulp(offset), -52) + Math.scalb(errors, -49);
    return new Chunk(sums[0], error, squares, bound);
  }

  /** The most values one lane of the one pass takes of {@code n}: the first takes the rest. */
  private static int lanesCount(int n) {
    return n / Lanes.WIDTH + Lanes.WIDTH - 1;
  }

  /**
   * The chunk's sum exactly, as Python's {@code math.fsum} takes it (Shewchuk's non-overlapping
   * partials), then rounded to a pair; slow, and only for the chunks whose values cancel so much
   * that the one pass cannot vouch for its sum. Where the sum overflows, numpy's running sum.
   */
  private static Chunk exactSum(double[] values, int n) {
    ExactSum exact = new ExactSum();
    for (int i = 0; i < n; i++) {
      if (!exact.add(values[i])) {
        double plain = 0;
        for (int k = 0; k < n; k++) {
          plain += values[k];
        }
        return new Chunk(plain, 0, Double.NaN, 0);
      }
    }
    return exact.rounded();
  }

  /**
   * An exact sum of doubles, as Python's {@code math.fsum} keeps it: Shewchuk's non-overlapping
   * partials, of increasing magnitude; slow, and only for the values the one pass cannot vouch
   * for.
   */
  private static final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private double[] partials = new double[8];
    private int size;

    /** Adds {@code x} exactly; false where the sum leaves the finite numbers. */
    boolean add(double x) {
      double[] p = partials;
      int kept = 0;
      for (int j = 0; j < size; j++) {
        double y = p[j];
        if (Math.abs(x) < Math.abs(y)) {
          double swap = x;
          x = y;
          y = swap;
        }
        double high = x + y;
        double low = y - (high - x);
        if (low != 0) {
          p[kept++] = low;
        }
        x = high;
      }
      if (!Double.isFinite(x)) {
        return false;
      }
      if (kept == p.length) {
        partials = p = Arrays.copyOf(p, 2 * kept);
      }
      p[kept++] = x;
      size = kept;
      return true;
    }

    /** The pair nearest the sum, with the bound of its error. */
    Chunk rounded() {
      double sum = 0;
      double error = 0;
      double errors = 0;
      for (int j = 0; j < size; j++) {
        double next = sum + partials[j];
        double e = twoSumError(sum, partials[j], next);
        error += e;
        errors += Math.abs(e);
        sum = next;
      }
      return new Chunk(sum, error, Double.NaN, size * Math.scalb(errors, -52));
    }
  }

  /**
   * Adds the values to the exact sum, then to everything else as the compensated path does; the
   * sum is then the exact one, rounded.
   */
  private void addExactly(double[] values, int n) {
    for (int i = 0; i < n && exactSum != null; i++) {
      addToExactSum(values[i]);
    }
    addCompensated(values, n);
    takeSumFromExactSum();
  }

  /** Where the exact sum leaves the finite numbers, numpy's plain sum is the answer to give. */
  private void addToExactSum(double x) {
    if (!exactSum.add(x)) {
      exactSum = null;
    }
  }

  /** Sets the pair from the exact sum, where there is one. */
  private void takeSumFromExactSum() {
    if (exactSum != null && count > 0) {
      Chunk exact = exactSum.rounded();
      setSum(exact.sum(), exact.sumError());
      sumBound = exact.bound() + carriedBound;
    }
  }

  /** The rounding error of {@code sum = a + b}, exactly, whatever their order (Knuth). */
  private static double twoSumError(double a, double b, double sum) {
    double bRounded = sum - a;
    return (a - (sum - bRounded)) + (b - bRounded);
  }

  /** {@code (sum + sumError) / n}, rounded once but for a last-bit tie: the exact remainder. */
  private static double quotient(double sum, double sumError, long n) {
    double q = sum / n;
    if (!Double.isFinite(q)) {
      return q; // an infinity or a NaN among the values, or a sum that overflowed, as numpy's
    }
    return q + (Math.fma(-q, n, sum) + sumError) / n;
  }

  /** The chunk's sum of deviations from {@code centre}, from its compensated sum. */
  private static double deviationSum(Chunk chunk, int n, double centre) {
    double product = n * centre;
    return ((chunk.sum() - product) - Math.fma(n, centre, -product)) + chunk.sumError();
  }

  /**
   * The least square of a deviation from {@code centre} that a value beyond the running min or
   * max can have: rounding is monotonic, so such a value's deviation is at least that extreme's,
   * and so is its square and every sum of squares it is in. Zero, which every block reaches,
   * where an extreme is not on its side of the centre yet (or is NaN).
   */
  private double reach(double centre) {
    double up = max - centre;
    double down = centre - min;
    return up > 0 && down > 0 ? Math.min(up * up, down * down) : 0;
  }

  /** Takes {@code values[from..to)} into the running min and max, NaN aside. */
  private void widen(double[] values, int from, int to) {
    double lo = min;
    double hi = max;
    for (int i = from; i < to; i++) {
      double v = values[i];
      // Plain comparisons, not Math.min/max: those order NaN and -0.0, which makes them several
      // times slower; NaN is caught through the sum instead, -0.0 by the merge's Math.min/max.
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    min = lo;
    max = hi;
  }

  private static boolean containsNaN(double[] values, int n) {
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(values[i])) {
        return true;
      }
    }
    return false;
  }

  /** Adds one value; convenient for tests and small inputs, slow for large ones. */
  public void add(double value) {
    add(new double[] {value}, 1);
  }

  /** Merges another partial into this one, exactly as if its values had been added here. */
  public void merge(StreamingStats other) {
    if (other.count == 0) {
      return;
    }
    boolean exactly = exactSum != null;
    merge(other.count, other.sum, other.sumError, other.m2, other.min, other.max, other.sumBound);
    if (exactly) {
      // The other's exact sum joins this one exactly; a pair brings its bound with it.
      if (other.exactSum != null) {
        for (int t = 0; t < other.exactSum.size && exactSum != null; t++) {
          addToExactSum(other.exactSum.partials[t]);
        }
        carriedBound += other.carriedBound;
      } else {
        addToExactSum(other.sum);
        if (exactSum != null) {
          addToExactSum(other.sumError);
        }
        carriedBound += other.sumBound;
      }
      takeSumFromExactSum();
    }
  }

  private void merge(long n, double otherSum, double otherSumError, double otherM2,
      double otherMin, double otherMax, double otherBound) {
    if (count == 0) {
      count = n;
      setSum(otherSum, otherSumError);
      sumBound = otherBound;
      m2 = otherM2;
      min = otherMin;
      max = otherMax;
      return;
    }
    long total = count + n;
    double merged = sum + otherSum;
    if (Double.isFinite(merged)) {
      // The means' offset from the compensated sums, good to its own last bits even where the
      // means are large and close.
      double mean = sum / count;
      double otherMean = otherSum / n;
      double delta = (otherMean - mean) + ((Math.fma(-otherMean, n, otherSum) + otherSumError) / n
          - (Math.fma(-mean, count, sum) + sumError) / count);
      m2 += otherM2 + delta * delta * count * ((double) n / total);
      double mergedError = twoSumError(sum, otherSum, merged);
      // Two roundings adding up the low parts, each at most half an ulp of what they add up to.
      sumBound += otherBound + Math.scalb(
          Math.abs(sumError) + Math.abs(otherSumError) + Math.abs(mergedError), -52);
      setSum(merged, sumError + otherSumError + mergedError);
    } else {
      // inf + finite stays inf, +inf with -inf is NaN, as numpy's sum gives; m2() says the rest.
      m2 = Double.NaN;
      setSum(merged, 0);
    }
    count = total;
    min = Math.min(min, otherMin);
    max = Math.max(max, otherMax);
  }

  /**
   * Keeps the pair normalised, the error less than half an ulp of the sum, so that the mean's
   * division rounds once; an infinite or NaN sum keeps no error.
   */
  private void setSum(double high, double low) {
    double normalised = high + low;
    boolean finite = Double.isFinite(normalised);
    sum = finite ? normalised : high;
    sumError = finite ? twoSumError(high, low, normalised) : 0;
  }

  public long count() {
    return count;
  }

  public double mean() {
    return count == 0 ? Double.NaN : quotient(sum, sumError, count);
  }

  /**
   * What {@link #mean()} rounded away: {@code mean() + meanLow()} is the mean to about twice
   * double precision, which a partial carried elsewhere needs to merge without losing bits. 0
   * where the mean is not finite.
   */
  public double meanLow() {
    double mean = mean();
    return Double.isFinite(mean) ? (Math.fma(-mean, count, sum) + sumError) / count : 0;
  }

  /**
   * Whether {@link #mean()} is within an ulp or two of the exactly rounded mean of the values:
   * its sum's bound is below an eighth of an ulp of the sum, or the sum is exact, or not finite
   * (an infinity or a NaN is numpy's answer, however summed). Where it is not, the values' sum
   * cancelled beyond what the compensated sum vouches for (their chunks' sums cancel each other,
   * say), and a partial made by {@link #exact()} should take them again.
   */
  public boolean sumVouchedFor() {
    return count == 0 || !Double.isFinite(sum) || (exactSum != null && carriedBound == 0)
        || sumBound <= Math.scalb(Math.ulp(sum), -3);
  }

  /** Whether this partial keeps the exact sum of its values ({@link #exact()}). */
  public boolean hasExactSum() {
    return exactSum != null;
  }

  /** Sum of squared deviations from the mean, with numpy's infinities and NaN. */
  public double m2() {
    if (count == 0 || Double.isNaN(sum) || min == Double.NEGATIVE_INFINITY
        || max == Double.POSITIVE_INFINITY) {
      // A NaN, or an infinity, whose deviation from an infinite or NaN mean is NaN.
      return Double.NaN;
    }
    // Finite values with an overflowing sum: every deviation from an infinite mean is infinite.
    return Double.isInfinite(sum) ? Double.POSITIVE_INFINITY : m2;
  }

  /** Population variance, numpy's {@code var} with ddof = 0. */
  public double variance() {
    return m2() / count;
  }

  /** Population standard deviation, numpy's {@code std} with ddof = 0. */
  public double std() {
    return Math.sqrt(variance());
  }

  public double min() {
    return count == 0 ? Double.NaN : min;
  }

  public double max() {
    return count == 0 ? Double.NaN : max;
  }

  @Override
  public String toString() {
    return "StreamingStats{n=" + count + ", mean=" + mean() + ", std=" + std() + ", min=" + min()
        + ", max=" + max() + "}";
  }
}
