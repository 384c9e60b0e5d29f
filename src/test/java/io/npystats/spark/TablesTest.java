package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.task.FileSummary;
import io.npystats.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ui.SQLExecutionUIData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

class TablesTest {
  /**
   * The layout of file_stats that runs already written have; a change of it is a new layout. The
   * figures may be missing (a refused file has none); Spark reads every Parquet column as
   * nullable, so runs written when they were required read the same.
   */
  @Test
  void fileStatsKeepsItsLayout() {
    StructType written = new StructType()
        .add("run_id", DataTypes.StringType, false)
        .add("path", DataTypes.StringType, false)
        .add("status", DataTypes.StringType, false)
        .add("error", DataTypes.StringType, true)
        .add("dtype", DataTypes.StringType, true)
        .add("shape", DataTypes.StringType, true)
        .add("n", DataTypes.LongType, true)
        .add("mean", DataTypes.DoubleType, true)
        .add("std", DataTypes.DoubleType, true)
        .add("min", DataTypes.DoubleType, true)
        .add("max", DataTypes.DoubleType, true)
        .add("m2", DataTypes.DoubleType, true)
        .add("bytes", DataTypes.LongType, false)
        .add("seconds", DataTypes.DoubleType, false);
    assertThat(Tables.FILE_STATS_SCHEMA).isEqualTo(written);
  }

  /** Every double differs, so a row whose values are one column off, or two swapped, fails. */
  @Test
  void aRowsValuesLineUpWithTheSchemaByName() throws Exception {
    FileSummary s = new FileSummary("/d/f.npy", "ok", null, "<f8", "(3,)", 3, 1.5, 2.5, -3.5, 4.5,
        5.5, 6.5e-17, 152, 7.5);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("run_id", "r1");
    expected.put("path", s.path());
    expected.put("status", s.status());
    expected.put("error", s.error());
    expected.put("dtype", s.dtype());
    expected.put("shape", s.shape());
    expected.put("n", s.n());
    expected.put("mean", s.mean());
    expected.put("std", s.std());
    expected.put("min", s.min());
    expected.put("max", s.max());
    expected.put("m2", s.m2());
    expected.put("bytes", s.bytes());
    expected.put("seconds", s.seconds());

    assertLinesUp(Tables.FILE_STATS_SCHEMA, new StatsJob.ToRow("r1").call(s), expected);
  }

  /** A refused file has no count or figures: NULL in the table, not 0 and NaN. */
  @Test
  void aRefusedFileHasNoFigures() throws Exception {
    FileSummary refused = new FileSummary("/d/bad.npy", "error", "not a .npy file", null, null, 0,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 17, 0.25);
    Row row = new StatsJob.ToRow("r1").call(refused);
    StructType schema = Tables.FILE_STATS_SCHEMA;
    for (String figure : new String[] {"n", "mean", "std", "min", "max", "m2"}) {
      assertThat(row.get(schema.fieldIndex(figure))).as(figure).isNull();
    }
    assertThat(row.get(schema.fieldIndex("error"))).isEqualTo("not a .npy file");
    assertThat(row.get(schema.fieldIndex("bytes"))).isEqualTo(17L);
    assertThat(row.get(schema.fieldIndex("seconds"))).isEqualTo(0.25);
  }

  private static void assertLinesUp(StructType schema, Row row, Map<String, Object> expected) {
    assertThat(schema.fieldNames()).containsExactlyElementsOf(expected.keySet());
    assertThat(row.size()).isEqualTo(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      assertThat(row.get(i)).as(schema.fieldNames()[i])
          .isEqualTo(expected.get(schema.fieldNames()[i]));
    }
  }

  @Test
  void runsKeepsItsLayoutAndARunsValuesLineUpByName() {
    StructType written = new StructType()
        .add("run_id", DataTypes.StringType, false)
        .add("command", DataTypes.StringType, false)
        .add("input", DataTypes.StringType, false)
        .add("master", DataTypes.StringType, false)
        .add("app_id", DataTypes.StringType, false)
        .add("spark_version", DataTypes.StringType, false)
        .add("started_at", DataTypes.TimestampType, false)
        .add("files", DataTypes.LongType, false)
        .add("ok", DataTypes.LongType, false)
        .add("failed", DataTypes.LongType, false)
        .add("samples", DataTypes.LongType, false)
        .add("bytes", DataTypes.LongType, false)
        .add("startup_seconds", DataTypes.DoubleType, false)
        .add("job_seconds", DataTypes.DoubleType, false)
        .add("write_seconds", DataTypes.DoubleType, false)
        .add("files_per_second", DataTypes.DoubleType, false)
        .add("mb_per_second", DataTypes.DoubleType, false)
        .add("mean", DataTypes.DoubleType, false)
        .add("std", DataTypes.DoubleType, false)
        .add("min", DataTypes.DoubleType, false)
        .add("max", DataTypes.DoubleType, false);
    assertThat(Tables.RUNS_SCHEMA).isEqualTo(written);

    Timestamp at = new Timestamp(1_700_000_000_000L);
    RunRow run = new RunRow("stats", "/in", "local[2]", "app-1", "4.2.0", at, 10, 7, 3, 70, 1234,
        1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, -8.5, 9.5);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("run_id", "r1");
    expected.put("command", run.command());
    expected.put("input", run.input());
    expected.put("master", run.master());
    expected.put("app_id", run.appId());
    expected.put("spark_version", run.sparkVersion());
    expected.put("started_at", at);
    expected.put("files", run.files());
    expected.put("ok", run.ok());
    expected.put("failed", run.failed());
    expected.put("samples", run.samples());
    expected.put("bytes", run.bytes());
    expected.put("startup_seconds", run.startupSeconds());
    expected.put("job_seconds", run.jobSeconds());
    expected.put("write_seconds", run.writeSeconds());
    expected.put("files_per_second", run.filesPerSecond());
    expected.put("mb_per_second", run.mbPerSecond());
    expected.put("mean", run.mean());
    expected.put("std", run.std());
    expected.put("min", run.min());
    expected.put("max", run.max());
    assertLinesUp(Tables.RUNS_SCHEMA, Tables.row("r1", RunRow.COLUMNS, run), expected);
  }

  /**
   * A run's rows written as that run: its partition replaced, the other run's kept, no sort
   * planned before the write, in as many files as asked, and no Parquet dictionaries.
   */
  @Test
  void oneRunsRowsReplaceThatRunUnsortedInTheFilesAsked(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.spark();
    String warehouse = dir.toString();
    writeFileStats(spark, warehouse, "r1", 1, summary("/d/a.npy"), summary("/d/b.npy"));
    writeFileStats(spark, warehouse, "r2", 1, summary("/d/c.npy"));
    String description = writeFileStats(spark, warehouse, "r1", 2, summary("/d/d.npy"),
        summary("/d/e.npy"), summary("/d/f.npy"), summary("/d/g.npy"));

    List<Row> rows = spark.read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .select(Tables.RUN_ID, "path").orderBy("path").collectAsList();
    assertThat(rows).map(Row::toString).containsExactly("[r2,/d/c.npy]", "[r1,/d/d.npy]",
        "[r1,/d/e.npy]", "[r1,/d/f.npy]", "[r1,/d/g.npy]");
    List<Path> parquet;
    try (var files = java.nio.file.Files.list(
        dir.resolve(Tables.FILE_STATS).resolve(Tables.RUN_ID + "=r1"))) {
      parquet = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
    }
    assertThat(parquet).hasSize(2);
    for (Path file : parquet) {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          assertThat(block.getColumns()).as("columns of %s", file)
              .noneMatch(ColumnChunkMetaData::hasDictionaryPage);
        }
      }
    }
    assertThat(planOf(spark, description)).contains("WriteFiles").doesNotContain("Sort");
  }

  private static FileSummary summary(String path) {
    return new FileSummary(path, "ok", null, "<f8", "(1,)", 1, 1, 0, 1, 1, 0, 0, 136, 0.001);
  }

  /** Writes the summaries as run {@code runId}; returns the write's description. */
  private static String writeFileStats(SparkSession spark, String warehouse, String runId,
      int files, FileSummary... summaries) throws Exception {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Row> rows = new java.util.ArrayList<>();
    for (FileSummary s : summaries) {
      rows.add(new StatsJob.ToRow(runId).call(s));
    }
    String description = "TablesTest write of " + runId + " " + System.nanoTime();
    jsc.setJobDescription(description);
    try {
      Tables.writeFileStats(
          spark.createDataFrame(jsc.parallelize(rows, 2), Tables.FILE_STATS_SCHEMA), runId,
          warehouse, files);
    } finally {
      jsc.setJobDescription(null);
    }
    return description;
  }

  /** The physical plan of the SQL execution described so, once the status store has it. */
  private static String planOf(SparkSession spark, String description) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (SQLExecutionUIData execution : CollectionConverters.asJava(
          spark.sharedState().statusStore().executionsList())) {
        if (description.equals(execution.description())) {
          return execution.physicalPlanDescription();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no SQL execution described '" + description + "'");
  }
}
