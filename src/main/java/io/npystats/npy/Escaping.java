package io.npystats.npy;

import java.util.function.IntFunction;

/** Text with some characters written another way, for a message or a line-based protocol. */
public final class Escaping {
  private Escaping() {}

  /**
   * {@code text} with each character for which {@code replacement} gives a string replaced by
   * it; {@code text} itself when there is none, so that the common case allocates nothing.
   *
   * @param replacement a character's replacement, or null to keep it
   */
  public static String replace(String text, IntFunction<String> replacement) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replaced = replacement.apply(c);
      if (replaced != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replaced != null) {
          out.append(replaced);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }
}
