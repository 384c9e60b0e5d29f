package io.npystats.task;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The clocks a run is measured with. */
public final class Clocks {
  private Clocks() {}

  /**
   * Seconds of CPU this JVM has used, every thread included (the pool, the JIT compiler, the
   * garbage collector), or NaN where the JVM cannot tell.
   */
  public static double processCpuSeconds() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      long nanos = sun.getProcessCpuTime();
      return nanos < 0 ? Double.NaN : nanos / 1e9;
    }
    return Double.NaN;
  }

  /** Seconds of wall-clock time since {@code startNanos}, a {@link System#nanoTime} reading. */
  public static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
