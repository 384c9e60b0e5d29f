package io.npystats.engine;

import java.util.List;

/**
 * One run of a {@link Work} by one engine: every file's result, in item order, and what the run
 * cost. Start-up (threads, child JVMs, a Spark session) is kept apart from the work itself, so a
 * one-off run ({@link #wallSeconds}) and a steady state ({@link #workSeconds}) can both be read.
 *
 * @param workers the threads, processes or cores that did the work
 * @param failed how many results are failures: files that could not be read
 * @param startupSeconds what getting the workers ready took before the first file could start
 * @param workSeconds from handing out the first file to holding every result
 * @param cpuSeconds CPU time of every process involved, or NaN where it could not be measured
 * @param detail how this engine ran, for people: e.g. each child's start-up, Spark's master
 */
public record EngineRun<R>(String engine, int workers, Phase phase, List<R> results, long failed,
    long bytes, double startupSeconds, double workSeconds, double cpuSeconds, String detail) {

  public EngineRun {
    results = List.copyOf(results);
  }

  /** Counts the failures and adds up the bytes of the results. */
  public static <R> EngineRun<R> of(String engine, int workers, Work<R> work, List<R> results,
      double startupSeconds, double workSeconds, double cpuSeconds, String detail) {
    long failed = 0;
    long bytes = 0;
    for (R result : results) {
      failed += work.ok(result) ? 0 : 1;
      bytes += work.bytes(result);
    }
    return new EngineRun<>(engine, workers, work.phase(), results, failed, bytes, startupSeconds,
        workSeconds, cpuSeconds, detail);
  }

  public int files() {
    return results.size();
  }

  /** What a one-off run waits for: start-up and work. */
  public double wallSeconds() {
    return startupSeconds + workSeconds;
  }
}
