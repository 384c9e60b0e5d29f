package io.npystats.report;

import java.time.Instant;

/**
 * One engine run of a {@code compare}, as it is printed, charted and kept in the
 * {@code benchmarks} table.
 *
 * @param repeat 0 for the warm-up run, which fills the page cache and the JIT; 1, 2, ... after
 * @param filesPerSecond files over work seconds: start-up is kept apart
 * @param speedup the sequential engine's work seconds over this run's, in the same phase
 * @param efficiency speedup over workers: 1 means every worker did a full share
 * @param cpuSeconds CPU time of every process of the run, or NaN where unknown
 */
public record BenchmarkRow(String runId, Instant startedAt, String phase, String engine,
    int workers, int repeat, long files, long failed, long bytes, double wallSeconds,
    double startupSeconds, double workSeconds, double filesPerSecond, double megabytesPerSecond,
    double speedup, double efficiency, double cpuSeconds, String detail, String input,
    Machine machine) {

  public boolean warmup() {
    return repeat == 0;
  }
}
