package io.npystats.npy;

import java.io.IOException;

/**
 * The one exception this package raises for bytes that are not a readable {@code .npy} array.
 * Its message says what was expected and what was found; callers that know the file prefix it
 * with the path.
 *
 * <p>What was found often quotes the file's own header, so the message is kept to one printable
 * line: control and formatting characters (a newline, a terminal escape, a right-to-left
 * override) are written as Python escapes such as {@code \n} or {@code \x1b}.
 */
public final class NpyFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public NpyFormatException(String message) {
    super(printable(message));
  }

  static String printable(String text) {
    return Escaping.replace(text, c -> escape((char) c));
  }

  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    if (Character.isISOControl(c)) {
      return String.format("\\x%02x", (int) c);
    }
    if (c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT) {
      return String.format("\\u%04x", (int) c);
    }
    return null;
  }
}
