package io.npystats.engine;

/**
 * An engine could not bring back a result for every file: a worker died, hung, or sent something
 * that is not a result. The message names the engine, the worker and the files concerned. A file
 * that cannot be read is not this: it is a result, with the reason.
 */
public class EngineException extends Exception {
  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
