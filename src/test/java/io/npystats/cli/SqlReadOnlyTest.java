package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.ChildJvm;
import io.npystats.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** sql is a read-only window on the warehouse: a statement that is not a query never runs. */
class SqlReadOnlyTest {
  @TempDir static Path tmp;
  static String warehouse;
  static Path target;

  @BeforeAll
  static void oneRun() throws Exception {
    SharedSpark.spark();
    String files = tmp.resolve("files").toString();
    warehouse = tmp.resolve("warehouse").toString();
    assertThat(run("generate", "--out", files, "--files", "3", "--samples", "10").code()).isZero();
    CliRun stats = run("stats", "--in", files, "--warehouse", warehouse, "--run-id", "only");
    assertThat(stats.code()).as(stats.err()).isZero();
    target = tmp.resolve("some-dir");
    Files.createDirectories(target);
    Files.writeString(target.resolve("keep.txt"), "precious");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INSERT INTO file_stats SELECT * FROM file_stats|INSERT INTO",
      "INSERT OVERWRITE DIRECTORY 'TARGET' USING csv SELECT 'x' AS x|INSERT OVERWRITE DIRECTORY",
      "CREATE TABLE t AS SELECT 1 AS x|CREATE TABLE AS SELECT"})
  void aStatementThatWritesIsRefusedBeforeItRuns(String sql, String kind) throws Exception {
    List<String> before = tree(Path.of(warehouse));
    CliRun refused = run("sql", "--warehouse", warehouse, sql.replace("TARGET", target.toString()));
    assertThat(refused.code()).isEqualTo(Main.USAGE);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).isEqualTo("error: sql is read-only: " + kind
        + " is not a query (SELECT, WITH, VALUES, SHOW, DESCRIBE or EXPLAIN)" + System.lineSeparator());
    assertThat(tree(Path.of(warehouse))).isEqualTo(before);
    assertThat(tree(target)).containsExactly("keep.txt");
    assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("precious");
    CliRun count = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT count(*) AS n FROM file_stats");
    assertThat(count.out()).isEqualTo("n\n3\n".replace("\n", System.lineSeparator()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT count(*) FROM file_stats",
      "WITH r AS (SELECT run_id FROM runs) SELECT * FROM r",
      "VALUES (1)",
      "SHOW TABLES",
      "DESCRIBE runs",
      "EXPLAIN SELECT * FROM file_stats"})
  void queriesRun(String sql) {
    CliRun query = run("sql", "--warehouse", warehouse, sql);
    assertThat(query.code()).as(query.err()).isZero();
    assertThat(query.out()).contains("row");
  }

  /**
   * A fresh JVM, as submit.sh starts one, in an empty working directory: Spark's catalog folder
   * (spark-warehouse), a metastore or its log must not appear there. SHOW TABLES made Spark's
   * catalog create its default database's folder.
   */
  @Test
  void noCommandLeavesSparkFoldersInTheWorkingDirectory() throws Exception {
    Path cwd = Files.createDirectories(tmp.resolve("cwd"));
    ChildJvm child = ChildJvm.logTo(tmp.resolve("cwd.log"), "1g").in(cwd)
        .flag("-XX:TieredStopAtLevel=1")
        .flag("-Dspark.master=local[1]")
        .flag("-Dspark.ui.enabled=false")
        .flag("-Dspark.driver.host=127.0.0.1")
        .flag("-Dspark.driver.bindAddress=127.0.0.1");
    Process process = child.main(Main.class.getName(), "sql", "--warehouse", warehouse,
        "SHOW TABLES");
    child.assertExit(process, 0, 180);
    assertThat(tree(cwd)).isEmpty();
  }

  /** Every path under {@code dir}, relative and sorted. */
  private static List<String> tree(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
