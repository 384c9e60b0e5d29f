package io.npystats.npy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literal subset that {@code .npy} headers are written in (dicts, tuples,
 * lists, strings, integers, booleans, None), as numpy's {@code ast.literal_eval} accepts it.
 * Nothing is ever evaluated: a name, call or operator is a parse error.
 */
final class PyLiteral {
  /** A Python tuple, kept apart from a list because numpy requires the shape to be a tuple. */
  record Tuple(List<Object> items) {}

  /** Python's {@code None}. */
  enum None {
    NONE
  }

  private static final int MAX_DEPTH = 16;

  private final String text;
  private int pos;

  private PyLiteral(String text) {
    this.text = text;
  }

  static Object parse(String text) throws NpyFormatException {
    PyLiteral parser = new PyLiteral(text);
    Object value = parser.value(0);
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw parser.error("end of the header");
    }
    return value;
  }

  /**
   * A parsed value as Python prints it, for messages: {@code [('a', '<f8'), ('b', '<i4')]}, not
   * Java's {@code [Tuple[items=[a, <f8]], ...]}.
   */
  static String repr(Object value) {
    if (value instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value == None.NONE) {
      return "None";
    }
    if (value instanceof Tuple t) {
      return t.items().size() == 1 ? "(" + repr(t.items().get(0)) + ",)" : join("(", t.items(), ")");
    }
    if (value instanceof List<?> list) {
      return join("[", list, "]");
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : map.entrySet()) {
        b.append(b.length() > 1 ? ", " : "").append(repr(e.getKey())).append(": ")
            .append(repr(e.getValue()));
      }
      return b.append('}').toString();
    }
    return String.valueOf(value);
  }

  private static String join(String open, List<?> items, String close) {
    StringBuilder b = new StringBuilder(open);
    for (int i = 0; i < items.size(); i++) {
      b.append(i > 0 ? ", " : "").append(repr(items.get(i)));
    }
    return b.append(close).toString();
  }

  private Object value(int depth) throws NpyFormatException {
    if (depth > MAX_DEPTH) {
      throw new NpyFormatException("header nests deeper than " + MAX_DEPTH + " levels");
    }
    skipSpace();
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return dict(depth);
      case '(':
        return sequence(depth, ')');
      case '[':
        return new ArrayList<>(((Tuple) sequence(depth, ']')).items());
      case '\'':
      case '"':
        return string();
      default:
        break;
    }
    if (c == '-' || c == '+' || isDigit(c)) {
      return integer();
    }
    if (text.startsWith("True", pos)) {
      return keyword("True", Boolean.TRUE);
    }
    if (text.startsWith("False", pos)) {
      return keyword("False", Boolean.FALSE);
    }
    if (text.startsWith("None", pos)) {
      return keyword("None", None.NONE);
    }
    throw error("a literal");
  }

  private Object keyword(String word, Object value) throws NpyFormatException {
    int end = pos + word.length();
    if (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
      throw error("a literal");
    }
    pos = end;
    return value;
  }

  private Map<Object, Object> dict(int depth) throws NpyFormatException {
    pos++; // '{'
    Map<Object, Object> map = new LinkedHashMap<>();
    while (true) {
      skipSpace();
      if (peek('}')) {
        pos++;
        return map;
      }
      Object key = value(depth + 1);
      skipSpace();
      expect(':');
      Object val = value(depth + 1);
      if (map.put(key, val) != null) {
        throw new NpyFormatException("header repeats the key " + repr(key));
      }
      skipSpace();
      if (peek(',')) {
        pos++;
      } else if (!peek('}')) {
        throw error("',' or '}'");
      }
    }
  }

  /** Parses {@code (...)} or {@code [...]}; a parenthesised single item without a comma is that item. */
  private Object sequence(int depth, char close) throws NpyFormatException {
    pos++;
    List<Object> items = new ArrayList<>();
    boolean sawComma = false;
    while (true) {
      skipSpace();
      if (peek(close)) {
        pos++;
        break;
      }
      items.add(value(depth + 1));
      skipSpace();
      if (peek(',')) {
        pos++;
        sawComma = true;
      } else if (!peek(close)) {
        throw error("',' or '" + close + "'");
      }
    }
    if (close == ')' && items.size() == 1 && !sawComma) {
      return items.get(0);
    }
    return new Tuple(items);
  }

  private String string() throws NpyFormatException {
    char quote = text.charAt(pos++);
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return out.toString();
      }
      if (c == '\n') {
        break;
      }
      if (c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case '0' -> out.append('\0');
          case 'x' -> out.append((char) hex(2));
          case 'u' -> out.append((char) hex(4));
          default -> out.append(e);
        }
      } else {
        out.append(c);
      }
    }
    throw new NpyFormatException("header has an unterminated string starting near offset " + pos);
  }

  private int hex(int digits) throws NpyFormatException {
    if (pos + digits > text.length()) {
      throw error("an escape of " + digits + " hex digits");
    }
    // Digit by digit: Integer.parseInt would also take a sign, and '\\x+8' is no escape in Python.
    int value = 0;
    for (int i = 0; i < digits; i++) {
      char c = text.charAt(pos + i);
      int digit = c < 0x80 ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        throw error("an escape of " + digits + " hex digits");
      }
      value = value * 16 + digit;
    }
    pos += digits;
    return value;
  }

  private BigInteger integer() throws NpyFormatException {
    int start = pos;
    if (peek('-') || peek('+')) {
      pos++;
    }
    int digitsStart = pos;
    while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    if (pos == digitsStart || pos - digitsStart > 40) {
      pos = start;
      throw error("an integer of at most 40 digits");
    }
    // As in Python, an underscore only ever stands between two digits: '-_' and '1__0' are no
    // integers (and '-_' would leave BigInteger nothing but a sign).
    String run = text.substring(digitsStart, pos);
    if (!isDigit(run.charAt(0)) || !isDigit(run.charAt(run.length() - 1)) || run.contains("__")) {
      pos = start;
      throw error("an integer");
    }
    String digits = text.substring(start, pos).replace("_", "");
    // Python 2 era writers suffixed long integers with L; numpy still strips it for old versions.
    if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
      pos++;
    }
    if (pos < text.length() && (text.charAt(pos) == '.' || Character.isLetter(text.charAt(pos)))) {
      pos = start;
      throw error("an integer");
    }
    return new BigInteger(digits);
  }

  /** Python's integer literals are ASCII: Character.isDigit would also take '٣' or '３'. */
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) throws NpyFormatException {
    if (!peek(c)) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private NpyFormatException error(String expected) {
    String found;
    if (pos >= text.length()) {
      found = "the end of the header";
    } else {
      int end = Math.min(text.length(), pos + 20);
      found = "'" + text.substring(pos, end).replace("\n", "\\n") + "'";
    }
    return new NpyFormatException(
        "header is not a Python literal: expected " + expected + " at offset " + pos + ", found "
            + found + " (headers are parsed, never evaluated)");
  }
}
