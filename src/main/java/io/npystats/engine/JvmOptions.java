package io.npystats.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options of each kind of npystats JVM, from conf/jvm-options.conf (which says why each
 * one is there), read from the copy the jar carries.
 */
public final class JvmOptions {
  static final String RESOURCE = "jvm-options.conf";
  static final String DIRECTIVES_FILE = "-XX:CompilerDirectivesFile=";

  private final List<String[]> lines; // {jvms..., option}: the option last

  private JvmOptions(List<String[]> lines) {
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
    List<String[]> lines = new ArrayList<>();
    String[] textLines = text.split("\n", -1);
    for (int number = 1; number <= textLines.length; number++) {
      String trimmed = textLines[number - 1].strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      String option = equals < 0 ? "" : trimmed.substring(equals + 1).strip();
      if (equals <= 0 || option.isEmpty()) {
        throw new IllegalArgumentException(source + " line " + number
            + ": expected 'JVMS = OPTION', got '" + trimmed + "'");
      }
      List<String> entry = new ArrayList<>();
      for (String jvm : trimmed.substring(0, equals).split(",")) {
        entry.add(jvm.strip());
      }
      entry.add(option);
      lines.add(entry.toArray(new String[0]));
    }
    return new JvmOptions(lines);
  }

  /**
   * The options of JVM {@code jvm} (stats-child, generate-child, executor, or a command's
   * driver), in the file's order, with {conf} left as it is.
   */
  public List<String> forJvm(String jvm) {
    List<String> options = new ArrayList<>();
    for (String[] line : lines) {
      if (Arrays.asList(line).subList(0, line.length - 1).contains(jvm)) {
        options.add(line[line.length - 1]);
      }
    }
    return List.copyOf(options);
  }
}
