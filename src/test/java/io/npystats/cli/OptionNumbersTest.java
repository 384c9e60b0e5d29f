package io.npystats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every numeric option of every command, given a negative, zero, too large, overflowing or
 * non-numeric value: exit code 2, nothing on standard output, and on standard error one line that
 * names the option, then the pointer to help. None of these starts Spark.
 *
 * <p>The other options are chosen so that a check that stopped working would fail fast and small
 * (one file of no samples, into a folder that cannot be created) rather than fill the disk.
 */
class OptionNumbersTest {
  @TempDir static Path tmp;
  static String nowhere;

  @BeforeAll
  static void setUp() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
    nowhere = file.resolve("below-a-file").toString();
  }

  private static String range(String option, String min, String max, String got) {
    return "error: " + option + " must be between " + min + " and " + max + ", got " + got;
  }

  private static String notA(String type, String option, String value) {
    return "error: Invalid value for option '" + option + "': '" + value + "' is not " + type;
  }

  static Stream<Arguments> badNumbers() {
    List<Arguments> cases = new ArrayList<>();
    // generate --files N: 1 to 100,000,000
    for (String[] c : new String[][] {
        {"-1", range("--files", "1", "100,000,000", "-1")},
        {"0", range("--files", "1", "100,000,000", "0")},
        {"100000001", range("--files", "1", "100,000,000", "100,000,001")},
        {"99999999999999999999", notA("a long", "--files", "99999999999999999999")},
        {"ten", notA("a long", "--files", "ten")},
        {"1.5", notA("a long", "--files", "1.5")}}) {
      cases.add(generate(c[1], "--files", c[0], "--samples", "0"));
    }
    // generate --samples M: 0 to 2^36
    for (String[] c : new String[][] {
        {"-1", range("--samples", "0", "68,719,476,736", "-1")},
        {"68719476737", range("--samples", "0", "68,719,476,736", "68,719,476,737")},
        {"99999999999999999999", notA("a long", "--samples", "99999999999999999999")},
        {"1e6", notA("a long", "--samples", "1e6")}}) {
      cases.add(generate(c[1], "--files", "1", "--samples", c[0]));
    }
    // generate --seed S: any long, so only what is no long at all
    for (String[] c : new String[][] {
        {"99999999999999999999", notA("a long", "--seed", "99999999999999999999")},
        {"-9223372036854775809", notA("a long", "--seed", "-9223372036854775809")},
        {"0x2a", notA("a long", "--seed", "0x2a")}}) {
      cases.add(generate(c[1], "--files", "1", "--samples", "0", "--seed", c[0]));
    }
    // generate --partitions P and stats --partitions P: 1 to 1,000,000
    for (String[] c : partitions()) {
      cases.add(generate(c[1], "--files", "1", "--samples", "0", "--partitions", c[0]));
      cases.add(Arguments.of(List.of("stats", "--in", nowhere, "--partitions", c[0]), c[1], "stats"));
    }
    // stats --split-size BYTES: at least 1m, digits with an optional binary suffix
    for (String[] c : new String[][] {
        {"-1", "error: --split-size must be at least 1,048,576 bytes, got -1"},
        {"0", "error: --split-size must be at least 1,048,576 bytes, got 0"},
        {"1023k", "error: --split-size must be at least 1,048,576 bytes, got 1023k"},
        {"ten", "error: --split-size 'ten' is not a size: digits with an optional k, m, g or t,"
            + " such as 128m"},
        {"1.5m", "error: --split-size '1.5m' is not a size: digits with an optional k, m, g or t,"
            + " such as 128m"},
        {"99999999999999t", "error: --split-size '99999999999999t' is not a size: digits with an"
            + " optional k, m, g or t, such as 128m"}}) {
      cases.add(Arguments.of(List.of("stats", "--in", nowhere, "--split-size", c[0]), c[1], "stats"));
    }
    // sql --max-rows N: 1 to 10,000,000
    for (String[] c : new String[][] {
        {"-1", range("--max-rows", "1", "10,000,000", "-1")},
        {"0", range("--max-rows", "1", "10,000,000", "0")},
        {"10000001", range("--max-rows", "1", "10,000,000", "10,000,001")},
        {"2147483648", notA("an int", "--max-rows", "2147483648")},
        {"all", notA("an int", "--max-rows", "all")}}) {
      cases.add(Arguments.of(List.of("sql", "--max-rows", c[0], "SELECT 1"), c[1], "sql"));
    }
    // demo --files N: 1 to 1,000,000; demo --samples M: 0 to 10,000,000
    for (String[] c : new String[][] {
        {"-1", range("--files", "1", "1,000,000", "-1")},
        {"0", range("--files", "1", "1,000,000", "0")},
        {"1000001", range("--files", "1", "1,000,000", "1,000,001")},
        {"99999999999999999999", notA("a long", "--files", "99999999999999999999")},
        {"many", notA("a long", "--files", "many")}}) {
      cases.add(Arguments.of(List.of("demo", "--files", c[0], "--samples", "0"), c[1], "demo"));
    }
    for (String[] c : new String[][] {
        {"-1", range("--samples", "0", "10,000,000", "-1")},
        {"10000001", range("--samples", "0", "10,000,000", "10,000,001")},
        {"99999999999999999999", notA("a long", "--samples", "99999999999999999999")},
        {"1_000", notA("a long", "--samples", "1_000")}}) {
      cases.add(Arguments.of(List.of("demo", "--files", "1", "--samples", c[0]), c[1], "demo"));
    }
    return cases.stream();
  }

  private static String[][] partitions() {
    return new String[][] {
        {"-1", range("--partitions", "1", "1,000,000", "-1")},
        {"0", range("--partitions", "1", "1,000,000", "0")},
        {"1000001", range("--partitions", "1", "1,000,000", "1,000,001")},
        {"2147483648", notA("an int", "--partitions", "2147483648")},
        {"four", notA("an int", "--partitions", "four")}};
  }

  private static Arguments generate(String message, String... options) {
    List<String> args = new ArrayList<>(List.of("generate", "--out", nowhere));
    args.addAll(List.of(options));
    return Arguments.of(args, message, "generate");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNumbers")
  void aBadNumberIsOneLineNamingTheOptionAndExitCodeTwo(List<String> args, String message,
      String command) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as("exit code; stderr: %s", err).isEqualTo(Main.USAGE);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).containsExactly(message,
        "Try './submit.sh " + command + " --help' for usage.");
  }
}
