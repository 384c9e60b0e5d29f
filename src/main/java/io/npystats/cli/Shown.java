package io.npystats.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How values look to a person: numbers rounded to {@value #DIGITS} significant digits in one
 * notation, local paths without {@code file:}. Files for programs (CSV, JSON, the tables) keep
 * every digit and the qualified path.
 */
final class Shown {
  static final int DIGITS = 6;
  private static final MathContext ROUNDED = new MathContext(DIGITS, RoundingMode.HALF_EVEN);

  private Shown() {}

  /**
   * {@code value} to {@value #DIGITS} significant digits, trailing zeros dropped: plain from
   * 0.0001 up to a billion, in scientific notation ({@code 5.45917e-05}) beyond.
   */
  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == 0) {
      return "0";
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 1e-4 && magnitude < 1e9) {
      String plain = new BigDecimal(value).round(ROUNDED).stripTrailingZeros().toPlainString();
      return plain.equals("-0") ? "0" : plain;
    }
    String scientific = String.format(Locale.ROOT, "%." + (DIGITS - 1) + "e", value);
    int e = scientific.indexOf('e');
    String mantissa = scientific.substring(0, e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + scientific.substring(e);
  }

  /**
   * A duration in seconds: to the millisecond under a second, where 10 ms is a large share of a
   * job (one large file in two splits takes some 0.14 s) and a ratio of two such times would
   * otherwise carry the rounding; to the hundredth above.
   */
  static String seconds(double seconds) {
    return String.format(Locale.ROOT, Math.abs(seconds) < 0.9995 ? "%.3f" : "%.2f", seconds);
  }

  /** A path as a person would type it: a local one without {@code file:}. */
  static String path(String path) {
    if (path.startsWith("file:///")) {
      return path.substring("file://".length());
    }
    if (path.startsWith("file:/")) {
      return path.substring("file:".length());
    }
    return path;
  }
}
