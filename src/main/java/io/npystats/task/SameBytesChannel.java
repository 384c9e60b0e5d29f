package io.npystats.task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A channel that, instead of writing, checks that what is written is what a file already holds:
 * each write is compared with the same number of the file's next bytes. The first difference
 * ends the comparison with {@link Differs}, so a file of another seed costs one buffer, not a
 * whole file of drawing. One instance per thread, {@link #reset} for each file.
 */
final class SameBytesChannel implements WritableByteChannel {
  /** The file's bytes differ from the ones written, or it ends before them. */
  static final class Differs extends IOException {
    private static final long serialVersionUID = 1L;

    Differs() {
      super("the file holds other bytes");
    }

    /** Control flow, not an error: no stack trace to fill in. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private final ByteBuffer held;
  private ReadableByteChannel file;

  /** @param bufferBytes at least the largest write the writer makes, or writes are split */
  SameBytesChannel(int bufferBytes) {
    this.held = ByteBuffer.allocateDirect(bufferBytes);
  }

  /** Compares the next writes with {@code file}, from its current position. */
  void reset(ReadableByteChannel file) {
    this.file = file;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    while (src.hasRemaining()) {
      int chunk = Math.min(src.remaining(), held.capacity());
      held.clear().limit(chunk);
      while (held.hasRemaining()) {
        if (file.read(held) < 0) {
          throw new Differs();
        }
      }
      held.flip();
      ByteBuffer expected = src.slice(src.position(), chunk);
      if (held.mismatch(expected) >= 0) {
        throw new Differs();
      }
      src.position(src.position() + chunk);
    }
    return n;
  }

  /** Whether the file has no bytes past those compared: a longer one is not the same file. */
  boolean atEnd() throws IOException {
    held.clear().limit(1);
    return file.read(held) < 0;
  }

  @Override
  public boolean isOpen() {
    return file != null && file.isOpen();
  }

  @Override
  public void close() {
    // The caller owns the file and closes it.
  }
}
