package io.npystats.engine;

/**
 * A way of running a list of per-file tasks in parallel: one thread, a thread pool, child
 * processes, Spark. Engines differ in what their workers share and what they pay for; they never
 * differ in what they compute, which is the {@code task} package's code in every case.
 */
public interface Engine {
  /** The name on the command line and in the tables, e.g. {@code threads}. */
  String name();

  /** One plain sentence: what the workers share, and what they pay for. */
  String about();

  /**
   * Gets {@code workers} workers ready. Close the session to release them; most engines hold
   * threads, processes or a Spark session while it is open.
   */
  EngineSession open(int workers) throws EngineException;
}
