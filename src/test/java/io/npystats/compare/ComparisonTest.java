package io.npystats.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.engine.Phase;
import io.npystats.report.BenchmarkRow;
import io.npystats.report.Machine;
import io.npystats.spark.BenchmarkTable;
import io.npystats.spark.Tables;
import io.npystats.task.Column;
import io.npystats.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A comparison run without the command line: both phases, Spark among the engines, its runs in
 * the shared session.
 */
class ComparisonTest {
  @TempDir Path tmp;

  @Test
  void sparkLocalAndBothPhasesAgreeWithTheOthers() throws Exception {
    String warehouse = tmp.resolve("warehouse").toString();
    ComparisonSettings settings = new ComparisonSettings(null, List.of(5L), 1_500, 9, List.of(2),
        List.of("threads", "spark"), EnumSet.of(Phase.GENERATE, Phase.STATS), 1, warehouse,
        tmp.resolve("report"), tmp.resolve("work").toString(), "both-1", null,
        Map.of("spark.ui.enabled", "false", "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1"), false);
    StringWriter out = new StringWriter();
    Comparison.Outcome outcome = new Comparison(settings, new PrintWriter(out),
        SharedSpark.engineSessions()).run();
    assertThat(outcome.failedFiles()).isZero();
    assertThat(outcome.rows()).extracting(r -> r.phase() + " " + r.engine() + " " + r.workers() + " " + r.repeat())
        .containsExactly("stats sequential 1 0", "stats sequential 1 1", "stats threads 2 0",
            "stats threads 2 1", "stats spark 2 0", "stats spark 2 1",
            "generate sequential 1 0", "generate sequential 1 1", "generate threads 2 0",
            "generate threads 2 1", "generate spark 2 0", "generate spark 2 1");
    assertThat(out.toString())
        .contains("Every engine gave the same results as sequential for every file, bit for bit"
            + " (statistics: n, mean, std, min, max, m2, status; generated files: length and CRC-32C).")
        .contains("generate, 5 files (0.1 MB) in ");
    assertThat(outcome.report().charts()).containsExactly(tmp.resolve("report/compare-stats.png"),
        tmp.resolve("report/compare-generate.png"));
    assertThat(tmp.resolve("work/generate")).doesNotExist(); // every run's folder removed

    List<Row> written = SharedSpark.spark().read().parquet(Tables.path(warehouse, Tables.BENCHMARKS))
        .where("run_id = 'both-1'").groupBy("phase")
        .agg(org.apache.spark.sql.functions.count("*"),
            org.apache.spark.sql.functions.expr("min(speedup) > 0"))
        .orderBy("phase").collectAsList();
    assertThat(written).extracting(Row::toString)
        .containsExactly("[generate,6,true]", "[stats,6,true]");
  }

  /**
   * The layout of benchmarks that compares already written have, and the README's queries read;
   * a change of it is a new layout.
   */
  @Test
  void theBenchmarksTableKeepsItsLayout() {
    StructType written = new StructType()
        .add("run_id", DataTypes.StringType, false)
        .add("started_at", DataTypes.TimestampType, false)
        .add("phase", DataTypes.StringType, false)
        .add("engine", DataTypes.StringType, false)
        .add("workers", DataTypes.IntegerType, false)
        .add("repeat", DataTypes.IntegerType, false)
        .add("warmup", DataTypes.BooleanType, false)
        .add("files", DataTypes.LongType, false)
        .add("failed", DataTypes.LongType, false)
        .add("bytes", DataTypes.LongType, false)
        .add("wall_seconds", DataTypes.DoubleType, false)
        .add("startup_seconds", DataTypes.DoubleType, false)
        .add("work_seconds", DataTypes.DoubleType, false)
        .add("files_per_second", DataTypes.DoubleType, false)
        .add("mb_per_second", DataTypes.DoubleType, false)
        .add("speedup", DataTypes.DoubleType, false)
        .add("efficiency", DataTypes.DoubleType, false)
        .add("cpu_seconds", DataTypes.DoubleType, false)
        .add("detail", DataTypes.StringType, true)
        .add("input", DataTypes.StringType, false)
        .add("cores", DataTypes.IntegerType, false)
        .add("memory_bytes", DataTypes.LongType, false)
        .add("java_version", DataTypes.StringType, false)
        .add("os", DataTypes.StringType, false);
    assertThat(BenchmarkTable.schema(BenchmarkRow.COLUMNS)).isEqualTo(written);
  }

  /** A warm-up row written and read back by Spark: every value under its own column. */
  @Test
  void aBenchmarkRowReadsBackColumnByColumn() {
    String warehouse = tmp.resolve("one-row").toString();
    BenchmarkRow row = new BenchmarkRow(Timestamp.valueOf("2030-01-02 03:04:05"), "generate",
        "processes", 4, 0, 12, 0, 9600, 1.5, 0.5, 1.0, 12.0, 0.0096, 2.0, 0.5, 4.5, null, "/in",
        new Machine(8, 32L << 30, "21.0.2", "Linux aarch64"));
    BenchmarkTable.write(SharedSpark.spark(), warehouse, "one", BenchmarkRow.COLUMNS,
        List.of(row));

    Row back = SharedSpark.spark().read().parquet(Tables.path(warehouse, Tables.BENCHMARKS))
        .first();
    assertThat((String) back.getAs("run_id")).isEqualTo("one");
    assertThat((Boolean) back.getAs("warmup")).isTrue();
    for (Column<BenchmarkRow> column : BenchmarkRow.COLUMNS.stored()) {
      assertThat((Object) back.getAs(column.name())).as(column.name()).isEqualTo(column.get(row));
    }
  }
}
