package io.npystats.stats;

import java.io.Serializable;

/**
 * Count, mean, sum of squared deviations (M2), min and max of a stream of doubles, in one pass
 * and constant memory, with an exact merge of two partials (Chan, Golub and LeVeque, 1979).
 *
 * <p>Values arrive in chunks. The first chunk is summarised with two passes over the chunk alone
 * (mean, then deviations from it, with the usual correction term), which is as accurate as
 * numpy's two passes over the whole array, and then merged into the running total. Later chunks
 * take one pass: deviations from the running mean, which is as good a centre as the chunk's own
 * mean wherever the data do not drift. Where a chunk's own mean lies so far from that centre
 * that the one-pass sum of squares would lose more than one bit to cancellation, the chunk is
 * summarised again with two passes, and so is the rest of the stream. Min and max are compared
 * only in the few blocks of four whose squared deviations could hold a new extreme, which saves
 * much of each pass (docs/performance.md). Merging partials, never averaging averages, is also
 * how per-file results combine into the overall statistics.
 *
 * <p>Like numpy: an empty stream has NaN for every statistic; a NaN anywhere makes everything
 * NaN; an infinity makes the mean infinite and the standard deviation NaN.
 */
public final class StreamingStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  /**
   * Every value is taken relative to this shift, the first finite value seen. Far from zero
   * (samples near 1e9, say) the mean's rounding would otherwise leak into the merged M2 at
   * first order; relative to a nearby shift it cannot.
   */
  private double shift;
  /** The mean of (value - shift). */
  private double mean;
  private double m2;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  /** Set once a chunk's mean strayed from the running mean: two passes from then on. */
  private boolean drifting;

  public StreamingStats() {}

  /** A partial from its parts, e.g. read back from a table; {@code m2} is n times the variance. */
  public static StreamingStats of(long count, double mean, double m2, double min, double max) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    StreamingStats s = new StreamingStats();
    if (count > 0) {
      s.count = count;
      s.shift = Double.isFinite(mean) ? mean : 0;
      s.mean = Double.isFinite(mean) ? 0 : mean;
      s.m2 = m2;
      s.min = min;
      s.max = max;
    }
    return s;
  }

  /** Adds {@code values[0..n)}. */
  public void add(double[] values, int n) {
    if (n <= 0) {
      return;
    }
    if (count == 0) {
      shift = Double.isFinite(values[0]) ? values[0] : 0;
    } else if (!drifting && Double.isFinite(mean) && Double.isFinite(m2)
        && addAroundRunningMean(values, n)) {
      return;
    }
    double k = shift;
    // Four independent accumulators let the CPU overlap the additions.
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += values[i];
      s1 += values[i + 1];
      s2 += values[i + 2];
      s3 += values[i + 3];
    }
    for (; i < n; i++) {
      s0 += values[i];
    }
    double centre = ((s0 + s1) + (s2 + s3)) / n;
    double chunkMean;
    double chunkM2;
    if (Double.isFinite(centre)) {
      // Every value is finite here.
      Deviations around = deviations(values, n, centre);
      // r is what the rounded centre missed: it corrects both M2 and the chunk's mean, so that
      // neither carries the rounding of a value as large as the samples into the merge.
      double r = around.sum();
      chunkM2 = Math.max(0, around.squares() - r * r / n);
      chunkMean = (centre - k) + r / n;
    } else {
      widen(values, 0, n);
      if (Double.isNaN(centre) && containsNaN(values, n)) {
        // numpy's min and max are NaN where any value is (a NaN sum alone may be +inf + -inf).
        min = Double.NaN;
        max = Double.NaN;
      }
      chunkMean = centre - k;
      chunkM2 = Double.NaN;
    }
    merge(n, chunkMean, chunkM2, min, max);
  }

  /**
   * Summarises the chunk in one pass, as deviations from the running mean, and merges it; or
   * returns false where that would not be as accurate as two passes. Either way the running min
   * and max already take in the chunk's values, as the two passes would have them.
   */
  private boolean addAroundRunningMean(double[] values, int n) {
    double centre = shift + mean;
    Deviations around = deviations(values, n, centre);
    double sum = around.sum();
    double squares = around.squares();
    if (!Double.isFinite(sum) || !Double.isFinite(squares)) {
      return false; // a NaN or an infinity: the two-pass path gives numpy's answer for those
    }
    // The chunk's M2 is what remains of the squares once its offset from the centre is taken
    // out. Where that offset makes up more than half of the squares, the subtraction would
    // cost more than a bit of the squares' precision: two passes then, here and after.
    double chunkM2 = squares - sum * sum / n;
    if (!(chunkM2 >= 0.5 * squares)) {
      drifting = true;
      return false;
    }
    merge(n, (centre - shift) + sum / n, chunkM2, min, max);
    return true;
  }

  /** The sum of {@code values[0..n)} less {@code centre}, and the sum of their squares. */
  private record Deviations(double sum, double squares) {}

  /**
   * One pass over the chunk for both kinds of summary: the deviations from {@code centre} and
   * their squares, with the running min and max widened on the way.
   */
  private Deviations deviations(double[] values, int n, double centre) {
    double reach = reach(centre);
    double s0 = 0, s1 = 0, q0 = 0, q1 = 0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      double a = values[i] - centre, b = values[i + 1] - centre;
      double c = values[i + 2] - centre, d = values[i + 3] - centre;
      double ab = a * a + b * b, cd = c * c + d * d;
      s0 += a + b;
      s1 += c + d;
      q0 += ab;
      q1 += cd;
      // Comparing every value with min and max was a large share of the loop. A value beyond them
      // is further from the centre than they are, so its square alone reaches `reach`; a block is
      // compared only when its squares do, a few blocks in a hundred for normal samples. NaN
      // compares false: its sum is NaN, and the callers deal with it.
      if (ab + cd >= reach) {
        widen(values, i, i + 4);
        reach = reach(centre);
      }
    }
    widen(values, i, n);
    for (; i < n; i++) {
      double a = values[i] - centre;
      s0 += a;
      q0 += a * a;
    }
    return new Deviations(s0 + s1, q0 + q1);
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
    if (count == 0) {
      shift = other.shift;
    }
    merge(other.count, other.mean + (other.shift - shift), other.m2, other.min, other.max);
  }

  private void merge(long n, double otherMean, double otherM2, double otherMin, double otherMax) {
    if (count == 0) {
      count = n;
      mean = otherMean;
      m2 = otherM2;
      min = otherMin;
      max = otherMax;
      return;
    }
    long total = count + n;
    double a = (double) count / total;
    double b = (double) n / total;
    if (Double.isFinite(mean) && Double.isFinite(otherMean)) {
      double delta = otherMean - mean;
      mean += delta * b;
      m2 += otherM2 + delta * delta * count * b;
    } else {
      // inf + finite stays inf, +inf with -inf is NaN, as numpy's sum gives.
      mean = mean * a + otherMean * b;
      m2 = Double.NaN;
    }
    count = total;
    min = Math.min(min, otherMin);
    max = Math.max(max, otherMax);
  }

  public long count() {
    return count;
  }

  public double mean() {
    return count == 0 ? Double.NaN : shift + mean;
  }

  /** Sum of squared deviations from the mean. */
  public double m2() {
    return count == 0 ? Double.NaN : m2;
  }

  /** Population variance, numpy's {@code var} with ddof = 0. */
  public double variance() {
    return count == 0 ? Double.NaN : m2 / count;
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
