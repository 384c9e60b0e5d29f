package io.npystats.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

/**
 * Writes a 1-D little-endian float64 {@code .npy} file exactly as numpy's {@code np.save} does,
 * streaming the values through a bounded buffer. The caller opens and closes the stream.
 */
public final class NpyWriter {
  private final OutputStream out;
  private final long length;
  private final byte[] buffer;
  /** The buffer seen as little-endian doubles: a bulk put is one memory copy on most machines. */
  private final DoubleBuffer doubles;
  private long written;

  /** Writes the header at once; {@link #write} must then be given exactly {@code length} values. */
  public NpyWriter(OutputStream out, long length, int bufferBytes) throws IOException {
    if (bufferBytes < 8 || bufferBytes % 8 != 0) {
      throw new IllegalArgumentException("buffer must be a positive multiple of 8 bytes: " + bufferBytes);
    }
    this.out = out;
    this.length = length;
    this.buffer = new byte[bufferBytes];
    this.doubles = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    out.write(NpyHeader.float64Vector(length).encode());
  }

  /** The file length that {@code length} values make, header included. */
  public static long fileLength(long length) {
    return NpyHeader.float64Vector(length).expectedFileLength();
  }

  public void write(double[] values, int count) throws IOException {
    if (written + count > length) {
      throw new IllegalStateException("header promised " + length + " values, got " + (written + count));
    }
    int i = 0;
    while (i < count) {
      int n = Math.min(count - i, doubles.capacity());
      doubles.clear();
      doubles.put(values, i, n);
      out.write(buffer, 0, n * 8);
      i += n;
    }
    written += count;
  }

  /** Checks that every promised value was written; the stream stays open. */
  public void finish() throws IOException {
    if (written != length) {
      throw new IllegalStateException("header promised " + length + " values, wrote " + written);
    }
    out.flush();
  }
}
