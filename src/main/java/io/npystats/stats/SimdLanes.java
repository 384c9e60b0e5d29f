package io.npystats.stats;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The eight lanes of {@link Lanes} as SIMD registers: one vector of eight doubles where the CPU
 * has them (AVX-512), else two of four (AVX2, and Arm's SVE of 256 bits). Each lane's operations
 * are the scalar loop's, in its order; only the test of a block for a possible new extreme
 * differs (any one square against the scalar loop's sum of the eight), and neither misses a
 * block that holds one, so the min and max come out the same too.
 *
 * <p>Loaded only where the JVM has {@code jdk.incubator.vector}.
 */
abstract class SimdLanes extends Lanes {
  private static final VectorSpecies<Double> EIGHT = DoubleVector.SPECIES_512;
  private static final VectorSpecies<Double> FOUR = DoubleVector.SPECIES_256;

  /** The widest loop this CPU runs in registers, or null: narrower vectors would not pay. */
  static Lanes forThisCpu() {
    int preferred = DoubleVector.SPECIES_PREFERRED.length();
    return preferred >= 8 ? new Eight() : preferred >= 4 ? new TwoOfFour() : null;
  }

  @Override
  String name() {
    return "simd";
  }

  /** One vector of eight doubles. */
  static final class Eight extends SimdLanes {
    @Override
    int addBlocks(double[] values, int from, int end, double centre, double reach,
        double[] state) {
      DoubleVector s = DoubleVector.fromArray(EIGHT, state, SUMS);
      DoubleVector e = DoubleVector.fromArray(EIGHT, state, ERRORS);
      DoubleVector q = DoubleVector.fromArray(EIGHT, state, SQUARES);
      int i = from;
      boolean reached = false;
      while (i < end) {
        DoubleVector v = DoubleVector.fromArray(EIGHT, values, i);
        DoubleVector t = s.add(v);
        e = e.add(v.sub(t.sub(s)));
        s = t;
        DoubleVector d = v.sub(centre);
        DoubleVector a = d.mul(d);
        q = q.add(a);
        i += WIDTH;
        if (a.compare(VectorOperators.GE, reach).anyTrue()) {
          reached = true;
          break;
        }
      }
      s.intoArray(state, SUMS);
      e.intoArray(state, ERRORS);
      q.intoArray(state, SQUARES);
      return reached ? ~i : i;
    }
  }

  /** Lanes 0 to 3 in one vector of four, 4 to 7 in another. */
  static final class TwoOfFour extends SimdLanes {
    @Override
    int addBlocks(double[] values, int from, int end, double centre, double reach,
        double[] state) {
      DoubleVector s = DoubleVector.fromArray(FOUR, state, SUMS);
      DoubleVector e = DoubleVector.fromArray(FOUR, state, ERRORS);
      DoubleVector q = DoubleVector.fromArray(FOUR, state, SQUARES);
      DoubleVector s4 = DoubleVector.fromArray(FOUR, state, SUMS + 4);
      DoubleVector e4 = DoubleVector.fromArray(FOUR, state, ERRORS + 4);
      DoubleVector q4 = DoubleVector.fromArray(FOUR, state, SQUARES + 4);
      int i = from;
      boolean reached = false;
      while (i < end) {
        DoubleVector v = DoubleVector.fromArray(FOUR, values, i);
        DoubleVector v4 = DoubleVector.fromArray(FOUR, values, i + 4);
        DoubleVector t = s.add(v);
        DoubleVector t4 = s4.add(v4);
        e = e.add(v.sub(t.sub(s)));
        e4 = e4.add(v4.sub(t4.sub(s4)));
        s = t;
        s4 = t4;
        DoubleVector d = v.sub(centre);
        DoubleVector d4 = v4.sub(centre);
        DoubleVector a = d.mul(d);
        DoubleVector a4 = d4.mul(d4);
        q = q.add(a);
        q4 = q4.add(a4);
        i += WIDTH;
        if (a.compare(VectorOperators.GE, reach).or(a4.compare(VectorOperators.GE, reach))
            .anyTrue()) {
          reached = true;
          break;
        }
      }
      s.intoArray(state, SUMS);
      e.intoArray(state, ERRORS);
      q.intoArray(state, SQUARES);
      s4.intoArray(state, SUMS + 4);
      e4.intoArray(state, ERRORS + 4);
      q4.intoArray(state, SQUARES + 4);
      return reached ? ~i : i;
    }
  }
}
