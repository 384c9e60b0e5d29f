package io.npystats.npy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * The reader's fuzz target: any bytes at all either read as an array or are refused with
 * {@link NpyFormatException}; no other exception escapes, a refusal is one printable line, and a
 * read allocates no more than a fixed amount plus the input's own size, whatever the header
 * claims.
 *
 * <p>Its name is not a test class name on purpose: Jazzer attaches an instrumenting agent to the
 * JVM that runs a {@code @FuzzTest}, and that should not be the JVM the rest of the suite shares.
 * {@link NpyReaderFuzzTest} checks the same properties in-process over numpy's fixtures and the
 * regression inputs (the files under {@code NpyReaderFuzzTargetInputs/readsOrRefuses} in the test
 * resources, each an input that once broke one of them), and fuzzes this target for a bounded
 * time in a child JVM. {@code docs/fuzzing.md} tells how to fuzz longer.
 */
class NpyReaderFuzzTarget {
  /**
   * What one read may allocate beyond the input's size. A header is at most
   * {@link NpyHeader#MAX_HEADER_SIZE} bytes, and parsing the costliest one (thousands of one-digit
   * integers) allocates well under this; a read that honoured what a header claims (its shape,
   * its length field of up to 4 GiB) would allocate far more.
   */
  static final long FIXED_ALLOCATION_BUDGET = 2L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  // Small buffers, so that even the fuzzer's short inputs cross chunk boundaries.
  private static final NpyReader KNOWN_LENGTH = new NpyReader(64);
  private static final NpyReader UNKNOWN_LENGTH = new NpyReader(64);

  static {
    THREADS.setThreadAllocatedMemoryEnabled(true);
  }

  @DictionaryEntries({"{'descr': '", "'fortran_order': ", "'shape': (", ", }",
      "True", "False", "None", "<f8", ">f8", "<f4", "<f2", "|u1", "<u8", ">i4", "<i2", "|b1", "<c16",
      "|O", "9223372036854775807", "-1", "_", "\\x", "\\u", ",)", "L"})
  @FuzzTest(maxDuration = "10m")
  void readsOrRefuses(byte[] bytes) {
    check(bytes);
  }

  /**
   * Reads {@code bytes} twice: with the length known, and as a stream of unknown length that hands
   * out a few bytes a call. Both must agree, and neither may throw anything but the format
   * exception nor allocate beyond the budget.
   */
  static void check(byte[] bytes) {
    Outcome known = read(KNOWN_LENGTH, () -> new ByteArrayInputStream(bytes), bytes.length, bytes.length);
    Outcome trickled = read(UNKNOWN_LENGTH, () -> new Trickle(bytes), -1, bytes.length);
    if (known.refusal() != null) {
      assertThat(trickled.refusal())
          .as("refused with the length known (%s), so refused without it", known.refusal())
          .isNotNull();
      return;
    }
    assertThat(trickled.refusal()).as("read with the length known, so read without it").isNull();
    assertThat(trickled.count()).isEqualTo(known.count());
    assertThat(Double.doubleToLongBits(trickled.sum()))
        .as("the same values in the same order")
        .isEqualTo(Double.doubleToLongBits(known.sum()));
  }

  /** What a read came to: the values seen, or why the bytes were refused. */
  record Outcome(long count, double sum, String refusal, long allocated) {}

  /**
   * Reads and measures. The first run of a code path in a JVM also loads, links (and under the
   * fuzzer instruments) classes, which allocates megabytes once; an over-budget read is therefore
   * repeated, and only the repeat, which pays just the read itself, must stay within the budget.
   */
  private static Outcome read(NpyReader reader, Supplier<InputStream> in, long fileLength,
      int inputSize) {
    Outcome first = readOnce(reader, in.get(), fileLength);
    if (first.allocated() <= FIXED_ALLOCATION_BUDGET + inputSize) {
      return first;
    }
    Outcome again = readOnce(reader, in.get(), fileLength);
    assertThat(again.allocated())
        .as("bytes allocated reading a %,d-byte input", inputSize)
        .isLessThanOrEqualTo(FIXED_ALLOCATION_BUDGET + inputSize);
    assertThat(again).as("the same bytes read twice").isEqualTo(
        new Outcome(first.count(), first.sum(), first.refusal(), again.allocated()));
    return again;
  }

  private static Outcome readOnce(NpyReader reader, InputStream in, long fileLength) {
    long[] count = {0};
    double[] sum = {0};
    NpyReader.ChunkConsumer consumer = (values, n) -> {
      for (int i = 0; i < n; i++) {
        sum[0] += values[i];
      }
      count[0] += n;
    };
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      NpyHeader header = reader.read(in, fileLength, consumer);
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertThat(count[0]).as("values handed over for %s", header).isEqualTo(header.elementCount());
      return new Outcome(count[0], sum[0], null, allocated);
    } catch (NpyFormatException e) {
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertThat(e.getMessage()).as("a refusal says why")
          .isNotBlank()
          .doesNotContain("null")
          .doesNotContainPattern("\\p{Cc}|\\p{Cf}|\\u2028|\\u2029")
          .doesNotContainPattern("needs -[0-9]");
      return new Outcome(count[0], sum[0], e.getMessage(), allocated);
    } catch (IOException e) {
      throw new AssertionError("an in-memory stream cannot fail: " + e, e);
    }
  }

  /** The bytes one read allocates, measured after a first read has paid for class loading. */
  static long allocatedByOneRead(byte[] bytes) {
    readOnce(KNOWN_LENGTH, new ByteArrayInputStream(bytes), bytes.length);
    return readOnce(KNOWN_LENGTH, new ByteArrayInputStream(bytes), bytes.length).allocated();
  }

  /** A stream of unknown length whose reads return 1 to 7 bytes, as a network store's may. */
  private static final class Trickle extends InputStream {
    private final byte[] bytes;
    private int pos;

    Trickle(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + pos % 7), bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
