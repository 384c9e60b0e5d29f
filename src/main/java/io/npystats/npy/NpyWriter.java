package io.npystats.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * Writes a 1-D little-endian float64 {@code .npy} file exactly as numpy's {@code np.save} does,
 * streaming the values through a bounded buffer. The caller opens and closes the channel.
 *
 * <p>The header shares the buffer with the first values, so the channel sees one write per full
 * buffer, each starting where the last one ended: with a buffer a whole number of pages long,
 * every write but the last covers whole pages of the file. On Linux a write into the page cache
 * that starts mid-page costs a partial page more, so writes offset by the 128-byte header take
 * longer than the same writes on page boundaries (docs/performance.md). A direct buffer saves the
 * copy that a channel makes of a heap buffer before every write.
 */
public final class NpyWriter {
  private final WritableByteChannel out;
  private final long length;
  private final ByteBuffer bytes;
  /** The buffer seen as little-endian doubles: a bulk put is one memory copy on most machines. */
  private final DoubleBuffer doubles;
  private long written;

  /** Writes to a stream through a heap buffer of {@code bufferBytes}; see the other constructor. */
  public NpyWriter(OutputStream out, long length, int bufferBytes) throws IOException {
    this(Channels.newChannel(out), length, ByteBuffer.allocate(bufferBytes));
  }

  /**
   * Puts the header in {@code buffer}, or writes it at once where the buffer is shorter than it;
   * {@link #write} must then be given exactly {@code length} values and {@link #finish} called.
   *
   * @param buffer where values wait to be written, kept by the caller for its next file: one
   *     allocation a thread; a positive multiple of 8 bytes long
   */
  public NpyWriter(WritableByteChannel out, long length, ByteBuffer buffer) throws IOException {
    int bufferBytes = buffer.capacity();
    if (bufferBytes < 8 || bufferBytes % 8 != 0) {
      throw new IllegalArgumentException("buffer must be a positive multiple of 8 bytes: " + bufferBytes);
    }
    this.out = out;
    this.length = length;
    this.bytes = buffer.clear();
    this.doubles = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    // numpy pads the header to a multiple of 64 bytes, so the values after it stay 8-byte aligned.
    byte[] header = NpyHeader.float64Vector(length).encode();
    if (header.length <= bufferBytes) {
      bytes.put(header);
    } else {
      writeFully(ByteBuffer.wrap(header));
    }
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
      if (!bytes.hasRemaining()) {
        drain();
      }
      int n = Math.min(count - i, bytes.remaining() / 8);
      doubles.position(bytes.position() / 8);
      doubles.put(values, i, n);
      bytes.position(bytes.position() + n * 8);
      i += n;
    }
    written += count;
  }

  /** Checks that every promised value came, then writes what the buffer holds; leaves it open. */
  public void finish() throws IOException {
    if (written != length) {
      throw new IllegalStateException("header promised " + length + " values, wrote " + written);
    }
    drain();
  }

  private void drain() throws IOException {
    bytes.flip();
    writeFully(bytes);
    bytes.clear();
  }

  private void writeFully(ByteBuffer source) throws IOException {
    while (source.hasRemaining()) {
      out.write(source);
    }
  }
}
