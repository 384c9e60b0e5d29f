package io.npystats.npy;

/** IEEE 754 binary16 to double; Java 17 has no {@code Float.float16ToFloat}. */
final class Half {
  private Half() {}

  static double toDouble(short bits) {
    int sign = (bits & 0x8000) != 0 ? -1 : 1;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    if (exponent == 0) {
      return sign * Math.scalb((double) mantissa, -24);
    }
    return sign * Math.scalb((double) (mantissa | 0x400), exponent - 25);
  }
}
