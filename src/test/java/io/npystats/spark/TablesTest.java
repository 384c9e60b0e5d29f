package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.task.FileSummary;
import io.npystats.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    assertLinesUp(Tables.FILE_STATS_SCHEMA, Tables.row("r1", FileSummary.COLUMNS, s), expected);
  }

  /** A refused file has no count or figures: NULL in the table, not 0 and NaN. */
  @Test
  void aRefusedFileHasNoFigures() throws Exception {
    FileSummary refused = new FileSummary("/d/bad.npy", "error", "not a .npy file", null, null, 0,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 17, 0.25);
    Row row = Tables.row("r1", FileSummary.COLUMNS, refused);
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
   * Rows written by the tasks and the driver without Spark SQL read back as the same table as
   * Spark's own writer makes of them: the same Parquet schema and Spark schema in the footers,
   * the same rows (a refused file's figures missing, a time to the microsecond), no Parquet
   * dictionaries in {@code file_stats}; and a run's partition replaced leaves the other run's.
   */
  @Test
  void filesWrittenWithoutSparkSqlReadBackAsSparksOwn(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.spark();
    FileSummary ok = new FileSummary("/d/a.npy", "ok", null, "<f8", "(3,)", 3, 0.5, 0.25, -1,
        2.5, 0.1875, 0, 152, 0.001);
    FileSummary refused = new FileSummary("/d/b\u00e9 x.npy", "error", "not a .npy file", null,
        null, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 17, 0.25);
    // Texts the writer encodes once while they stay the same object: the same dtype object, an
    // equal shape of another object, a different path; and then the first row again.
    FileSummary sameTexts = new FileSummary("/d/c.npy", ok.status(), null, ok.dtype(),
        new String("(3,)".toCharArray()), 3, 1.5, 0.5, 1, 2, 0.75, 0, 152, 0.002);
    List<FileSummary> rows = List.of(ok, refused, sameTexts, ok);
    RunRow run = new RunRow("stats", "/d", "local[2]", "app-1", spark.version(),
        new Timestamp(1_700_000_000_123L), 2, 1, 1, 3, 169, 1.5, 2.5, 3.5, 4.5, 5.5, 0.5, 0.25,
        -1, 2.5);
    run.startedAt().setNanos(123_456_000);

    String bySpark = dir.resolve("by-spark").toString();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    spark.createDataFrame(jsc.parallelize(
        rows.stream().map(row -> Tables.row("r1", FileSummary.COLUMNS, row)).toList(), 1),
        Tables.FILE_STATS_SCHEMA)
        .coalesce(1).write().option("parquet.enable.dictionary", "false")
        .partitionBy(Tables.RUN_ID).parquet(Tables.path(bySpark, Tables.FILE_STATS));
    Tables.writeRun(spark.createDataFrame(List.of(Tables.row("r1", RunRow.COLUMNS, run)),
        Tables.RUNS_SCHEMA), bySpark, Tables.RUNS, 1);

    String direct = dir.resolve("direct").toString();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    StatsJob.FileStatsFormat format = StatsJob.FileStatsFormat.of(spark);
    String codec = format.codec();
    try (Warehouse tables = Warehouse.forWriting(direct, conf)) {
      for (String runId : new String[] {"r1", "r2", "r1"}) {
        org.apache.hadoop.fs.Path staging = tables.stage(Tables.FILE_STATS, runId);
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(staging,
            format.fileName(0, "test"));
        try (ParquetRecords<FileSummary> out = format.create(conf, file)) {
          for (FileSummary row : rows) {
            out.write(row);
          }
        }
        tables.replacePartition(Tables.FILE_STATS, runId, staging, List.of(file));
      }
      org.apache.hadoop.fs.Path staging = tables.stage(Tables.RUNS, "r1");
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(staging,
          format.fileName(0, "test"));
      try (ParquetRecords<RunRow> out = new ParquetRecords<>(conf, file, RunRow.COLUMNS,
          ParquetRecords.storedSchema(Tables.RUNS_SCHEMA), spark.version(), codec, true)) {
        out.write(run);
      }
      tables.replacePartition(Tables.RUNS, "r1", staging, List.of(file));
    }

    for (String table : List.of(Tables.FILE_STATS, Tables.RUNS)) {
      Path sparkFile = onlyParquet(Path.of(bySpark, table, Tables.RUN_ID + "=r1"));
      Path directFile = onlyParquet(Path.of(direct, table, Tables.RUN_ID + "=r1"));
      FileMetaData sparks = footer(sparkFile).getFileMetaData();
      FileMetaData ours = footer(directFile).getFileMetaData();
      assertThat(ours.getSchema()).as(table).isEqualTo(sparks.getSchema());
      assertThat(ours.getKeyValueMetaData()).as(table)
          .containsEntry(ParquetRecords.SPARK_SCHEMA_KEY,
              sparks.getKeyValueMetaData().get(ParquetRecords.SPARK_SCHEMA_KEY))
          .containsEntry(ParquetRecords.SPARK_VERSION_KEY, spark.version());
      for (BlockMetaData block : footer(directFile).getBlocks()) {
        for (ColumnChunkMetaData column : block.getColumns()) {
          assertThat(column.getCodec()).isEqualTo(ParquetRecords.codec(codec));
          if (table.equals(Tables.FILE_STATS)) {
            assertThat(column.hasDictionaryPage()).as("%s dictionary", column.getPath()).isFalse();
          }
        }
      }
      Dataset<Row> expected = spark.read().parquet(Tables.path(bySpark, table));
      Dataset<Row> read = spark.read().parquet(Tables.path(direct, table))
          .where(Tables.RUN_ID + " = 'r1'");
      assertThat(read.schema()).as(table).isEqualTo(expected.schema());
      assertThat(read.collectAsList()).as(table)
          .containsExactlyInAnyOrderElementsOf(expected.collectAsList());
    }
    assertThat(spark.read().parquet(Tables.path(direct, Tables.FILE_STATS))
        .groupBy(Tables.RUN_ID).count().orderBy(Tables.RUN_ID).collectAsList())
        .map(Row::toString).containsExactly("[r1,4]", "[r2,4]");
    try (var names = java.nio.file.Files.walk(Path.of(direct))) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(Warehouse.STAGING_PREFIX));
    }
  }

  @Test
  void sparksNamesOfCompressionsAreParquets() {
    assertThat(ParquetRecords.codec("zstd")).isEqualTo(CompressionCodecName.ZSTD);
    assertThat(ParquetRecords.codec("none")).isEqualTo(CompressionCodecName.UNCOMPRESSED);
    assertThat(ParquetRecords.codec("Snappy")).isEqualTo(CompressionCodecName.SNAPPY);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ParquetRecords.codec("zip")))
        .hasMessageContaining("spark.sql.parquet.compression.codec").hasMessageContaining("zip");
  }

  /**
   * Rows past one batch of the writer and past one page of Parquet's come back as they were
   * written, each in its place: refused files' missing figures among them, texts that change from
   * row to row and texts that stay, and pages that end where a batch does.
   */
  @Test
  void manyRowsComeBackInTheirOrderOverBatchesAndPages(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.spark();
    int count = 3 * ParquetRecords.BATCH_ROWS + 17;
    String folder = "/data/" + "long folder name ".repeat(20);
    List<FileSummary> rows = new java.util.ArrayList<>();
    String dtype = "<f8";
    for (int i = 0; i < count; i++) {
      String path = folder + "file_" + i + ".npy";
      rows.add(i % 7 == 3
          ? new FileSummary(path, "error", "bad header " + i, null, null, 0, Double.NaN,
              Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, i, 0.5)
          : new FileSummary(path, "ok", null, i % 100 == 0 ? "<i" + (i % 3 + 2) : dtype,
              "(" + i + ",)", i, i + 0.25, i * 0.5, -i, 2.0 * i, 0.125 * i, 0, 128 + 8L * i,
              1e-6 * i));
    }
    Path partition = dir.resolve(Tables.RUN_ID + "=r9");
    java.nio.file.Files.createDirectories(partition);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    StatsJob.FileStatsFormat format = StatsJob.FileStatsFormat.of(spark);
    Path file = partition.resolve(format.fileName(0, "test"));
    try (ParquetRecords<FileSummary> out =
        format.create(conf, new org.apache.hadoop.fs.Path(file.toUri()))) {
      for (FileSummary row : rows) {
        out.write(row);
      }
    }

    ParquetMetadata written = footer(file);
    assertThat(written.getBlocks()).hasSize(1);
    assertThat(written.getBlocks().get(0).getRowCount()).isEqualTo(count);
    // The paths alone are over Parquet's page of 1 MB: the column took more than one page.
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      ColumnChunkMetaData paths = written.getBlocks().get(0).getColumns().get(0);
      assertThat(paths.getPath().toDotString()).isEqualTo("path");
      assertThat(reader.readOffsetIndex(paths).getPageCount()).isGreaterThan(1);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Row> expected = spark.createDataFrame(jsc.parallelize(
        rows.stream().map(row -> Tables.row("r9", FileSummary.COLUMNS, row)).toList(), 1),
        Tables.FILE_STATS_SCHEMA).collectAsList();
    List<Row> read = spark.read().parquet(dir.toString())
        .selectExpr(Tables.FILE_STATS_SCHEMA.fieldNames()).collectAsList();
    assertThat(read).containsExactlyElementsOf(expected);
  }

  private static Path onlyParquet(Path partition) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(partition)) {
      List<Path> parquet = files.filter(f -> f.getFileName().toString().endsWith(".parquet"))
          .toList();
      assertThat(parquet).as("Parquet files in %s", partition).hasSize(1);
      return parquet.get(0);
    }
  }

  private static ParquetMetadata footer(Path file) throws java.io.IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return reader.getFooter();
    }
  }
}
