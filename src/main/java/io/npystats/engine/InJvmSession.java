package io.npystats.engine;

import io.npystats.task.Clocks;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A session whose workers are threads of this JVM, so that the CPU time of a run is this
 * process's own, garbage collector and JIT compiler included.
 */
abstract class InJvmSession implements EngineSession {
  final String engine;
  final Configuration conf;
  private final double startupSeconds;

  InJvmSession(String engine, Configuration conf, double startupSeconds) {
    this.engine = engine;
    this.conf = conf;
    this.startupSeconds = startupSeconds;
  }

  @Override
  public final <R> EngineRun<R> run(Work<R> work, Progress progress) throws EngineException {
    double cpuBefore = Clocks.processCpuSeconds();
    long start = System.nanoTime();
    List<R> results = execute(work, progress);
    double seconds = Clocks.secondsSince(start);
    double cpu = Clocks.processCpuSeconds() - cpuBefore;
    return EngineRun.of(engine, workers(work), work, results, startupSeconds, seconds, cpu,
        detail(work));
  }

  abstract <R> List<R> execute(Work<R> work, Progress progress) throws EngineException;

  abstract int workers(Work<?> work);

  abstract String detail(Work<?> work);

  /** A task that threw: the kernel's message, prefixed with the engine and the file. */
  EngineException failed(Work<?> work, int item, Throwable cause) {
    String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    return new EngineException(engine + ": " + work.file(item) + ": " + reason, cause);
  }
}
