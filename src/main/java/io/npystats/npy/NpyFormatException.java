package io.npystats.npy;

import java.io.IOException;

/**
 * The one exception this package raises for bytes that are not a readable {@code .npy} array.
 * Its message says what was expected and what was found; callers that know the file prefix it
 * with the path.
 */
public final class NpyFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public NpyFormatException(String message) {
    super(message);
  }
}
