package io.npystats.npy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header of a {@code .npy} file, as numpy's {@code numpy/lib/_format_impl.py} defines it.
 *
 * <pre>
 * offset 0   6 bytes   magic  \x93NUMPY
 * offset 6   1 byte    major version (1, 2 or 3)
 * offset 7   1 byte    minor version (0)
 * offset 8   2 bytes   header length, little-endian uint16 (version 1)
 *            4 bytes   header length, little-endian uint32 (versions 2 and 3)
 * then       header    a Python dict literal with exactly the keys descr, fortran_order, shape;
 *                      latin-1 (versions 1, 2) or UTF-8 (version 3), padded with spaces and a
 *                      final newline so that the data starts on a 64-byte boundary
 * then       data      shape's product elements of descr, C or Fortran order
 * </pre>
 */
public final class NpyHeader {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** numpy's {@code max_header_size}: longer headers are refused before they are parsed. */
  public static final int MAX_HEADER_SIZE = 10_000;
  /** numpy aligns the data to this many bytes. */
  static final int ALIGN = 64;
  /** The magic, the version and a version 1.0 length field: the bytes before any header. */
  static final int SHORTEST_PREAMBLE = 10;

  private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

  private final int majorVersion;
  private final NpyDtype dtype;
  private final boolean fortranOrder;
  private final long[] shape;
  private final long elementCount;
  private final long dataOffset;
  /** Made once: a header is shared by the files that have its bytes, and each row shows it. */
  private final String shapeText;

  private NpyHeader(
      int majorVersion, NpyDtype dtype, boolean fortranOrder, long[] shape, long dataOffset)
      throws NpyFormatException {
    this.majorVersion = majorVersion;
    this.dtype = dtype;
    this.fortranOrder = fortranOrder;
    this.shape = shape.clone();
    this.dataOffset = dataOffset;
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new NpyFormatException("shape " + shapeString(shape) + " has a negative dimension");
      }
      try {
        count = Math.multiplyExact(count, dim);
        // The whole file's length must be a long too, or the length check would wrap around.
        Math.addExact(dataOffset, Math.multiplyExact(count, (long) dtype.itemSize()));
      } catch (ArithmeticException e) {
        throw new NpyFormatException(
            "shape " + shapeString(shape) + " has more elements than any file can hold");
      }
    }
    this.elementCount = count;
    this.shapeText = shapeString(shape);
  }

  /** A version 1.0 header for a 1-D little-endian float64 array, as {@code np.save} writes it. */
  public static NpyHeader float64Vector(long length) {
    try {
      long[] shape = {length};
      return new NpyHeader(1, NpyDtype.FLOAT64_LE, false, shape, encodedLength(NpyDtype.FLOAT64_LE, false, shape));
    } catch (NpyFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public int majorVersion() {
    return majorVersion;
  }

  public NpyDtype dtype() {
    return dtype;
  }

  public boolean fortranOrder() {
    return fortranOrder;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements: the product of the shape, 1 for a 0-d array. */
  public long elementCount() {
    return elementCount;
  }

  /** Where the data starts: magic, version, length field and header together. */
  public long dataOffset() {
    return dataOffset;
  }

  public long dataLength() {
    return elementCount * dtype.itemSize();
  }

  /** The file length the header implies; longer files are read like numpy, ignoring the tail. */
  public long expectedFileLength() {
    return dataOffset + dataLength();
  }

  /** The shape as numpy prints it: {@code (3,)}, {@code (2, 3)}, {@code ()}. */
  public String shapeString() {
    return shapeText;
  }

  static String shapeString(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      b.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return b.append(')').toString();
  }

  /**
   * Reads the preamble and header from {@code in}, leaving it positioned at the first data byte.
   * Never allocates more than {@link #MAX_HEADER_SIZE} bytes, whatever the length field says.
   */
  public static NpyHeader read(InputStream in) throws IOException {
    // The preamble and a version 1.0 length field in one read, as np.save writes most files: each
    // read is a system call, a cost that a file of a few kilobytes pays for every one of them.
    byte[] preamble = new byte[10];
    int got = readFully(in, preamble, 0, preamble.length);
    if (got == 0) {
      throw new NpyFormatException("file is empty: expected the .npy magic \\x93NUMPY, found 0 bytes");
    }
    if (got < 6 || !Arrays.equals(Arrays.copyOf(preamble, 6), MAGIC)) {
      throw new NpyFormatException(
          "not a .npy file: expected the magic \\x93NUMPY, found " + printable(preamble, got));
    }
    if (got < 8) {
      throw new NpyFormatException("file ends inside the format version, after " + got + " bytes");
    }
    int major = preamble[6] & 0xff;
    int minor = preamble[7] & 0xff;
    if (minor != 0 || major < 1 || major > 3) {
      throw new NpyFormatException(
          "format version " + major + "." + minor + " is not one of 1.0, 2.0, 3.0");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    byte[] lengthField = Arrays.copyOfRange(preamble, 8, 8 + lengthBytes);
    if (got < preamble.length
        || readFully(in, lengthField, 2, lengthBytes - 2) < lengthBytes - 2) {
      throw new NpyFormatException("file ends inside the header length field");
    }
    long headerLength = 0;
    for (int i = lengthBytes - 1; i >= 0; i--) {
      headerLength = (headerLength << 8) | (lengthField[i] & 0xff);
    }
    if (headerLength > MAX_HEADER_SIZE) {
      throw new NpyFormatException(
          "header length " + headerLength + " is over numpy's max_header_size of "
              + MAX_HEADER_SIZE + " bytes");
    }
    byte[] header = new byte[(int) headerLength];
    int headerGot = readFully(in, header, 0, header.length);
    if (headerGot < header.length) {
      throw new NpyFormatException(
          "file ends inside the header: header length says " + headerLength + " bytes, found "
              + headerGot);
    }
    Parsed last = lastParsed;
    if (last != null && last.major() == major && Arrays.equals(last.prefix(), 8 + lengthBytes,
        last.prefix().length, header, 0, header.length)) {
      return last.header();
    }
    Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    String text = new String(header, charset);
    long dataOffset = 8L + lengthBytes + headerLength;
    NpyHeader parsed = fromDict(major, PyLiteral.parse(text), dataOffset);
    byte[] prefix = Arrays.copyOf(preamble, (int) dataOffset);
    System.arraycopy(lengthField, 0, prefix, 8, lengthBytes);
    System.arraycopy(header, 0, prefix, 8 + lengthBytes, header.length);
    lastParsed = new Parsed(major, prefix, parsed);
    return parsed;
  }

  /**
   * The header of the file whose first bytes {@code bytes} holds from its position, where they
   * are, byte for byte, those of the last header that parsed (its magic, version, length field
   * and dict): the buffer is then left at the first data byte. Null otherwise, with the buffer
   * as it was, for {@link #read} to read. The files of a data set of small files mostly share a
   * header, and this takes it without copying its bytes out or making a stream of them.
   */
  public static NpyHeader sameAsLast(ByteBuffer bytes) {
    Parsed last = lastParsed;
    if (last == null) {
      return null;
    }
    ByteBuffer prefix = last.prefixBytes();
    int start = bytes.position();
    int limit = bytes.limit();
    int end = start + prefix.remaining();
    if (limit < end) {
      return null;
    }
    // One bulk comparison: byte by byte, a direct buffer's checks on every byte cost a tenth of
    // what a small file's header took. The buffer's own limit bounds it, rather than a view made
    // for every file.
    bytes.limit(end);
    boolean same = bytes.mismatch(prefix) < 0;
    bytes.limit(limit);
    if (same) {
      bytes.position(end);
    }
    return same ? last.header() : null;
  }

  /**
   * A header that parsed, with every byte before its data: the magic, the version, the length
   * field and the dict it was parsed from.
   *
   * @param prefixBytes those bytes, read only, for every thread to compare with: a bulk
   *     comparison leaves its position where it is
   */
  private record Parsed(int major, byte[] prefix, NpyHeader header, ByteBuffer prefixBytes) {
    Parsed(int major, byte[] prefix, NpyHeader header) {
      this(major, prefix, header, ByteBuffer.wrap(prefix).asReadOnlyBuffer());
    }
  }

  /**
   * The last header that parsed, in any thread. The files of a data set mostly share one header,
   * byte for byte, and comparing some hundred bytes costs far less than parsing the dict literal
   * again (its integers as {@code BigInteger}s): for a file of a few kilobytes the parse was a
   * tenth of the time. A header is immutable and a function of its bytes and version alone, so
   * sharing it gives the same header a parse would; only one that parsed is kept, so a bad header
   * is refused with its reason every time.
   */
  private static volatile Parsed lastParsed;

  private static NpyHeader fromDict(int major, Object literal, long dataOffset)
      throws NpyFormatException {
    if (!(literal instanceof Map<?, ?> dict)) {
      throw new NpyFormatException("header is not a dict literal");
    }
    if (!dict.keySet().equals(KEYS)) {
      throw new NpyFormatException(
          "header keys are " + dict.keySet() + ", expected exactly [descr, fortran_order, shape]");
    }
    Object descr = dict.get("descr");
    if (descr instanceof List<?> || descr instanceof PyLiteral.Tuple) {
      throw new NpyFormatException(
          "structured dtype " + PyLiteral.repr(descr) + " is refused: records have no single mean or standard deviation");
    }
    if (!(descr instanceof String descrText)) {
      throw new NpyFormatException("descr is " + PyLiteral.repr(descr) + ", expected a type string such as '<f8'");
    }
    NpyDtype dtype = NpyDtype.parse(descrText);
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new NpyFormatException(
          "fortran_order is " + PyLiteral.repr(dict.get("fortran_order")) + ", expected True or False");
    }
    if (!(dict.get("shape") instanceof PyLiteral.Tuple tuple)) {
      throw new NpyFormatException("shape is " + PyLiteral.repr(dict.get("shape")) + ", expected a tuple of integers");
    }
    long[] shape = new long[tuple.items().size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(tuple.items().get(i) instanceof BigInteger dim)) {
        throw new NpyFormatException("shape has " + PyLiteral.repr(tuple.items().get(i)) + ", expected integers");
      }
      if (dim.bitLength() > 63) {
        throw new NpyFormatException("shape dimension " + dim + " is larger than any file");
      }
      shape[i] = dim.longValue();
    }
    return new NpyHeader(major, dtype, fortran, shape, dataOffset);
  }

  /** The bytes numpy's {@code np.save} writes before the data of a version 1.0 file. */
  public byte[] encode() {
    String dict = dictText(dtype, fortranOrder, shape);
    int total = (int) encodedLength(dtype, fortranOrder, shape);
    byte[] out = new byte[total];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    int headerLength = total - 10;
    out[8] = (byte) headerLength;
    out[9] = (byte) (headerLength >>> 8);
    byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(text, 0, out, 10, text.length);
    Arrays.fill(out, 10 + text.length, total - 1, (byte) ' ');
    out[total - 1] = '\n';
    return out;
  }

  private static String dictText(NpyDtype dtype, boolean fortranOrder, long[] shape) {
    return "{'descr': '" + dtype.descr() + "', 'fortran_order': "
        + (fortranOrder ? "True" : "False") + ", 'shape': " + shapeString(shape) + ", }";
  }

  private static long encodedLength(NpyDtype dtype, boolean fortranOrder, long[] shape) {
    // numpy pads with spaces so that magic + version + length + dict + '\n' is a multiple of 64.
    int unpadded = 10 + dictText(dtype, fortranOrder, shape).length() + 1;
    return ((unpadded + ALIGN - 1) / ALIGN) * (long) ALIGN;
  }

  /** Reads until {@code len} bytes or end of stream; a short {@code read} is not the end. */
  static int readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(buf, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static String printable(byte[] bytes, int length) {
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < Math.min(length, 6); i++) {
      int c = bytes[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        b.append((char) c);
      } else {
        b.append(String.format("\\x%02x", c));
      }
    }
    return b.append("'").toString();
  }

  @Override
  public String toString() {
    return "NpyHeader{version " + majorVersion + ".0, descr " + dtype.descr() + ", fortran_order "
        + fortranOrder + ", shape " + shapeString() + "}";
  }
}
