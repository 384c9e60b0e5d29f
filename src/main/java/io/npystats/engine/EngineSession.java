package io.npystats.engine;

/** An engine with its workers ready, which can run one work after another. */
public interface EngineSession extends AutoCloseable {
  /**
   * Runs every item of {@code work}.
   *
   * @throws EngineException if some file got no result; the message names which, and why
   */
  <R> EngineRun<R> run(Work<R> work, Progress progress) throws EngineException;

  @Override
  void close();
}
