package io.npystats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check {@code submit.sh} runs before Spark loads: spark-submit's options and the command line
 * of the application, answered in one line with exit code 2, help and the version answered with 0,
 * and a command that should run left to Spark ({@link Submit#GO_ON}).
 */
class SubmitTest {
  private static final String JAR = "/opt/npystats/npystats-0.1.0.jar";

  private record Checked(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  /** spark-submit's arguments as submit.sh builds them, around the user's. */
  private static Checked check(List<String> sparkOptions, String... application) {
    List<String> args = new ArrayList<>(List.of("--master", "local[2]", "--driver-memory", "2g",
        "--class", "io.npystats.cli.Main"));
    args.addAll(sparkOptions);
    args.add(JAR);
    args.addAll(List.of(application));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Submit.check(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Checked(code, out.toString(), err.toString());
  }

  @Test
  void aMistypedSparkOptionIsOneLineWithTheOptionItResembles() {
    Checked c = check(List.of("--mater", "local[2]"), "stats");
    assertThat(c.code()).isEqualTo(Main.USAGE);
    assertThat(c.out()).isEmpty();
    assertThat(c.errLines()).containsExactly(
        "error: unknown Spark option '--mater'; did you mean --master?",
        "Try './submit.sh --help' for the commands and Spark options.");
  }

  @Test
  void sparkOptionsOfEveryFormPassAndTheCommandRuns() {
    Checked c = check(List.of("--conf", "spark.ui.enabled=false", "-c", "a=b", "--conf=c=d",
        "--driver-java-options", "-Dx=1 -Dy=2", "--verbose", "--executor-memory=1g"),
        "stats", "--in", "data/files");
    assertThat(c.err()).isEmpty();
    assertThat(c.code()).isEqualTo(Submit.GO_ON);
  }

  @Test
  void aSparkOptionAfterTheCommandSaysWhereItGoes() {
    Checked c = check(List.of(), "stats", "--master", "local[2]");
    assertThat(c.code()).isEqualTo(Main.USAGE);
    assertThat(c.errLines()).containsExactly(
        "error: unknown option '--master'",
        "Spark options such as --master go before the command: ./submit.sh --master ... stats ...",
        "Try './submit.sh stats --help' for usage.");
  }

  @Test
  void aMistypedOptionOfACommandGetsTheOptionItResembles() {
    Checked c = check(List.of(), "sql", "--fromat", "csv", "SELECT 1");
    assertThat(c.code()).isEqualTo(Main.USAGE);
    assertThat(c.errLines()).containsExactly("error: unknown option '--fromat'; did you mean --format?",
        "Try './submit.sh sql --help' for usage.");
    assertThat(check(List.of(), "stast").errLines()).containsExactly(
        "error: unknown command 'stast'; did you mean stats?", "Try './submit.sh --help' for usage.");
  }

  @Test
  void aValueOutOfRangeIsRefusedBeforeSparkStarts() {
    Checked c = check(List.of(), "stats", "--partitions", "0");
    assertThat(c.code()).isEqualTo(Main.USAGE);
    assertThat(c.errLines()).containsExactly(
        "error: --partitions must be between 1 and 1,000,000, got 0",
        "Try './submit.sh stats --help' for usage.");
  }

  @Test
  void theVersionIsTheApplicationsWithSparkAndJava() {
    for (String[] asked : new String[][] {{"--version"}, {"stats", "--version"}}) {
      Checked c = check(List.of(), asked);
      assertThat(c.code()).isEqualTo(Main.OK);
      assertThat(c.out().lines().toList()).hasSize(2);
      assertThat(c.out()).startsWith("npystats ")
          .contains("Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java "
              + System.getProperty("java.version"));
    }
  }

  @Test
  void helpListsTheCommandsTheSparkOptionsAndTheWarehouse() {
    Checked c = check(List.of(), "--help");
    assertThat(c.code()).isEqualTo(Main.OK);
    assertThat(c.out()).startsWith("Usage: ./submit.sh [SPARK_OPTIONS] [COMMAND [ARGS...]]")
        .containsPattern("(?m)^  stats +Compute count")
        .containsPattern("(?m)^  sql +Run a Spark SQL query")
        .containsPattern("(?m)^  runs +")
        .contains("cluster start|stop|status")
        .contains("--master URL")
        .contains("Tables go to " + Defaults.warehouse() + " unless");
  }

  @Test
  void examplesInHelpAreNeverWrapped() {
    Checked c = check(List.of(), "sql", "--help");
    assertThat(c.out()).contains("  ./submit.sh sql --format csv \"SELECT path, mean, std FROM"
        + " file_stats WHERE status = 'ok'\"\n");
  }
}
