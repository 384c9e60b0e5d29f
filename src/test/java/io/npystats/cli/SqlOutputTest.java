package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.SharedSpark;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What sql and stats print: for people rounded, for programs every digit, JSON that parses. */
class SqlOutputTest {
  private static final String AWKWARD = "SELECT 1.0D / 3 AS third, 5.4591735342835274E-5 AS small,"
      + " CAST('NaN' AS DOUBLE) AS nan, CAST('-Infinity' AS DOUBLE) AS low, CAST(NULL AS STRING) AS"
      + " nothing, 'a \"quoted\" word' AS text";

  @TempDir static Path tmp;
  static String warehouse;

  @BeforeAll
  static void tables() {
    SharedSpark.spark();
    warehouse = tmp.resolve("warehouse").toString();
  }

  @Test
  void jsonIsOneArrayAndJsonlOneObjectALineWithEveryKeyAndNoNonNumbers() {
    String row = "{\"third\":0.3333333333333333,\"small\":5.4591735342835274E-5,\"nan\":null,"
        + "\"low\":null,\"nothing\":null,\"text\":\"a \\\"quoted\\\" word\"}";
    CliRun json = run("sql", "--warehouse", warehouse, "--format", "json", AWKWARD + " UNION ALL " + AWKWARD);
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out()).isEqualTo("[\n" + row + ",\n" + row + "\n]\n");

    CliRun jsonl = run("sql", "--warehouse", warehouse, "--format", "jsonl", AWKWARD);
    assertThat(jsonl.out()).isEqualTo(row + "\n");

    CliRun none = run("sql", "--warehouse", warehouse, "--format", "json", AWKWARD + " LIMIT 0");
    assertThat(none.out()).isEqualTo("[]\n");
  }

  @Test
  void tablesRoundForPeopleAndCsvKeepsEveryDigit() {
    CliRun table = run("sql", "--warehouse", warehouse, AWKWARD);
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).contains("| 0.333333 | 5.45917e-05 | NaN | -Infinity | NULL    |");

    CliRun csv = run("sql", "--warehouse", warehouse, "--format", "csv", AWKWARD);
    assertThat(csv.out().lines().toList()).containsExactly("third,small,nan,low,nothing,text",
        "0.3333333333333333,5.4591735342835274E-5,NaN,-Infinity,,\"a \"\"quoted\"\" word\"");
  }

  @Test
  void tablesShowLocalPathsPlainlyAndCsvKeepsTheirStoredForm() {
    String query = "SELECT 'file:/data/files/file_0.npy' AS path, 'hdfs://nn:8020/x.npy' AS other";
    CliRun table = run("sql", "--warehouse", warehouse, query);
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).contains("| /data/files/file_0.npy | hdfs://nn:8020/x.npy |")
        .doesNotContain("file:");

    CliRun csv = run("sql", "--warehouse", warehouse, "--format", "csv", query);
    assertThat(csv.out().lines().toList()).containsExactly("path,other",
        "file:/data/files/file_0.npy,hdfs://nn:8020/x.npy");
  }

  @Test
  void withoutAQueryTheStatementsOnStandardInputRunInOneSession() {
    CliRun both = withStdin("SELECT 41 AS before;\n"
        + "-- a comment; not a statement\n"
        + "WITH answers AS (SELECT 42 AS answer)\nSELECT answer, 'a;b' AS text\n  FROM answers;\n",
        "sql", "--warehouse", warehouse, "--format", "csv");
    assertThat(both.code()).as(both.err()).isZero();
    assertThat(both.out()).isEqualTo("before\n41\nanswer,text\n42,a;b\n");

    CliRun writing = withStdin("SELECT 1 AS one;\nCREATE TEMPORARY VIEW v AS SELECT 2;\nSELECT 3 AS three;\n",
        "sql", "--warehouse", warehouse, "--format", "csv");
    assertThat(writing.code()).isEqualTo(Main.FAILED);
    assertThat(writing.out()).isEqualTo("one\n1\n");
    assertThat(writing.err()).endsWith("error: sql is read-only: CREATE VIEW is not a query (SELECT,"
        + " WITH, VALUES, SHOW, DESCRIBE or EXPLAIN) (in: CREATE TEMPORARY VIEW v AS SELECT 2)\n");

    CliRun failing = withStdin("SELECT 1 AS one;\nSELECT * FROM no_such_table;\nSELECT 3 AS three;\n",
        "sql", "--warehouse", warehouse, "--format", "csv");
    assertThat(failing.code()).isEqualTo(Main.FAILED);
    assertThat(failing.out()).isEqualTo("one\n1\n");
    assertThat(failing.err()).contains("error: ").contains("no_such_table")
        .endsWith("(in: SELECT * FROM no_such_table)\n");
  }

  @Test
  void statsShowsLocalPathsPlainlyItsWholeTimeAndRecordsItsInputAbsolute() {
    Path files = tmp.resolve("files");
    CliRun gen = run("generate", "--out", files.toString(), "--files", "2", "--samples", "100");
    assertThat(gen.code()).as(gen.err()).isZero();
    String relative = Path.of("").toAbsolutePath().relativize(files).toString();

    CliRun stats = run("stats", "--in", relative, "--warehouse", warehouse, "--run-id", "relative");
    assertThat(stats.code()).as(stats.err()).isZero();
    assertThat(stats.out())
        .containsPattern("stats: 2 files \\(2 ok, 0 failed\\), 200 samples, 0\\.0 MB; [0-9]+\\.[0-9] s"
            + " since the command started")
        .containsPattern("overall mean -?[0-9.]+(e-[0-9]+)?, std [0-9.]+, min -[0-9.]+, max [0-9.]+ \\(")
        .contains("tables: " + warehouse + "/file_stats and " + warehouse + "/runs, run_id = relative");
    CliRun input = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT input FROM runs WHERE run_id = 'relative'");
    assertThat(input.out()).isEqualTo("input\n" + files + "\n");
  }

  private static CliRun withStdin(String text, String... args) {
    InputStream stdin = System.in;
    System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    try {
      return run(args);
    } finally {
      System.setIn(stdin);
    }
  }
}
