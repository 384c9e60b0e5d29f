package io.npystats.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JVM options of each kind of npystats JVM, from conf/jvm-options.conf (which says why each
 * one is there), read from the copy the jar carries.
 */
public final class JvmOptions {
  static final String RESOURCE = "jvm-options.conf";
  static final String DIRECTIVES_FILE = "-XX:CompilerDirectivesFile=";

  /** The system this JVM runs on, as a line's {@code SYSTEM:} names it ({@code linux}). */
  static final String THIS_SYSTEM = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);

  /**
   * One line: its option, for the JVMs it names, on the system it names in lower case (null: on
   * any).
   */
  private record Line(String system, List<String> jvms, String option) {}

  private final List<Line> lines;

  private JvmOptions(List<Line> lines) {
    this.lines = lines;
  }

  /** The policy the application was built with. */
  public static JvmOptions bundled() {
    return Bundled.POLICY;
  }

  private static final class Bundled {
    static final JvmOptions POLICY = load();
  }

  private static JvmOptions load() {
    try (InputStream in = JvmOptions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path beside "
            + JvmOptions.class.getName() + ": the build did not copy it from conf/");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** Parses the policy file's text; {@code source} names it in errors. */
  public static JvmOptions parse(String text, String source) {
    List<Line> lines = new ArrayList<>();
    String[] textLines = text.split("\n", -1);
    for (int number = 1; number <= textLines.length; number++) {
      String trimmed = textLines[number - 1].strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      String option = equals < 0 ? "" : trimmed.substring(equals + 1).strip();
      String jvms = equals < 0 ? "" : trimmed.substring(0, equals);
      int colon = jvms.indexOf(':');
      String system = colon < 0 ? null : jvms.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      if (equals <= 0 || option.isEmpty() || "".equals(system)) {
        throw new IllegalArgumentException(source + " line " + number
            + ": expected '[SYSTEM:] JVMS = OPTION', got '" + trimmed + "'");
      }
      List<String> names = new ArrayList<>();
      for (String jvm : jvms.substring(colon + 1).split(",")) {
        names.add(jvm.strip());
      }
      lines.add(new Line(system, List.copyOf(names), option));
    }
    return new JvmOptions(lines);
  }

  /**
   * The options of JVM {@code jvm} (stats-child, generate-child, executor, or a command's
   * driver) on this system, in the file's order, with {conf} left as it is.
   */
  public List<String> forJvm(String jvm) {
    return forJvm(jvm, THIS_SYSTEM);
  }

  /**
   * {@link #forJvm(String)} on {@code system} ({@code os.name} in lower case): a line that names
   * a system applies where {@code system} starts with that name.
   */
  List<String> forJvm(String jvm, String system) {
    List<String> options = new ArrayList<>();
    for (Line line : lines) {
      if (line.jvms().contains(jvm)
          && (line.system() == null || system.startsWith(line.system()))) {
        options.add(line.option());
      }
    }
    return List.copyOf(options);
  }
}
