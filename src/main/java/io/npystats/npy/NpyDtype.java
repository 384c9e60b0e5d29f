package io.npystats.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * A numeric numpy dtype as written in a header's {@code descr}: kind, item size and byte order.
 * Only the dtypes whose values are real numbers are representable; every other descr is refused
 * by {@link #parse} with the reason.
 */
public final class NpyDtype {
  /** The kinds of element that have a mean and a standard deviation. */
  public enum Kind {
    BOOL('b'),
    INT('i'),
    UINT('u'),
    FLOAT('f');

    final char code;

    Kind(char code) {
      this.code = code;
    }
  }

  public static final NpyDtype FLOAT64_LE = new NpyDtype(Kind.FLOAT, 8, ByteOrder.LITTLE_ENDIAN);


  private final Kind kind;
  private final int itemSize;
  private final ByteOrder order;
  /** Made once: every file's row names its dtype. */
  private final String descr;

  private NpyDtype(Kind kind, int itemSize, ByteOrder order) {
    this.kind = kind;
    this.itemSize = itemSize;
    this.order = order;
    char prefix = itemSize == 1 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
    this.descr = "" + prefix + kind.code + itemSize;
  }

  public Kind kind() {
    return kind;
  }

  public int itemSize() {
    return itemSize;
  }

  public ByteOrder order() {
    return order;
  }

  /** The descr numpy writes for this dtype, e.g. {@code <f8}, {@code >i4}, {@code |u1}. */
  public String descr() {
    return descr;
  }

  /**
   * Parses a numpy type string such as {@code <f8}. The byte-order mark may be {@code <}, {@code >},
   * {@code |} (not applicable) or {@code =} (native; every platform numpy writes from in practice
   * is little-endian) or absent.
   */
  public static NpyDtype parse(String descr) throws NpyFormatException {
    if (descr.isEmpty()) {
      throw new NpyFormatException("descr is empty, expected a numpy type string such as '<f8'");
    }
    int pos = 0;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    char first = descr.charAt(0);
    if (first == '<' || first == '>' || first == '|' || first == '=') {
      order = first == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      pos = 1;
    }
    if (pos >= descr.length()) {
      throw new NpyFormatException("descr '" + descr + "' is not a numpy dtype");
    }
    char code = descr.charAt(pos);
    String size = descr.substring(pos + 1);
    String refusal = refusalFor(code);
    if (refusal != null) {
      throw new NpyFormatException("dtype '" + descr + "' is refused: " + refusal);
    }
    Kind kind = kindFor(code);
    if (kind == null || !isItemSize(size)) {
      throw new NpyFormatException("descr '" + descr + "' is not a numpy dtype");
    }
    int itemSize = Integer.parseInt(size);
    boolean valid =
        switch (kind) {
          case BOOL -> itemSize == 1;
          case INT, UINT -> itemSize == 1 || itemSize == 2 || itemSize == 4 || itemSize == 8;
          case FLOAT -> itemSize == 2 || itemSize == 4 || itemSize == 8;
        };
    if (!valid) {
      throw new NpyFormatException(
          "descr '" + descr + "' is not a numpy dtype (no " + kind.name().toLowerCase(Locale.ROOT)
              + " of " + itemSize + " bytes)");
    }
    return new NpyDtype(kind, itemSize, order);
  }

  /**
   * One or two ASCII digits. Checked by hand: {@code String.matches} compiles its pattern on every
   * call, and a header is parsed for every file, a large share of the time for a small one.
   */
  private static boolean isItemSize(String size) {
    int length = size.length();
    return (length == 1 || length == 2) && isAsciiDigit(size.charAt(0))
        && isAsciiDigit(size.charAt(length - 1));
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static Kind kindFor(char code) {
    for (Kind kind : Kind.values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    return null;
  }

  private static String refusalFor(char code) {
    return switch (code) {
      case 'O' -> "object arrays hold pickled Python objects; loading them means unpickling, which"
          + " can run code";
      case 'c' -> "complex numbers have no real mean or standard deviation";
      case 'U', 'S', 'a' -> "strings have no mean or standard deviation";
      case 'M', 'm' -> "datetime and timedelta arrays are not numeric samples";
      case 'V' -> "raw void records are not numeric samples";
      default -> null;
    };
  }

  /**
   * Decodes {@code count} elements from {@code src}'s position into {@code out[0..count)} as
   * doubles, the way numpy's {@code astype(float64)} converts them, and advances the position.
   */
  public void decode(ByteBuffer src, int count, double[] out) {
    ByteBuffer b = src.order(order);
    int p = b.position();
    switch (kind) {
      case FLOAT -> {
        switch (itemSize) {
          case 8 -> b.asDoubleBuffer().get(out, 0, count); // a bulk copy where orders agree
          case 4 -> {
            for (int i = 0; i < count; i++) {
              out[i] = b.getFloat(p + 4 * i);
            }
          }
          default -> {
            for (int i = 0; i < count; i++) {
              out[i] = Half.toDouble(b.getShort(p + 2 * i));
            }
          }
        }
      }
      case INT -> {
        switch (itemSize) {
          case 8 -> {
            for (int i = 0; i < count; i++) {
              out[i] = b.getLong(p + 8 * i);
            }
          }
          case 4 -> {
            for (int i = 0; i < count; i++) {
              out[i] = b.getInt(p + 4 * i);
            }
          }
          case 2 -> {
            for (int i = 0; i < count; i++) {
              out[i] = b.getShort(p + 2 * i);
            }
          }
          default -> {
            for (int i = 0; i < count; i++) {
              out[i] = b.get(p + i);
            }
          }
        }
      }
      case UINT -> {
        switch (itemSize) {
          case 8 -> {
            for (int i = 0; i < count; i++) {
              out[i] = unsignedToDouble(b.getLong(p + 8 * i));
            }
          }
          case 4 -> {
            for (int i = 0; i < count; i++) {
              out[i] = Integer.toUnsignedLong(b.getInt(p + 4 * i));
            }
          }
          case 2 -> {
            for (int i = 0; i < count; i++) {
              out[i] = Short.toUnsignedInt(b.getShort(p + 2 * i));
            }
          }
          default -> {
            for (int i = 0; i < count; i++) {
              out[i] = Byte.toUnsignedInt(b.get(p + i));
            }
          }
        }
      }
      case BOOL -> {
        for (int i = 0; i < count; i++) {
          out[i] = b.get(p + i) != 0 ? 1.0 : 0.0;
        }
      }
    }
    b.position(p + count * itemSize);
  }

  /** Rounds a uint64 to the nearest double, as numpy does (halving keeps the sticky bit). */
  static double unsignedToDouble(long value) {
    if (value >= 0) {
      return value;
    }
    return ((value >>> 1) | (value & 1)) * 2.0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyDtype d && d.kind == kind && d.itemSize == itemSize
        && (itemSize == 1 || d.order == order);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + itemSize;
  }

  @Override
  public String toString() {
    return descr();
  }
}
