package io.npystats.task;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a new local file with direct I/O ({@code O_DIRECT}): from an aligned buffer straight to
 * the disk, past the page cache.
 *
 * <p>Generated files are written once and not read back by the writer. Through the page cache, a
 * data set larger than memory (the reference scale is 80 GB) evicts everything else cached, and
 * the command ends with gigabytes still to be written back; a direct write is on the disk when it
 * returns. Direct I/O moves whole blocks only, so the last block is padded with zeros and
 * the file truncated to its true length on {@link #close}.
 */
final class DirectFileOutputStream extends OutputStream implements WritableByteChannel {
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private final int block;
  private long length;
  private boolean closed;

  /**
   * Creates (or truncates) {@code file} for direct writes through {@code buffer}, which must be
   * from {@link #buffer}.
   *
   * @throws IOException if the file cannot be created, or its file system refuses direct I/O
   *     (tmpfs, some network file systems): the caller then writes through the page cache
   * @throws UnsupportedOperationException if this JVM has no direct I/O
   */
  static DirectFileOutputStream create(Path file, ByteBuffer buffer, int block) throws IOException {
    if (buffer.capacity() % block != 0 || !buffer.isDirect()) {
      throw new IllegalArgumentException("the buffer must be direct and whole blocks of " + block);
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT);
    return new DirectFileOutputStream(channel, buffer, block);
  }

  /** The block size direct writes into {@code dir}'s file system must be aligned to. */
  static int blockSize(Path dir) throws IOException {
    long size = Files.getFileStore(dir).getBlockSize();
    if (size <= 0 || size > (1 << 20) || Long.bitCount(size) != 1) {
      throw new IOException("unusable block size " + size + " for direct I/O in " + dir);
    }
    return (int) size;
  }

  /**
   * A reusable buffer for direct I/O, these streams' writes or {@link ReadAhead}'s reads:
   * {@code capacity} bytes (rounded down to whole blocks) aligned to {@code block}.
   */
  static ByteBuffer buffer(int capacity, int block) {
    int rounded = Math.max(block, capacity / block * block);
    return ByteBuffer.allocateDirect(rounded + block).alignedSlice(block).limit(rounded).slice();
  }

  private DirectFileOutputStream(FileChannel channel, ByteBuffer buffer, int block) {
    this.channel = channel;
    this.buffer = buffer.clear();
    this.block = block;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int count) throws IOException {
    write(ByteBuffer.wrap(bytes, offset, count));
  }

  /** Copies {@code source} into the aligned buffer, writing it out each time it fills. */
  @Override
  public int write(ByteBuffer source) throws IOException {
    ensureOpen();
    int count = source.remaining();
    while (source.hasRemaining()) {
      int n = Math.min(source.remaining(), buffer.remaining());
      buffer.put(source.slice(source.position(), n));
      source.position(source.position() + n);
      length += n;
      if (!buffer.hasRemaining()) {
        drain();
      }
    }
    return count;
  }

  @Override
  public boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (FileChannel c = channel) {
      if (buffer.position() > 0) {
        int tail = buffer.position();
        int padded = (tail + block - 1) / block * block;
        while (buffer.position() < padded) {
          buffer.put((byte) 0);
        }
        drain();
        c.truncate(length);
      }
    }
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }
}
