package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.spark.Tables;
import io.npystats.testing.Fixtures;
import io.npystats.testing.Fixtures.Expected;
import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and paths chosen to hurt, through the whole {@code stats} command: each bad file is
 * refused with a clear reason in its own row and the exit code says so, and nothing else is lost.
 */
class HostileInputTest {
  /** Every file numpy's manifest says to refuse, and the whole reason the table must give. */
  static final Map<String, String> REFUSALS = new LinkedHashMap<>();

  static {
    REFUSALS.put("truncated_data.npy", "data shorter than the shape needs: shape (1000,) of <f8"
        + " needs 8128 bytes with the header, file has 8028");
    REFUSALS.put("truncated_header.npy",
        "file ends inside the header: header length says 118 bytes, found 20");
    REFUSALS.put("empty_file.npy",
        "file is empty: expected the .npy magic \\x93NUMPY, found 0 bytes");
    REFUSALS.put("bad_magic.npy",
        "not a .npy file: expected the magic \\x93NUMPY, found '\\x93NUMPX'");
    REFUSALS.put("not_npy.npy", "not a .npy file: expected the magic \\x93NUMPY, found 'fake_f'");
    REFUSALS.put("unknown_version.npy", "format version 9.0 is not one of 1.0, 2.0, 3.0");
    // 8 PB claimed: refused from the file's length, before a byte of data is read.
    REFUSALS.put("huge_shape.npy", "data shorter than the shape needs: shape (1000000000000000,)"
        + " of <f8 needs 8000000000000128 bytes with the header, file has 192");
    REFUSALS.put("negative_dim.npy", "shape (-5,) has a negative dimension");
    REFUSALS.put("object_dtype.npy", "dtype '|O' is refused: object arrays hold pickled Python"
        + " objects; loading them means unpickling, which can run code");
    REFUSALS.put("code_in_header.npy", "header is not a Python literal: expected a literal at"
        + " offset 10, found '__import__('os').sys' (headers are parsed, never evaluated)");
    REFUSALS.put("missing_key.npy",
        "header keys are [descr, shape], expected exactly [descr, fortran_order, shape]");
    REFUSALS.put("bad_descr.npy", "descr '<f9' is not a numpy dtype (no float of 9 bytes)");
    REFUSALS.put("header_too_large.npy",
        "header length 20067 is over numpy's max_header_size of 10000 bytes");
    // Its length field (60000) runs past the end of the file, and is over the limit besides;
    // like numpy, the reader refuses on the limit before reading any of it.
    REFUSALS.put("header_length_past_eof.npy",
        "header length 60000 is over numpy's max_header_size of 10000 bytes");
    REFUSALS.put("complex.npy",
        "dtype '<c16' is refused: complex numbers have no real mean or standard deviation");
    REFUSALS.put("structured.npy", "structured dtype [('a', '<f8'), ('b', '<i4')] is refused:"
        + " records have no single mean or standard deviation");
    REFUSALS.put("strings.npy", "dtype '<U3' is refused: strings have no mean or standard deviation");
  }

  @TempDir static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.spark();
  }


  static List<Row> rows(String warehouse, String runId) {
    return spark.read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("run_id = '" + runId + "'").orderBy("path").collectAsList();
  }

  static String name(Row row) {
    return new org.apache.hadoop.fs.Path(row.<String>getAs("path")).getName();
  }

  @Test
  void everyRefusalInNumpysFixturesIsARowWithItsReasonBesideTheGoodFiles() throws IOException {
    List<Expected> manifest = Fixtures.manifest();
    assertThat(REFUSALS.keySet()).as("the manifest's refusals, each with its reason written here")
        .containsExactlyInAnyOrderElementsOf(
            manifest.stream().filter(Expected::refuse).map(Expected::file).toList());
    Path in = Files.createDirectories(tmp.resolve("fixtures"));
    for (Expected e : manifest) {
      Files.copy(Fixtures.dir().resolve(e.file()), in.resolve(e.file()));
    }
    String warehouse = tmp.resolve("fixtures-warehouse").toString();

    CliRun stats = run("stats", "--in", in.toString(), "--warehouse", warehouse, "--run-id", "hostile");

    int refused = REFUSALS.size();
    int ok = manifest.size() - refused;
    assertThat(stats.code()).isEqualTo(Main.FAILED);
    assertThat(stats.out()).contains(String.format("stats: %d files (%d ok, %d failed)",
        manifest.size(), ok, refused));
    List<String> expectedErr = new ArrayList<>();
    expectedErr.add(refused + " file(s) refused; each has a row with status 'error' (first 10 shown):");
    REFUSALS.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(10).forEach(e ->
        expectedErr.add("  " + in.resolve(e.getKey()) + ": " + e.getValue()));
    assertThat(stats.err().lines()).containsExactlyElementsOf(expectedErr);

    List<Row> rows = rows(warehouse, "hostile");
    assertThat(rows).extracting(HostileInputTest::name)
        .containsExactlyInAnyOrderElementsOf(manifest.stream().map(Expected::file).toList());
    for (Expected e : manifest) {
      Row row = rows.stream().filter(r -> name(r).equals(e.file())).findFirst().orElseThrow();
      if (e.refuse()) {
        assertThat(row.<String>getAs("status")).as(e.file()).isEqualTo("error");
        assertThat(row.<String>getAs("error")).as("%s (numpy's manifest: %s)", e.file(), e.why())
            .isEqualTo(REFUSALS.get(e.file()));
        assertThat(row.<Long>getAs("bytes")).as(e.file())
            .isEqualTo(Files.size(Fixtures.dir().resolve(e.file())));
      } else {
        assertThat(row.<String>getAs("status")).as(e.file()).isEqualTo("ok");
        assertThat(row.<String>getAs("error")).as(e.file()).isNull();
        assertThat(row.<Long>getAs("n")).as(e.file()).isEqualTo(e.n());
      }
    }
  }

  /** Four kinds of broken file, 2,500 of each, in one folder. */
  @Test
  @Tag("slow")
  void tenThousandEmptyOrBrokenFilesGiveTenThousandErrorRows() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("ten-thousand"));
    byte[] truncatedData = Files.readAllBytes(Fixtures.dir().resolve("truncated_data.npy"));
    byte[] headerOnly = Arrays.copyOf(truncatedData, 128);
    byte[][] kinds = {new byte[0], "not numbers at all".getBytes(StandardCharsets.US_ASCII),
        headerOnly, truncatedData};
    for (int i = 0; i < 10_000; i++) {
      Files.write(in.resolve(String.format("broken_%05d.npy", i)), kinds[i % 4]);
    }
    String warehouse = tmp.resolve("ten-thousand-warehouse").toString();

    CliRun stats = run("stats", "--in", in.toString(), "--warehouse", warehouse, "--run-id", "broken");

    assertThat(stats.code()).isEqualTo(Main.FAILED);
    assertThat(stats.out()).contains("stats: 10,000 files (0 ok, 10,000 failed), 0 samples");
    List<String> err = stats.err().lines().toList();
    assertThat(err).hasSize(11);
    assertThat(err.get(0))
        .isEqualTo("10,000 file(s) refused; each has a row with status 'error' (first 10 shown):");
    assertThat(err.get(1)).isEqualTo("  " + in.resolve("broken_00000.npy")
        + ": file is empty: expected the .npy magic \\x93NUMPY, found 0 bytes");
    assertThat(err.get(2)).isEqualTo("  " + in.resolve("broken_00001.npy")
        + ": not a .npy file: expected the magic \\x93NUMPY, found 'not nu'");

    List<Row> rows = rows(warehouse, "broken");
    assertThat(rows).hasSize(10_000);
    assertThat(rows).extracting(HostileInputTest::name).doesNotHaveDuplicates();
    assertThat(rows).extracting(r -> r.<String>getAs("status")).containsOnly("error");
    Map<String, Long> reasons = rows.stream()
        .collect(Collectors.groupingBy(r -> r.<String>getAs("error"), Collectors.counting()));
    assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
        "file is empty: expected the .npy magic \\x93NUMPY, found 0 bytes", 2_500L,
        "not a .npy file: expected the magic \\x93NUMPY, found 'not nu'", 2_500L,
        "data shorter than the shape needs: shape (1000,) of <f8 needs 8128 bytes with the header,"
            + " file has 128", 2_500L,
        "data shorter than the shape needs: shape (1000,) of <f8 needs 8128 bytes with the header,"
            + " file has 8028", 2_500L));

    Row run = spark.read().parquet(Tables.path(warehouse, Tables.RUNS))
        .where("run_id = 'broken'").select("files", "ok", "failed").first();
    assertThat(List.of(run.getLong(0), run.getLong(1), run.getLong(2)))
        .containsExactly(10_000L, 0L, 10_000L);
  }

  @Test
  void pathsWithSpacesAndNonAsciiNamesSurviveGenerateStatsAndSql() throws IOException {
    assertThat(Charset.forName(System.getProperty("sun.jnu.encoding")))
        .as("the JVM's file name encoding (sun.jnu.encoding); non-ASCII names need a UTF-8 locale"
            + " such as LANG=C.UTF-8")
        .isEqualTo(StandardCharsets.UTF_8);
    Path base = tmp.resolve("dir with spaces").resolve("dätä 数据 ünïcödé");
    Path files = base.resolve("files  two spaces");
    String warehouse = base.resolve("ware house").toString();

    CliRun gen = run("generate", "--out", files.toString(), "--files", "3", "--samples", "500",
        "--seed", "4", "--partitions", "2");
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(gen.out()).contains("generate: 3 files in " + files + " (3 written, 0 already complete)");
    Files.copy(files.resolve("file_0.npy"), files.resolve("ñame wïth späces – 数据 #1 %20.npy"));

    CliRun stats = run("stats", "--in", files.toString(), "--warehouse", warehouse, "--run-id", "names");
    assertThat(stats.code()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("stats: 4 files (4 ok, 0 failed), 2,000 samples");

    List<Row> rows = rows(warehouse, "names");
    assertThat(rows).extracting(r -> r.<String>getAs("path")).containsExactly(
        "file:" + files.resolve("file_0.npy"), "file:" + files.resolve("file_1.npy"),
        "file:" + files.resolve("file_2.npy"),
        "file:" + files.resolve("ñame wïth späces – 数据 #1 %20.npy"));
    assertThat(rows).extracting(r -> r.<String>getAs("status")).containsOnly("ok");
    assertThat(rows.get(3).<Double>getAs("mean")).isEqualTo(rows.get(0).<Double>getAs("mean"));

    CliRun sql = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT path FROM file_stats WHERE path LIKE '%数据 #1 \\%20%'");
    assertThat(sql.code()).as(sql.err()).isZero();
    assertThat(sql.out().lines()).containsExactly("path",
        "file:" + files.resolve("ñame wïth späces – 数据 #1 %20.npy"));
  }
}
