package io.npystats.stats;

import java.lang.management.ManagementFactory;

/**
 * The inner loop of the one pass: eight lanes, each a running sum kept offset by a power of two,
 * the sum of what its additions rounded away, and a sum of squared deviations from a centre. Value
 * {@code i} of a block of eight goes to lane {@code i % 8}; every lane does the same IEEE
 * operations in the same order wherever it runs, so the scalar loop and the SIMD one give the
 * same bits, and a file's statistics do not depend on which machine or engine summarised it.
 *
 * <p>The SIMD loop ({@code jdk.incubator.vector}, which Spark's launcher adds to every JVM it
 * starts) takes about a seventh of the scalar loop's time in vectors of eight where the
 * optimising compiler (C2) compiles it, and some fifty times more where it does not: it is
 * taken only where C2 is there and the CPU has vectors of four doubles or more
 * (docs/performance.md).
 */
abstract class Lanes {
  /** Values in a block, and lanes. */
  static final int WIDTH = 8;
  /** Offsets into the lanes' state: the running sums, their rounding errors, the squares. */
  static final int SUMS = 0;
  static final int ERRORS = WIDTH;
  static final int SQUARES = 2 * WIDTH;
  static final int STATE = 3 * WIDTH;

  /** System property naming the loop to take, {@code scalar} or {@code simd}; else chosen. */
  static final String CHOICE = "npystats.kernel.lanes";

  /** The loop this JVM takes. */
  static Lanes chosen() {
    return Chosen.LANES;
  }

  /**
   * The choice, made when a one pass first asks for it and not when this class is loaded: a
   * command checks {@link #CHOICE} first ({@link StreamingStats#checkLanesChoice}), and a choice
   * refused there must not leave this class unusable.
   */
  private static final class Chosen {
    static final Lanes LANES = choose(System.getProperty(CHOICE, ""));
  }

  /** Its name, as in {@link #CHOICE}. */
  abstract String name();

  /**
   * Adds the blocks of {@code values[from..end)} ({@code end - from} a multiple of {@link #WIDTH})
   * to the lanes in {@code state}, block by block, and stops after a block where one value's
   * squared deviation from {@code centre} reaches {@code reach} (a value that may be a new
   * extreme). Returns the index after the last block added, or its complement ({@code ~index})
   * where that block reached {@code reach}. NaN reaches nothing.
   */
  abstract int addBlocks(double[] values, int from, int end, double centre, double reach,
      double[] state);

  static Lanes choose(String choice) {
    return switch (choice) {
      case "scalar" -> new ScalarLanes();
      case "simd" -> simd(true);
      case "" -> simd(false);
      default -> throw new IllegalArgumentException(
          "-D" + CHOICE + " must be scalar or simd, not " + choice);
    };
  }

  /**
   * The SIMD loop where this JVM has the module, vectors of four doubles or more and C2 to
   * compile them; else the scalar one. {@code required}: fail rather than fall back.
   */
  private static Lanes simd(boolean required) {
    String missing = ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()
        ? "the JVM was started without --add-modules=jdk.incubator.vector"
        : !optimisingCompiler() ? "the JVM has no optimising compiler (C2) to compile it"
        : null;
    Lanes simd = missing == null ? SimdLanes.forThisCpu() : null;
    if (simd == null && required) {
      throw new IllegalStateException("-D" + CHOICE + "=simd: "
          + (missing != null ? missing : "the CPU has no vectors of four doubles"));
    }
    return simd != null ? simd : new ScalarLanes();
  }

  /**
   * Whether C2 compiles here: not with {@code -XX:TieredStopAtLevel} below 4, the quick compiler
   * alone ({@code -XX:CompilationMode=quick-only}), nor in the interpreter alone ({@code -Xint}).
   */
  private static boolean optimisingCompiler() {
    try {
      var vm = ManagementFactory.getPlatformMXBean(
          com.sun.management.HotSpotDiagnosticMXBean.class);
      return vm != null && Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4
          && !"quick-only".equals(vm.getVMOption("CompilationMode").getValue())
          && !System.getProperty("java.vm.info", "").contains("interpreted");
    } catch (RuntimeException | LinkageError e) {
      return false; // not HotSpot, or no management: the scalar loop is right everywhere
    }
  }

  /** The lanes in plain Java: each one's operations as the SIMD loop does them, lane by lane. */
  static final class ScalarLanes extends Lanes {
    @Override
    String name() {
      return "scalar";
    }

    @Override
    int addBlocks(double[] values, int from, int end, double centre, double reach,
        double[] state) {
      double s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
      double s4 = state[4], s5 = state[5], s6 = state[6], s7 = state[7];
      double e0 = state[8], e1 = state[9], e2 = state[10], e3 = state[11];
      double e4 = state[12], e5 = state[13], e6 = state[14], e7 = state[15];
      double q0 = state[16], q1 = state[17], q2 = state[18], q3 = state[19];
      double q4 = state[20], q5 = state[21], q6 = state[22], q7 = state[23];
      int i = from;
      boolean reached = false;
      while (i < end) {
        double v0 = values[i], v1 = values[i + 1], v2 = values[i + 2], v3 = values[i + 3];
        double v4 = values[i + 4], v5 = values[i + 5], v6 = values[i + 6], v7 = values[i + 7];
        double t0 = s0 + v0, t1 = s1 + v1, t2 = s2 + v2, t3 = s3 + v3;
        double t4 = s4 + v4, t5 = s5 + v5, t6 = s6 + v6, t7 = s7 + v7;
        e0 += v0 - (t0 - s0);
        e1 += v1 - (t1 - s1);
        e2 += v2 - (t2 - s2);
        e3 += v3 - (t3 - s3);
        e4 += v4 - (t4 - s4);
        e5 += v5 - (t5 - s5);
        e6 += v6 - (t6 - s6);
        e7 += v7 - (t7 - s7);
        s0 = t0;
        s1 = t1;
        s2 = t2;
        s3 = t3;
        s4 = t4;
        s5 = t5;
        s6 = t6;
        s7 = t7;
        double d0 = v0 - centre, d1 = v1 - centre, d2 = v2 - centre, d3 = v3 - centre;
        double d4 = v4 - centre, d5 = v5 - centre, d6 = v6 - centre, d7 = v7 - centre;
        double a0 = d0 * d0, a1 = d1 * d1, a2 = d2 * d2, a3 = d3 * d3;
        double a4 = d4 * d4, a5 = d5 * d5, a6 = d6 * d6, a7 = d7 * d7;
        q0 += a0;
        q1 += a1;
        q2 += a2;
        q3 += a3;
        q4 += a4;
        q5 += a5;
        q6 += a6;
        q7 += a7;
        i += WIDTH;
        // The block's squares summed reach `reach` wherever one of them does (they are not
        // negative, and rounding is monotonic): one comparison for eight.
        if (((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) >= reach) {
          reached = true;
          break;
        }
      }
      state[0] = s0;
      state[1] = s1;
      state[2] = s2;
      state[3] = s3;
      state[4] = s4;
      state[5] = s5;
      state[6] = s6;
      state[7] = s7;
      state[8] = e0;
      state[9] = e1;
      state[10] = e2;
      state[11] = e3;
      state[12] = e4;
      state[13] = e5;
      state[14] = e6;
      state[15] = e7;
      state[16] = q0;
      state[17] = q1;
      state[18] = q2;
      state[19] = q3;
      state[20] = q4;
      state[21] = q5;
      state[22] = q6;
      state[23] = q7;
      return reached ? ~i : i;
    }
  }
}
