package io.npystats.spark;

import static io.npystats.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.npy.NpyReader;
import io.npystats.stats.StreamingStats;
import io.npystats.task.InputPaths;
import io.npystats.task.ListingAhead;
import io.npystats.task.RunTotals;
import io.npystats.testing.FileStatsRows;
import io.npystats.testing.Fixtures;
import io.npystats.testing.Fixtures.Expected;
import io.npystats.testing.SharedSpark;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsJobTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path generated;

  @BeforeAll
  static void setUp() throws IOException {
    spark = SharedSpark.spark();
    generated = tmp.resolve("generated");
    GenerateJob.run(spark, generated.toString(), 12, 20_000, 5, 4);
  }

  private static Map<String, Row> rowsByName(String warehouse, String runId) {
    return FileStatsRows.byName(spark, warehouse, runId);
  }

  @Test
  void aTasksPathsTravelWhole() throws Exception {
    java.util.List<java.util.List<String>> cases = java.util.List.of(
        java.util.List.of("file:/data/a/file_1.npy", "file:/data/a/file_10.npy",
            "file:/data/b.npy", "file:/data/a/x\u00e9\ud83d\ude00.npy"),
        java.util.List.of("file:/data/x.npy", "hdfs://nn/data/x.npy", "s3a://b/x.npy"),
        java.util.List.of("file:/data/same.npy", "file:/data/same.npy"),
        java.util.List.of("file:/data/only.npy"),
        java.util.List.of());
    for (java.util.List<String> paths : cases) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(new StatsJob.PathSlice(paths, null));
      }
      try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
          new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        StatsJob.PathSlice slice = (StatsJob.PathSlice) in.readObject();
        assertThat(slice.paths()).containsExactlyElementsOf(paths);
        assertThat(slice.statuses()).isNull();
      }
    }
  }

  @Test
  void aDataSetIsWeighedByItsListingOrItsFirstFile() throws IOException {
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    // A local folder: the lengths its listing found.
    InputPaths.Listing folder = InputPaths.listing(generated.toString(), hadoop);
    assertThat(folder.statuses()).isNull();
    assertThat(folder.lengths()).hasSize(12);
    assertThat(StatsJob.estimatedBytes(folder, hadoop)).isEqualTo(12 * (128 + 8L * 20_000));
    assertThat(StatsJob.estimatedBytes(new InputPaths.Listing(List.of("a", "b", "c"), null, 0,
        new long[] {100, InputPaths.NO_LENGTH, 23}), hadoop)).isEqualTo(123);
    // A list of paths: no lengths, so its first file's stands for all twelve.
    assertThat(StatsJob.estimatedBytes(new InputPaths.Listing(folder.files(), null, 0), hadoop))
        .isEqualTo(12 * (128 + 8L * 20_000));
    // With lengths, their sum; a first file that is not there weighs nothing.
    org.apache.hadoop.fs.FileStatus[] statuses = {
        new org.apache.hadoop.fs.FileStatus(100, false, 1, 1, 0, new org.apache.hadoop.fs.Path("a")),
        new org.apache.hadoop.fs.FileStatus(23, false, 1, 1, 0, new org.apache.hadoop.fs.Path("b"))};
    assertThat(StatsJob.estimatedBytes(new InputPaths.Listing(List.of("a", "b"), statuses, 0), hadoop))
        .isEqualTo(123);
    assertThat(StatsJob.estimatedBytes(new InputPaths.Listing(
        List.of(tmp.resolve("missing.npy").toString()), null, 0), hadoop)).isZero();
  }

  @Test
  void aLargeFileTakesATaskACoreByDefaultInSplitsOf128MiBTo1GiB() {
    long mib = 1L << 20;
    assertThat(StatsJob.defaultSplitBytes(1_600_000_128L, 2)).isEqualTo(800_000_064L);
    assertThat(StatsJob.defaultSplitBytes(1_600_000_128L, 16)).isEqualTo(128 * mib);
    assertThat(StatsJob.defaultSplitBytes(80_000_000_000L, 2)).isEqualTo(1024 * mib);
    assertThat(StatsJob.defaultSplitBytes(0, 2)).isEqualTo(128 * mib);
    assertThat(StatsJob.defaultSplitBytes(3 * mib, 0)).isEqualTo(128 * mib);
  }

  @Test
  void manyFilesTakeAtMostFourTasksACoreByDefault() {
    assertThat(StatsJob.defaultPartitions(100_000, 2)).isEqualTo(8);
    assertThat(StatsJob.defaultPartitions(10_000, 2)).isEqualTo(8);
    assertThat(StatsJob.defaultPartitions(3_000, 2)).isEqualTo(6);
    assertThat(StatsJob.defaultPartitions(10, 2)).isEqualTo(4);
    assertThat(StatsJob.defaultPartitions(1_000_000, 100)).isEqualTo(400);
  }

  @Test
  void everyNumpyFixtureGetsNumpysAnswerOrARefusal() throws IOException {
    String warehouse = tmp.resolve("fixtures-warehouse").toString();
    StatsJob.Result r = StatsJob.run(spark, Fixtures.dir() + "/*.npy", warehouse, "fixtures", 3, 0);
    List<Expected> manifest = Fixtures.manifest();
    Map<String, Row> rows = rowsByName(warehouse, "fixtures");
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
        manifest.stream().map(Expected::file).toList());
    long refusals = manifest.stream().filter(Expected::refuse).count();
    assertThat(r.totals().failed()).isEqualTo(refusals);
    assertThat(r.totals().ok()).isEqualTo(manifest.size() - refusals);

    for (Expected e : manifest) {
      Row row = rows.get(e.file());
      if (e.refuse()) {
        assertThat(row.<String>getAs("status")).as(e.file()).isEqualTo("error");
        assertThat(row.<String>getAs("error")).as(e.file() + ": " + e.why()).isNotBlank();
        continue;
      }
      assertThat(row.<String>getAs("status")).as(e.file()).isEqualTo("ok");
      assertThat(row.<String>getAs("dtype")).as(e.file()).isEqualTo(e.dtype());
      assertThat(row.<Long>getAs("n")).as(e.file()).isEqualTo(e.n());
      assertClose(e.file() + " mean", row.getAs("mean"), e.mean());
      assertClose(e.file() + " std", row.getAs("std"), e.std());
      assertClose(e.file() + " min", row.getAs("min"), e.min(), 0);
      assertClose(e.file() + " max", row.getAs("max"), e.max(), 0);
      assertThat(row.<Long>getAs("bytes")).isEqualTo(Files.size(Fixtures.dir().resolve(e.file())));
    }
  }

  @Test
  void theResultNamesTheFirstRefusalsAsTheTableHasThem() throws IOException {
    String warehouse = tmp.resolve("refusals-warehouse").toString();
    StatsJob.Result r = StatsJob.run(spark, Fixtures.dir() + "/*.npy", warehouse, "refusals", 4, 0);
    List<RunTotals.Failure> table = spark.read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("run_id = 'refusals' AND status = 'error'").orderBy("path")
        .limit(RunTotals.FAILURES_KEPT).collectAsList().stream()
        .map(row -> new RunTotals.Failure(row.getAs("path"), row.getAs("error"))).toList();
    assertThat(r.totals().failed()).isGreaterThan(RunTotals.FAILURES_KEPT);
    assertThat(table).hasSize(RunTotals.FAILURES_KEPT);
    assertThat(r.totals().firstFailures()).containsExactlyElementsOf(table);
  }

  @Test
  void aFolderMixingGoodAndBrokenFilesGivesOneRowPerFile() throws IOException {
    Path mixed = tmp.resolve("mixed");
    Files.createDirectories(mixed);
    for (int i = 0; i < 12; i++) {
      Files.copy(generated.resolve("file_" + i + ".npy"), mixed.resolve("file_" + i + ".npy"));
    }
    for (String broken : List.of("truncated_data.npy", "empty_file.npy", "object_dtype.npy", "not_npy.npy")) {
      Files.copy(Fixtures.dir().resolve(broken), mixed.resolve(broken));
    }
    String warehouse = tmp.resolve("mixed-warehouse").toString();
    StatsJob.Result r = StatsJob.run(spark, mixed.toString(), warehouse, "mixed", 0, 0);

    assertThat(r.totals().files()).isEqualTo(16);
    assertThat(r.totals().failed()).isEqualTo(4);
    Map<String, Row> rows = rowsByName(warehouse, "mixed");
    assertThat(rows).hasSize(16);
    assertThat(rows.get("empty_file.npy").<String>getAs("error"))
        .isEqualTo("file is empty: expected the .npy magic \\x93NUMPY, found 0 bytes");
    assertThat(rows.get("truncated_data.npy").<String>getAs("error")).isEqualTo(
        "data shorter than the shape needs: shape (1000,) of <f8 needs 8128 bytes with the header,"
            + " file has 8028");
    assertThat(rows.get("object_dtype.npy").<String>getAs("error")).startsWith("dtype '|O' is refused");
    assertThat(rows.get("not_npy.npy").<String>getAs("error"))
        .isEqualTo("not a .npy file: expected the magic \\x93NUMPY, found 'fake_f'");
    assertThat(rows.get("file_3.npy").<String>getAs("status")).isEqualTo("ok");
  }

  @Test
  void overallStatisticsEqualThoseOfAllSamplesConcatenated() throws IOException {
    String warehouse = tmp.resolve("overall-warehouse").toString();
    StatsJob.Result r = StatsJob.run(spark, generated.toString(), warehouse, "overall", 5, 0);

    List<Double> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Path file = generated.resolve("file_" + i + ".npy");
      try (InputStream in = Files.newInputStream(file)) {
        new NpyReader().read(in, Files.size(file), (values, n) -> {
          for (int k = 0; k < n; k++) {
            all.add(values[k]);
          }
        });
      }
    }
    MathContext mc = MathContext.DECIMAL128;
    BigDecimal sum = BigDecimal.ZERO;
    for (double v : all) {
      sum = sum.add(new BigDecimal(v));
    }
    BigDecimal mean = sum.divide(BigDecimal.valueOf(all.size()), mc);
    BigDecimal squares = BigDecimal.ZERO;
    for (double v : all) {
      BigDecimal d = new BigDecimal(v).subtract(mean);
      squares = squares.add(d.multiply(d));
    }
    double std = Math.sqrt(squares.divide(BigDecimal.valueOf(all.size()), mc).doubleValue());

    StreamingStats overall = r.totals().stats();
    assertThat(overall.count()).isEqualTo(all.size());
    assertClose("overall mean", overall.mean(), mean.doubleValue(), 1e-13);
    assertClose("overall std", overall.std(), std, 1e-13);

    Row run = spark.read().parquet(Tables.path(warehouse, Tables.RUNS)).where("run_id = 'overall'").first();
    assertThat(run.<Long>getAs("files")).isEqualTo(12);
    assertThat(run.<Long>getAs("failed")).isZero();
    assertThat(run.<Long>getAs("samples")).isEqualTo(12 * 20_000L);
    assertThat(run.<Double>getAs("mean")).isEqualTo(overall.mean());
    assertThat(run.<Double>getAs("std")).isEqualTo(overall.std());
    assertThat(run.<Double>getAs("write_seconds")).isPositive();

    // Partials merge in partition order: a second run gives the same figures to the last bit.
    StreamingStats again = StatsJob.run(spark, generated.toString(), warehouse, "overall-again", 5, 0)
        .totals().stats();
    assertThat(again.mean()).isEqualTo(overall.mean());
    assertThat(again.std()).isEqualTo(overall.std());
  }

  @Test
  void aJobPreparedInTheBackgroundGivesTheSameFiguresAndRows() throws IOException {
    String warehouse = tmp.resolve("prepared-warehouse").toString();
    StatsJob.Result plain = StatsJob.run(spark, generated.toString(), warehouse, "plain", 3, 0);
    StatsJob.Result prepared;
    try (StatsJob.Preparing preparing = StatsJob.prepareInBackground(spark,
        ListingAhead.whenAsked(generated.toString()), 3, 0)) {
      prepared = StatsJob.run(spark, preparing, warehouse, "prepared", 0);
      assertThat(preparing.seconds()).isPositive();
    }

    assertThat(prepared.partitions()).isEqualTo(plain.partitions());
    assertThat(prepared.totals().files()).isEqualTo(12);
    assertThat(prepared.totals().stats().mean()).isEqualTo(plain.totals().stats().mean());
    assertThat(prepared.totals().stats().std()).isEqualTo(plain.totals().stats().std());
    Map<String, Row> before = rowsByName(warehouse, "plain");
    Map<String, Row> after = rowsByName(warehouse, "prepared");
    assertThat(after.keySet()).isEqualTo(before.keySet()).hasSize(12);
    after.forEach((name, row) -> assertThat(row.<Double>getAs("mean")).as(name)
        .isEqualTo(before.get(name).<Double>getAs("mean")));
  }

  @Test
  void aPreparationsFailureIsThrownByTheJobAsItsOwnWouldBe() {
    String missing = tmp.resolve("no-such-folder").toString();
    try (StatsJob.Preparing preparing = StatsJob.prepareInBackground(spark,
        ListingAhead.whenAsked(missing), 0, 0)) {
      assertThatThrownBy(() -> StatsJob.run(spark, preparing,
          tmp.resolve("missing-warehouse").toString(), "missing", 0))
          .isInstanceOf(FileNotFoundException.class)
          .hasMessage("input " + missing + " does not exist");
    }
    assertThat(tmp.resolve("missing-warehouse")).doesNotExist();
  }

  @Test
  void reusingARunIdReplacesItsRowsAndLeavesOtherRunsAlone() throws IOException {
    String warehouse = tmp.resolve("rerun-warehouse").toString();
    StatsJob.run(spark, generated.toString(), warehouse, "keep", 2, 0);
    StatsJob.run(spark, generated.toString(), warehouse, "again", 2, 0);
    StatsJob.run(spark, generated + "/file_1*.npy", warehouse, "again", 2, 0);

    Map<String, Long> perRun = spark.read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .groupBy("run_id").count().collectAsList().stream()
        .collect(Collectors.toMap(row -> row.getString(0), row -> row.getLong(1)));
    assertThat(perRun).containsExactlyInAnyOrderEntriesOf(Map.of("keep", 12L, "again", 3L));
    assertThat(spark.read().parquet(Tables.path(warehouse, Tables.RUNS)).count()).isEqualTo(2);
  }
}
