package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.report.BenchmarkRow;
import io.npystats.report.Machine;
import io.npystats.spark.BenchmarkTable;
import io.npystats.spark.Tables;
import io.npystats.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsCommandTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static String files;

  @BeforeAll
  static void input() {
    spark = SharedSpark.spark();
    files = tmp.resolve("files").toString();
    assertThat(run("generate", "--out", files, "--files", "4", "--samples", "10").code()).isZero();
  }

  private static String warehouseWith(String name, String... runIds) {
    String warehouse = tmp.resolve(name).toString();
    for (String id : runIds) {
      CliRun stats = run("stats", "--in", files, "--warehouse", warehouse, "--run-id", id);
      assertThat(stats.code()).as(stats.err()).isZero();
    }
    return warehouse;
  }

  private static void compare(String warehouse, String runId) {
    BenchmarkTable.write(spark, warehouse, runId, BenchmarkRow.COLUMNS, List.of(new BenchmarkRow(
        Timestamp.valueOf("2030-01-01 00:00:00"), "stats", "sequential", 1, 1, 4L, 1L, 100L, 2.5,
        0.0, 2.0, 2.0, 0.1, 1.0, 1.0, 2.0, null, files, new Machine(2, 1L << 30, "17", "Linux"))));
  }

  @Test
  void listShowsEveryRunOldestFirst() {
    String warehouse = warehouseWith("list", "first", "second");
    compare(warehouse, "bench");
    CliRun list = run("runs", "list", "--warehouse", warehouse);
    assertThat(list.code()).as(list.err()).isZero();
    List<List<String>> rows = list.out().lines().filter(l -> l.startsWith("|"))
        .map(l -> Stream.of(l.split("\\|")).map(String::strip).filter(c -> !c.isEmpty()).toList())
        .toList();
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).containsExactly("run_id", "command", "files", "ok", "failed",
        "started_at", "job_seconds");
    assertThat(rows.get(1)).startsWith("first", "stats", "4", "4", "0");
    assertThat(rows.get(2)).startsWith("second", "stats", "4", "4", "0");
    assertThat(rows.get(3)).containsExactly("bench", "compare", "4", "3", "1", "2030-01-01 00:00:00", "2.5");
  }

  @Test
  void deleteRemovesARunFromEveryTableAndLeavesTheOthers() throws Exception {
    String warehouse = warehouseWith("delete", "gone", "kept");
    compare(warehouse, "gone");
    CliRun delete = run("runs", "delete", "--warehouse", warehouse, "gone");
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(delete.out().strip())
        .isEqualTo("deleted run gone from runs, file_stats, benchmarks in " + warehouse);
    for (String table : List.of(Tables.RUNS, Tables.FILE_STATS, Tables.BENCHMARKS)) {
      assertThat(Path.of(warehouse, table, "run_id=gone")).doesNotExist();
    }
    assertThat(Path.of(warehouse, Tables.FILE_STATS, "run_id=kept")).isDirectory();
    CliRun sql = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT run_id, count(*) AS n FROM file_stats GROUP BY run_id");
    assertThat(sql.out().lines().toList()).containsExactly("run_id,n", "kept,4");

    CliRun again = run("runs", "delete", "--warehouse", warehouse, "gone");
    assertThat(again.code()).isEqualTo(Main.FAILED);
    assertThat(again.err()).isEqualTo("error: no run 'gone' in " + warehouse + System.lineSeparator());
  }

  @Test
  void aRunIdThatIsNoFolderNameIsAUsageError() throws Exception {
    String warehouse = warehouseWith("bad-id", "x");
    CliRun delete = run("runs", "delete", "--warehouse", warehouse, "../x");
    assertThat(delete.code()).isEqualTo(Main.USAGE);
    assertThat(delete.err()).startsWith("error: ID '../x' must be 1 to 128 letters");
    assertThat(Files.list(Path.of(warehouse, Tables.RUNS)).toList()).hasSize(1);
  }
}
