package io.npystats.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

/**
 * Streams the values of a {@code .npy} file as doubles through a bounded buffer, so a file of any
 * size is read in constant memory. The caller opens the file and says how long it is; the reader
 * checks that length against the header before it reads any data, and reads until each buffer is
 * full, never taking a short read for the end of the file.
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

  // Direct, so that a file channel reads into it without an intermediate copy; little-endian
  // float64, the common case, then leaves it with one bulk copy.
  private final ByteBuffer bytes;
  private final double[] values;
  /**
   * The channel whose first data bytes {@link #readHeaderAndStart} left in {@link #bytes}, from
   * {@link #startedFrom} to {@link #startedTo}; null where the buffer holds nothing to carry on
   * with.
   */
  private ReadableByteChannel started;
  private int startedFrom;
  private int startedTo;

  public NpyReader() {
    this(DEFAULT_BUFFER_BYTES);
  }

  public NpyReader(int bufferBytes) {
    if (bufferBytes < 8 || bufferBytes % 8 != 0) {
      throw new IllegalArgumentException("buffer must be a positive multiple of 8 bytes: " + bufferBytes);
    }
    this.bytes = ByteBuffer.allocateDirect(bufferBytes);
    this.values = new double[bufferBytes / 8];
  }

  /** Reads a whole {@code .npy} stream; see {@link #read(ReadableByteChannel, long, ChunkConsumer)}. */
  public NpyHeader read(InputStream in, long fileLength, ChunkConsumer consumer) throws IOException {
    return read(Channels.newChannel(in), fileLength, consumer);
  }

  /**
   * Reads a whole {@code .npy} file.
   *
   * @param in positioned at the first byte of the file
   * @param fileLength the file's length in bytes, or -1 where the store cannot tell
   * @return the header; every value has been handed to {@code consumer} when this returns
   * @throws NpyFormatException if the bytes are not a readable array, the reason in the message
   */
  public NpyHeader read(ReadableByteChannel in, long fileLength, ChunkConsumer consumer)
      throws IOException {
    NpyHeader header = readHeaderAndStart(in, fileLength);
    readData(in, header, consumer);
    return header;
  }

  /**
   * Reads the data of a file whose header {@link #readHeaderAndStart} has just read from
   * {@code in}.
   *
   * @throws NpyFormatException if the data ends before the shape does
   */
  public void readData(ReadableByteChannel in, NpyHeader header, ChunkConsumer consumer)
      throws IOException {
    long missing = readItems(in, header.dtype(), header.dataLength(), consumer);
    if (missing > 0) {
      throw shortData(header, header.expectedFileLength() - missing);
    }
  }

  /**
   * Reads a file's header and checks the file's length against it, before any data is summarised;
   * the header and the first data in one read: a small file (up to the values array's length in
   * bytes) whole, a larger one's first part. Each read is a system call, and a file of 8 KB took
   * three, the header two of them, a cost paid for every file of a data set of small files. The
   * data bytes read are kept for {@link #readData} or {@link #readItems} on the same channel, which
   * go on from them; nothing is summarised before the file's length has been checked against the
   * header.
   *
   * @param in positioned at the first byte of the file; its first data bytes may be in this
   *     reader's buffer when this returns, so only this reader may go on reading its data
   * @param fileLength the file's length in bytes, or -1 where the store cannot tell
   * @throws NpyFormatException if the header is not readable or the file too short for its shape
   */
  public NpyHeader readHeaderAndStart(ReadableByteChannel in, long fileLength) throws IOException {
    started = null;
    // No more data than any dtype's chunk takes (values.length bytes or more) after even the
    // shortest preamble, so that what was read is handed on as (part of) one chunk.
    int most = Math.min(bytes.capacity(), values.length + NpyHeader.SHORTEST_PREAMBLE);
    bytes.clear().limit(fileLength >= 0 && fileLength <= most ? (int) fileLength : most);
    while (bytes.hasRemaining() && in.read(bytes) >= 0) {
      // until the limit or the end of the file: a short read is not the end
    }
    bytes.flip();
    NpyHeader header = NpyHeader.sameAsLast(bytes);
    if (header == null) {
      header = readHeader(in);
    }
    if (fileLength >= 0 && fileLength < header.expectedFileLength()) {
      throw shortData(header, fileLength);
    }
    // The data's first bytes, where they are; none past the data's end.
    startedFrom = bytes.position();
    startedTo = startedFrom + (int) Math.min(bytes.remaining(), header.dataLength());
    started = in;
    return header;
  }

  /** The header from the buffer's bytes, then from {@code in} where it is longer than they are. */
  private NpyHeader readHeader(ReadableByteChannel in) throws IOException {
    return NpyHeader.read(new InputStream() {
      private InputStream rest;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (bytes.hasRemaining()) {
          int n = Math.min(len, bytes.remaining());
          bytes.get(b, off, n);
          return n;
        }
        if (rest == null) {
          rest = Channels.newInputStream(in); // a header longer than the first read
        }
        return rest.read(b, off, len);
      }
    });
  }

  /**
   * Reads {@code length} bytes of items of {@code dtype}, the whole data of a file or a range of
   * it that starts and ends on item boundaries, and hands them on as doubles.
   *
   * @param in positioned at the first byte of an item, or where {@link #readHeaderAndStart} left
   *     it
   * @param length a whole number of items, in bytes
   * @return how many of those bytes the channel ended without: 0 when every item was read
   */
  public long readItems(ReadableByteChannel in, NpyDtype dtype, long length, ChunkConsumer consumer)
      throws IOException {
    if (length % dtype.itemSize() != 0) {
      throw new IllegalArgumentException(
          length + " bytes are not a whole number of " + dtype.descr() + " items");
    }
    boolean goingOn = in == started;
    started = null;
    if (!goingOn) {
      bytes.clear();
    } else if (startedTo - startedFrom == length && length > 0) {
      // Every item came with the header (a small file): handed on from where they are, without
      // moving them to the buffer's start first.
      bytes.limit(startedTo).position(startedFrom);
      int count = (int) (length / dtype.itemSize());
      dtype.decode(bytes, count, values);
      consumer.accept(values, count);
      bytes.clear();
      return 0;
    } else {
      // The first items to the buffer's start, and the rest read after them.
      bytes.limit(startedTo).position(startedFrom);
      bytes.compact();
    }
    long remaining = length - bytes.position();
    // Narrow items take fewer bytes a value: read no more of them than the values array holds.
    int chunk = Math.min(bytes.capacity(), values.length * dtype.itemSize());
    while (remaining > 0 || bytes.position() > 0) {
      if (remaining > 0) {
        bytes.limit((int) Math.min(chunk, bytes.position() + remaining));
        int got = in.read(bytes);
        if (got < 0) {
          bytes.clear();
          return remaining;
        }
        remaining -= got;
        if (bytes.hasRemaining()) {
          continue; // fill the buffer before handing values on: fewer, larger chunks
        }
      }
      bytes.flip();
      // A chunk is a whole number of items and so is the length, so the buffer holds whole items.
      int count = bytes.remaining() / dtype.itemSize();
      dtype.decode(bytes, count, values);
      consumer.accept(values, count);
      bytes.clear();
    }
    return 0;
  }

  private static NpyFormatException shortData(NpyHeader header, long found) {
    return new NpyFormatException(
        "data shorter than the shape needs: shape " + header.shapeString() + " of "
            + header.dtype().descr() + " needs " + header.expectedFileLength()
            + " bytes with the header, file has " + found);
  }
}
