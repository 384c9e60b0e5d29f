package io.npystats.report;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;

/**
 * The machine a benchmark ran on, as far as a JVM can tell. Its components are columns of the
 * {@code benchmarks} table too: each needs its entry in {@link BenchmarkRow#COLUMNS}.
 */
public record Machine(int cores, long memoryBytes, String javaVersion, String os) {

  public static Machine current() {
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    long memory = bean instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getTotalMemorySize() : -1;
    return new Machine(Runtime.getRuntime().availableProcessors(), memory,
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  /** For people, e.g. {@code 2 cores, 23.4 GiB memory, Java 17.0.15, Linux amd64}. */
  public String describe() {
    String memory = memoryBytes < 0 ? "unknown memory"
        : String.format(Locale.ROOT, "%.1f GiB memory", memoryBytes / (double) (1L << 30));
    return cores + " core" + (cores == 1 ? "" : "s") + ", " + memory + ", Java " + javaVersion
        + ", " + os;
  }
}
