package io.npystats.engine;

import io.npystats.npy.Escaping;
import io.npystats.task.Column;
import io.npystats.task.Columns;
import io.npystats.task.FileSummary;
import io.npystats.task.GeneratedFile;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * The text a child process and its parent exchange, version 2: UTF-8 lines of tab-separated
 * fields. In a text field a backslash, tab, line feed and carriage return are written {@code \\},
 * {@code \t}, {@code \n} and {@code \r}, and a missing value is {@code \N}. A double is written in
 * Java's shortest round-trip form, so it crosses the pipe bit for bit, NaN and infinities too.
 *
 * <p>Parent to child, on the child's standard input:
 *
 * <pre>
 * npystats-child  1
 * conf   BASE64                   the Hadoop configuration, in its own Writable form
 * work   stats                    or: work  generate  DIR  SEED  SAMPLES
 * item   PATH-OR-INDEX            one a file, in order
 * end    ITEMS
 * </pre>
 *
 * <p>Child to parent, on the child's standard output, which nothing else writes to:
 *
 * <pre>
 * npystats-child  1  ready  ITEMS    once its file system is open
 * result  I  FIELDS...               one a file, I = 0, 1, 2, ... in item order
 * done    ITEMS  CPU-NANOSECONDS     after the last result
 * </pre>
 *
 * <p>The fields of a result are the columns of {@link FileSummary#COLUMNS} or {@link
 * GeneratedFile#COLUMNS}, in order ({@link Work#resultColumns}); a work line's parameters are
 * {@link Work#parameters}.
 */
final class ChildProtocol {
  static final String MAGIC = "npystats-child";
  static final int VERSION = 2;
  static final String READY = "ready";
  static final String RESULT = "result";
  static final String DONE = "done";

  private static final String CONF = "conf";
  private static final String WORK = "work";
  private static final String ITEM = "item";
  private static final String END = "end";
  private static final String NULL = "\\N";
  /** What {@link Double#toString} writes, and nothing else: no hex, no suffix, no blanks. */
  private static final Pattern DOUBLE = Pattern.compile("-?(NaN|Infinity|[0-9]+\\.[0-9]+(E-?[0-9]+)?)");

  /** A line that is not what the protocol allows at that point; the message says both. */
  static final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
      super(message);
    }
  }

  /** What a child is given. */
  record Input(Configuration conf, Work<?> work) {}

  private ChildProtocol() {}

  // ---- parent to child

  static void writeInput(Writer out, String conf, Work<?> work) throws IOException {
    out.write(MAGIC + "\t" + VERSION + "\n");
    out.write(CONF + "\t" + conf + "\n");
    out.write(workLine(work) + "\n");
    for (int i = 0; i < work.size(); i++) {
      out.write(ITEM + "\t" + escape(work.item(i)) + "\n");
    }
    out.write(END + "\t" + work.size() + "\n");
    out.flush();
  }

  private static String workLine(Work<?> work) {
    StringBuilder b = new StringBuilder(WORK).append('\t').append(work.phase().label());
    for (String parameter : work.parameters()) {
      b.append('\t').append(escape(parameter));
    }
    return b.toString();
  }

  static String encodeConf(Configuration conf) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      conf.write(out);
    } catch (IOException e) {
      throw new IllegalStateException("could not write the Hadoop configuration: " + e.getMessage(), e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  static Input readInput(BufferedReader in) throws IOException, ProtocolException {
    String[] magic = fields(next(in, "the first line"));
    if (magic.length != 2 || !MAGIC.equals(magic[0])) {
      throw new ProtocolException("expected '" + MAGIC + "\\t" + VERSION + "' as the first line, found '"
          + String.join("\\t", magic) + "'");
    }
    if (!Integer.toString(VERSION).equals(magic[1])) {
      throw new ProtocolException("protocol version " + magic[1] + " is not " + VERSION);
    }
    String[] conf = expect(in, CONF, 2);
    Configuration configuration = new Configuration(false);
    try (DataInputStream data = new DataInputStream(
        new ByteArrayInputStream(Base64.getDecoder().decode(conf[1])))) {
      configuration.readFields(data);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("the configuration is not base64: " + e.getMessage());
    }
    String[] work = fields(next(in, "the work line"));
    List<String> items = new ArrayList<>();
    String[] line;
    while ((line = fields(next(in, "an item or the end line")))[0].equals(ITEM)) {
      arity(line, 2);
      items.add(unescape(line[1]));
    }
    if (!line[0].equals(END) || line.length != 2) {
      throw new ProtocolException("expected 'item' or 'end' lines, found '" + line[0] + "'");
    }
    if (parseLong(line[1], "item count") != items.size()) {
      throw new ProtocolException("end line says " + line[1] + " items, " + items.size() + " came");
    }
    return new Input(configuration, work(work, items));
  }

  private static Work<?> work(String[] work, List<String> items) throws ProtocolException {
    if (!work[0].equals(WORK) || work.length < 2) {
      throw new ProtocolException("expected the work line, found '" + work[0] + "'");
    }
    List<String> parameters = new ArrayList<>();
    for (int i = 2; i < work.length; i++) {
      parameters.add(unescape(work[i]));
    }
    Phase phase = Arrays.stream(Phase.values()).filter(p -> p.label().equals(work[1])).findFirst()
        .orElseThrow(() -> new ProtocolException("unknown work '" + work[1]
            + "', expected stats or generate"));
    return switch (phase) {
      case STATS -> StatsWork.fromWire(parameters, items);
      case GENERATE -> GenerateWork.fromWire(parameters, items);
    };
  }

  /** Checks that a work line of {@code phase} has {@code count} parameters. */
  static void expectParameters(Phase phase, List<String> parameters, int count)
      throws ProtocolException {
    if (parameters.size() != count) {
      throw new ProtocolException("a '" + WORK + " " + phase.label() + "' line has " + count
          + " parameters, found " + parameters.size());
    }
  }

  // ---- child to parent

  static String ready(int items) {
    return String.join("\t", MAGIC, Integer.toString(VERSION), READY, Integer.toString(items));
  }

  /** Checks a ready line and returns the item count it announces. */
  static int parseReady(String line) throws ProtocolException {
    String[] f = fields(line);
    if (f.length != 4 || !MAGIC.equals(f[0]) || !READY.equals(f[2])) {
      throw new ProtocolException("expected '" + MAGIC + " " + VERSION + " ready ITEMS', found '"
          + shorten(line) + "'");
    }
    if (!Integer.toString(VERSION).equals(f[1])) {
      throw new ProtocolException("child speaks protocol version " + f[1] + ", not " + VERSION);
    }
    return (int) parseLong(f[3], "item count");
  }

  static <R> String result(Work<R> work, int item, R result) {
    StringBuilder b = new StringBuilder(256).append(RESULT).append('\t').append(item);
    for (Column<R> column : work.resultColumns().all()) {
      Object value = column.get(result);
      b.append('\t');
      if (value == null) {
        b.append(NULL);
      } else if (column.type() == Column.Type.TEXT) {
        b.append(escape((String) value));
      } else {
        b.append(value); // a double in its shortest round-trip form
      }
    }
    return b.toString();
  }

  /**
   * Parses result line {@code expectedItem} of {@code work} and checks that it is the result of
   * that item: the same path, or the same file index.
   */
  static <R> R parseResult(Work<R> work, int expectedItem, String line) throws ProtocolException {
    String[] f = fields(line);
    if (!f[0].equals(RESULT)) {
      throw new ProtocolException("expected a result line, found '" + shorten(line) + "'");
    }
    Columns<R> columns = work.resultColumns();
    if (f.length != columns.size() + 2) {
      throw new ProtocolException("a " + work.phase().label() + " result has " + (columns.size() + 2)
          + " fields, this line has " + f.length + ": '" + shorten(line) + "'");
    }
    long item = parseLong(f[1], "item number");
    if (item != expectedItem) {
      throw new ProtocolException("expected the result of item " + expectedItem + ", found item "
          + f[1]);
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = parse(columns.all().get(i), f[i + 2]);
    }
    R result = columns.create(values);
    if (!work.item(expectedItem).equals(work.itemOf(result))) {
      throw new ProtocolException("result " + expectedItem + " is for " + work.itemOf(result)
          + ", expected " + work.item(expectedItem));
    }
    return result;
  }

  private static Object parse(Column<?> column, String field) throws ProtocolException {
    return switch (column.type()) {
      case TEXT -> unescapeNullable(field);
      case INT -> parseInt(field, column.name());
      case LONG -> parseLong(field, column.name());
      case DOUBLE -> parseDouble(field, column.name());
      case BOOLEAN -> parseBoolean(field, column.name());
      case TIMESTAMP -> throw new ProtocolException(column.name() + ": a time is not part of the protocol");
    };
  }

  static String done(int items, long cpuNanos) {
    return String.join("\t", DONE, Integer.toString(items), Long.toString(cpuNanos));
  }

  /** Checks a done line against the results received and returns the child's CPU nanoseconds. */
  static long parseDone(String line, int results) throws ProtocolException {
    String[] f = fields(line);
    if (f.length != 3 || !f[0].equals(DONE)) {
      throw new ProtocolException("expected 'done ITEMS CPU-NANOSECONDS', found '" + shorten(line) + "'");
    }
    if (parseLong(f[1], "item count") != results) {
      throw new ProtocolException("done line says " + f[1] + " results, " + results + " came");
    }
    return parseLong(f[2], "CPU nanoseconds");
  }

  // ---- fields

  static String escape(String s) {
    return Escaping.replace(s, c -> switch (c) {
      case '\\' -> "\\\\";
      case '\t' -> "\\t";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      default -> null;
    });
  }

  static String unescape(String s) throws ProtocolException {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i == s.length()) {
        throw new ProtocolException("text ends with a lone backslash: '" + shorten(s) + "'");
      }
      switch (s.charAt(i)) {
        case '\\' -> b.append('\\');
        case 't' -> b.append('\t');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        default -> throw new ProtocolException("unknown escape \\" + s.charAt(i) + " in '"
            + shorten(s) + "'");
      }
    }
    return b.toString();
  }

  private static String unescapeNullable(String s) throws ProtocolException {
    return NULL.equals(s) ? null : unescape(s);
  }

  private static String[] fields(String line) {
    return line.split("\t", -1);
  }

  private static String next(BufferedReader in, String what) throws IOException, ProtocolException {
    String line = in.readLine();
    if (line == null) {
      throw new ProtocolException("input ended before " + what);
    }
    return line;
  }

  private static String[] expect(BufferedReader in, String keyword, int arity)
      throws IOException, ProtocolException {
    String[] f = fields(next(in, "the " + keyword + " line"));
    if (!f[0].equals(keyword)) {
      throw new ProtocolException("expected the " + keyword + " line, found '" + shorten(f[0]) + "'");
    }
    arity(f, arity);
    return f;
  }

  private static void arity(String[] f, int arity) throws ProtocolException {
    if (f.length != arity) {
      throw new ProtocolException("a '" + f[0] + "' line has " + arity + " fields, found " + f.length);
    }
  }

  static long parseLong(String s, String what) throws ProtocolException {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ProtocolException(what + " is not an integer: '" + shorten(s) + "'");
    }
  }

  private static int parseInt(String s, String what) throws ProtocolException {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new ProtocolException(what + " is not an integer of 32 bits: '" + shorten(s) + "'");
    }
  }

  private static double parseDouble(String s, String what) throws ProtocolException {
    if (!DOUBLE.matcher(s).matches()) {
      throw new ProtocolException(what + " is not a number: '" + shorten(s) + "'");
    }
    return Double.parseDouble(s);
  }

  private static boolean parseBoolean(String s, String what) throws ProtocolException {
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ProtocolException(what + " is not true or false: '" + shorten(s) + "'");
    };
  }

  static String shorten(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
