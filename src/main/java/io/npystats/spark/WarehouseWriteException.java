package io.npystats.spark;

import java.io.IOException;

/** A table or the warehouse could not be written; the cause says why. */
public final class WarehouseWriteException extends IOException {
  private static final long serialVersionUID = 1L;

  public WarehouseWriteException(String path, Throwable cause) {
    super("cannot write " + path, cause);
  }
}
