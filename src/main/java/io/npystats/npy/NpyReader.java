package io.npystats.npy;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams the values of a {@code .npy} file as doubles through a bounded buffer, so a file of any
 * size is read in constant memory. The caller opens the stream and says how long the file is; the
 * reader checks that length against the header before it reads any data.
 *
 * <p>One instance reuses its buffers across files and is therefore not thread-safe: give each
 * thread its own.
 */
public final class NpyReader {
  /** Default buffer: large enough to make each read cheap, small enough to stay in L2 cache. */
  public static final int DEFAULT_BUFFER_BYTES = 128 * 1024;

  /** Receives the values of a file in order, a chunk at a time. */
  @FunctionalInterface
  public interface ChunkConsumer {
    /** {@code values[0..count)} are the next values; the array is reused after the call. */
    void accept(double[] values, int count);
  }

  private final byte[] bytes;
  private final double[] values;

  public NpyReader() {
    this(DEFAULT_BUFFER_BYTES);
  }

  public NpyReader(int bufferBytes) {
    if (bufferBytes < 8 || bufferBytes % 8 != 0) {
      throw new IllegalArgumentException("buffer must be a positive multiple of 8 bytes: " + bufferBytes);
    }
    this.bytes = new byte[bufferBytes];
    this.values = new double[bufferBytes];
  }

  /**
   * Reads a whole {@code .npy} stream.
   *
   * @param in positioned at the first byte of the file
   * @param fileLength the file's length in bytes, or -1 where the store cannot tell
   * @return the header; every value has been handed to {@code consumer} when this returns
   * @throws NpyFormatException if the bytes are not a readable array, the reason in the message
   */
  public NpyHeader read(InputStream in, long fileLength, ChunkConsumer consumer) throws IOException {
    NpyHeader header = NpyHeader.read(in);
    long needed = header.expectedFileLength();
    if (fileLength >= 0 && fileLength < needed) {
      throw shortData(header, fileLength);
    }
    NpyDtype dtype = header.dtype();
    int itemSize = dtype.itemSize();
    long remaining = header.dataLength();
    int carried = 0;
    while (remaining > 0) {
      int want = (int) Math.min(bytes.length - carried, remaining);
      int got = NpyHeader.readFully(in, bytes, carried, want);
      if (got < want) {
        long found = header.dataOffset() + header.dataLength() - remaining + got;
        throw shortData(header, found);
      }
      remaining -= got;
      int available = carried + got;
      int whole = available / itemSize;
      dtype.decode(bytes, 0, whole, values);
      consumer.accept(values, whole);
      // The buffer is a multiple of 8, so every item fits whole; nothing is ever carried over.
      carried = available - whole * itemSize;
    }
    return header;
  }

  private static NpyFormatException shortData(NpyHeader header, long found) {
    return new NpyFormatException(
        "data shorter than the shape needs: shape " + header.shapeString() + " of "
            + header.dtype().descr() + " needs " + header.expectedFileLength()
            + " bytes with the header, file has " + found);
  }
}
