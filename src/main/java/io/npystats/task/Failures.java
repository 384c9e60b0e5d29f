package io.npystats.task;

import java.io.IOException;

/** What a failure on another thread becomes on the thread that waited for its work. */
public final class Failures {
  private Failures() {}

  /**
   * {@code cause}, the failure of work done on another thread, for the waiting thread to throw as
   * if it had done the work itself: an unchecked one is thrown as it is, an I/O failure returned as
   * it is, and any other returned as the cause of one.
   */
  public static IOException rethrown(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IOException(cause);
  }
}
