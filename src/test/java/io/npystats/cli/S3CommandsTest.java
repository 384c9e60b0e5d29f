package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.compare.Comparison;
import io.npystats.compare.ComparisonSettings;
import io.npystats.engine.Phase;
import io.npystats.report.BenchmarkRow;
import io.npystats.spark.GenerateJob;
import io.npystats.spark.Tables;
import io.npystats.task.InputPaths;
import io.npystats.task.SummarizeFile;
import io.npystats.testing.S3Server;
import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSnapshot;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.hadoop.fs.statistics.StoreStatisticNames;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate, stats, sql and compare with their input, output and warehouse on {@code s3a://}, against
 * an S3 API server on loopback (S3Proxy), beside the shared Spark session. Each bucket reaches the
 * server through its own {@code fs.s3a.bucket.NAME.*} settings, the retry and time-out settings
 * among them taken from {@code conf/spark-defaults.conf}, as {@code submit.sh} would give them.
 */
@Tag("slow")
class S3CommandsTest {
  static final String BUCKET = "npystats-data";
  static final String WRONG_SECRET_BUCKET = "npystats-wrong-secret";
  static final String MISSING_BUCKET = "npystats-missing";
  static final String DEAD_BUCKET = "npystats-dead";

  @TempDir static Path tmp;
  static S3Server server;
  static final Map<String, String> settings = new java.util.LinkedHashMap<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Server.start(tmp.resolve("s3"));
    server.createBucket(BUCKET);
    server.createBucket(WRONG_SECRET_BUCKET);
    set(server.bucketSettings(BUCKET, S3Server.SECRET_KEY));
    set(server.bucketSettings(WRONG_SECRET_BUCKET, "not-the-secret"));
    set(server.bucketSettings(MISSING_BUCKET, S3Server.SECRET_KEY));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    set(S3Server.bucketSettings(DEAD_BUCKET, "http://127.0.0.1:" + closedPort, S3Server.SECRET_KEY));
    settings.forEach(SharedSpark.spark().sparkContext().hadoopConfiguration()::set);
  }

  private static void set(Map<String, String> bucketSettings) {
    settings.putAll(bucketSettings);
  }

  /** The shared session, with this suite's buckets set in its Hadoop configuration. */
  private static SparkSession spark() {
    return SharedSpark.spark();
  }

  private static Configuration hadoop() {
    return spark().sparkContext().hadoopConfiguration();
  }

  @AfterAll
  static void stopServer() throws Exception {
    Configuration hadoop = SharedSpark.spark().sparkContext().hadoopConfiguration();
    settings.keySet().forEach(hadoop::unset);
    if (server != null) {
      server.close();
    }
  }

  /**
   * Generates {@code files} files on the local disk under {@code name} and copies them to the
   * same name in the bucket: the same bytes in both places.
   *
   * @return the local folder
   */
  private static Path generateBoth(String name, int files, int samples, long seed) throws IOException {
    Path local = tmp.resolve("local-" + name);
    GenerateJob.run(spark(), local.toString(), files, samples, seed, 2);
    s3().copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()),
        new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/" + name));
    return local;
  }

  private static FileSystem s3() throws IOException {
    return FileSystem.get(URI.create("s3a://" + BUCKET + "/"), hadoop());
  }

  @Test
  void generateWritesTheBytesOfALocalRunWithNoTemporaryAndARerunKeepsThem() throws IOException {
    String files = "s3a://" + BUCKET + "/generated";
    FileSystem fs = s3();
    IOStatisticsSnapshot before = new IOStatisticsSnapshot(IOStatisticsSupport.retrieveIOStatistics(fs));
    CliRun gen = run("generate", "--out", files, "--files", "6", "--samples", "2500", "--seed", "11",
        "--partitions", "3");
    assertThat(gen.code()).as(gen.err()).isZero();
    // Each object is uploaded once under its own name: no temporary, no rename (a copy on S3).
    IOStatistics used = difference(IOStatisticsSupport.retrieveIOStatistics(fs), before);
    assertThat(counter(used, StoreStatisticNames.OBJECT_PUT_REQUEST)).as("PUTs")
        .isGreaterThanOrEqualTo(6);
    assertThat(counter(used, StoreStatisticNames.OBJECT_COPY_REQUESTS)).as("copies").isZero();
    assertThat(gen.out()).contains("generate: 6 files in " + files + " (6 written, 0 already complete)");

    Path local = tmp.resolve("local-generated");
    GenerateJob.run(spark(), local.toString(), 6, 2500, 11, 2);
    List<String> names = new ArrayList<>();
    for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(files))) {
      String name = status.getPath().getName();
      names.add(name);
      try (InputStream in = fs.open(status.getPath())) {
        assertThat(in.readAllBytes()).as(name).isEqualTo(Files.readAllBytes(local.resolve(name)));
      }
    }
    assertThat(names).containsExactlyInAnyOrder("_npystats_generate.json", "file_0.npy",
        "file_1.npy", "file_2.npy", "file_3.npy", "file_4.npy", "file_5.npy");

    // A re-run keeps the complete objects and rewrites a short one.
    Files.write(server.objectFile(BUCKET, "generated/file_4.npy"), new byte[] {1, 2, 3});
    CliRun again = run("generate", "--out", files, "--files", "6", "--samples", "2500", "--seed", "11");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("(1 written, 5 already complete)");
    assertThat(Files.readAllBytes(server.objectFile(BUCKET, "generated/file_4.npy")))
        .isEqualTo(Files.readAllBytes(local.resolve("file_4.npy")));
  }

  @Test
  void statsOnAFolderAGlobAndAListGiveTheRowsOfALocalRunWithOneGetAndNoHeadPerListedFile() throws IOException {
    String files = "s3a://" + BUCKET + "/stats-input";
    Path local = generateBoth("stats-input", 8, 1000, 5);
    FileSystem fs = s3();
    String localWarehouse = tmp.resolve("local-warehouse").toString();
    String warehouse = "s3a://" + BUCKET + "/warehouse";

    CliRun reference = run("stats", "--in", local.toString(), "--warehouse", localWarehouse,
        "--run-id", "local");
    assertThat(reference.code()).as(reference.err()).isZero();
    List<String> expected = rows(localWarehouse, "local");

    CliRun folder = run("stats", "--in", files, "--warehouse", warehouse, "--run-id", "folder");
    assertThat(folder.code()).as(folder.err()).isZero();
    assertThat(folder.out()).contains("stats: 8 files (8 ok, 0 failed), 8,000 samples")
        .contains("tables: " + warehouse + "/file_stats and " + warehouse + "/runs, run_id = folder");
    assertThat(rows(warehouse, "folder")).isEqualTo(expected);

    // The listing gives each file's length: a file then costs its one GET and no HEAD. Measured
    // on the driver's file system instance, which the tasks of a local session share; the rows go
    // to a local warehouse so that only the listing and the reads reach the store.
    IOStatisticsSnapshot beforeListing =
        new IOStatisticsSnapshot(IOStatisticsSupport.retrieveIOStatistics(fs));
    InputPaths.listing(files, hadoop());
    IOStatistics listing = difference(IOStatisticsSupport.retrieveIOStatistics(fs), beforeListing);
    IOStatisticsSnapshot before = new IOStatisticsSnapshot(IOStatisticsSupport.retrieveIOStatistics(fs));
    CliRun counted = run("stats", "--in", files, "--warehouse", localWarehouse, "--run-id", "counted");
    assertThat(counted.code()).as(counted.err()).isZero();
    IOStatistics used = difference(IOStatisticsSupport.retrieveIOStatistics(fs), before);
    assertThat(rows(localWarehouse, "counted")).isEqualTo(expected);
    assertThat(counter(used, StoreStatisticNames.ACTION_HTTP_GET_REQUEST)).as("GETs").isEqualTo(8);
    // A HEAD the input stream makes itself is counted only as an HTTP HEAD.
    assertThat(counter(used, StoreStatisticNames.ACTION_HTTP_HEAD_REQUEST)).as("HEADs")
        .isEqualTo(counter(listing, StoreStatisticNames.ACTION_HTTP_HEAD_REQUEST));
    assertThat(counter(used, StoreStatisticNames.OBJECT_METADATA_REQUESTS)).as("metadata requests")
        .isEqualTo(counter(listing, StoreStatisticNames.OBJECT_METADATA_REQUESTS));
    assertThat(counter(used, StoreStatisticNames.OBJECT_LIST_REQUEST)).as("LISTs")
        .isEqualTo(counter(listing, StoreStatisticNames.OBJECT_LIST_REQUEST));

    // An object gone since the listing fails on its GET, and its row says so; one named without a
    // length (from a list) costs one HEAD and one GET, never a second HEAD to open it.
    SummarizeFile summarize = new SummarizeFile(hadoop());
    org.apache.hadoop.fs.Path gone = new org.apache.hadoop.fs.Path(files + "-gone/file_0.npy");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.resolve("file_0.npy").toUri()), gone);
    FileStatus listed = fs.listStatus(gone.getParent())[0];
    fs.delete(gone, false);
    assertThat(summarize.first(gone.toString(), listed, Long.MAX_VALUE).summary().error())
        .isEqualTo("no such file");
    before = new IOStatisticsSnapshot(IOStatisticsSupport.retrieveIOStatistics(fs));
    for (int i = 0; i < 8; i++) {
      assertThat(summarize.apply(files + "/file_" + i + ".npy").isOk()).isTrue();
    }
    used = difference(IOStatisticsSupport.retrieveIOStatistics(fs), before);
    assertThat(counter(used, StoreStatisticNames.ACTION_HTTP_GET_REQUEST)).as("GETs").isEqualTo(8);
    assertThat(counter(used, StoreStatisticNames.OBJECT_METADATA_REQUESTS)).as("HEADs").isEqualTo(8);
    assertThat(counter(used, StoreStatisticNames.ACTION_HTTP_HEAD_REQUEST)).as("HTTP HEADs").isEqualTo(8);
    assertThat(counter(used, StoreStatisticNames.OBJECT_LIST_REQUEST)).as("LISTs").isZero();

    // A table write to S3 takes seconds against S3Proxy: the other inputs' rows go to local disk.
    CliRun glob = run("stats", "--in", files + "/file_[1-3].npy", "--warehouse", localWarehouse,
        "--run-id", "glob");
    assertThat(glob.code()).as(glob.err()).isZero();
    assertThat(rows(localWarehouse, "glob")).isEqualTo(expected.subList(1, 4));

    Files.writeString(tmp.resolve("list.txt"),
        "# two files\n" + files + "/file_9.npy\n" + files + "/file_0.npy\n");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(tmp.resolve("list.txt").toUri()),
        new org.apache.hadoop.fs.Path(files + "-list.txt"));
    CliRun list = run("stats", "--in", files + "-list.txt", "--warehouse", localWarehouse,
        "--run-id", "list");
    assertThat(list.code()).isEqualTo(1);
    assertThat(list.err()).contains(files + "/file_9.npy: no such file");
    assertThat(rows(localWarehouse, "list")).hasSize(2).contains(expected.get(0));

    CliRun sql = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT run_id, count(*) AS files FROM file_stats GROUP BY run_id ORDER BY run_id");
    assertThat(sql.code()).as(sql.err()).isZero();
    assertThat(sql.out()).contains("folder,8");
    CliRun runs = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT input, master FROM runs WHERE run_id = 'folder'");
    assertThat(runs.out()).contains(files).doesNotContain(S3Server.SECRET_KEY)
        .doesNotContain(S3Server.ACCESS_KEY);
  }

  @Test
  void compareReadsItsInputFromS3() throws Exception {
    String files = "s3a://" + BUCKET + "/compare-input";
    generateBoth("compare-input", 4, 500, 3);
    // compare hands its child processes the spark.hadoop.* settings of the Spark configuration
    // (system properties, as spark-submit sets them), not those of the running session.
    Map<String, String> bucket = server.bucketSettings(BUCKET, S3Server.SECRET_KEY);
    bucket.forEach((key, value) -> System.setProperty("spark.hadoop." + key, value));
    try {
      // The spark engine runs in the shared session, which has this suite's buckets.
      ComparisonSettings compare = new ComparisonSettings(files, List.of(), 500, 3, List.of(2),
          List.of("sequential", "threads", "processes", "spark"), EnumSet.of(Phase.STATS), 1,
          "s3a://" + BUCKET + "/compare-warehouse", tmp.resolve("report"),
          tmp.resolve("compare-work").toString(), "s3-compare", null, Map.of(), false);
      StringWriter out = new StringWriter();
      Comparison.Outcome outcome = new Comparison(compare, new PrintWriter(out),
          SharedSpark.engineSessions()).run();
      assertThat(outcome.failedFiles()).isZero();
      assertThat(outcome.rows()).extracting(BenchmarkRow::engine).contains("spark", "processes");
      assertThat(out.toString()).contains("4 files").doesNotContain("error")
          .contains("Every engine gave the same results as sequential for every file");
    } finally {
      bucket.keySet().forEach(key -> System.clearProperty("spark.hadoop." + key));
    }
  }

  @Test
  void aBrokenOrMissingObjectGetsAnErrorRowWithItsReason() throws IOException {
    String files = "s3a://" + BUCKET + "/broken-input";
    Path local = generateBoth("broken-input", 2, 100, 1);
    FileSystem fs = s3();
    byte[] whole = Files.readAllBytes(local.resolve("file_1.npy"));
    Files.write(server.objectFile(BUCKET, "broken-input/file_1.npy"),
        java.util.Arrays.copyOf(whole, whole.length - 8));
    try (var out = fs.create(new org.apache.hadoop.fs.Path(files + ".txt"))) {
      out.write(("file_0.npy\nfile_1.npy\nfile_9.npy\n").replace("file_", files + "/file_")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String warehouse = tmp.resolve("broken-warehouse").toString();
    CliRun stats = run("stats", "--in", files + ".txt", "--warehouse", warehouse, "--run-id", "broken");
    assertThat(stats.code()).as(stats.err()).isEqualTo(1);
    assertThat(stats.out()).contains("stats: 3 files (1 ok, 2 failed)");
    List<Row> errors = spark().read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("status = 'error'").orderBy("path").select("path", "error").collectAsList();
    assertThat(errors).extracting(row -> row.getString(0) + ": " + row.getString(1)).containsExactly(
        files + "/file_1.npy: data shorter than the shape needs: shape (100,) of <f8 needs 928 bytes"
            + " with the header, file has 920",
        files + "/file_9.npy: no such file");
  }

  @Test
  void aWrongSecretAMissingBucketAndADeadEndpointEachFailWithOneLine() {
    CliRun wrong = run("stats", "--in", "s3a://" + WRONG_SECRET_BUCKET + "/files",
        "--warehouse", "s3a://" + WRONG_SECRET_BUCKET + "/warehouse");
    assertOneLineFailure(wrong);
    assertThat(wrong.err()).contains("s3a://" + WRONG_SECRET_BUCKET + "/files")
        .contains("403").doesNotContain("not-the-secret");

    CliRun missing = run("stats", "--in", "s3a://" + MISSING_BUCKET + "/files");
    assertOneLineFailure(missing);
    assertThat(missing.err()).contains(MISSING_BUCKET).containsIgnoringCase("bucket");

    long start = System.nanoTime();
    CliRun dead = run("generate", "--out", "s3a://" + DEAD_BUCKET + "/files", "--files", "2");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertOneLineFailure(dead);
    assertThat(dead.err()).contains(DEAD_BUCKET);
    assertThat(seconds).as("seconds to give up on a closed port").isLessThan(60);
  }

  /**
   * A stats run killed outright (SIGKILL, in a child JVM) while its table write is under way on
   * S3 leaves no row of that run, in file_stats or runs, and a re-run with the same id writes
   * each row once. The kill lands between the write's first object under Spark's staging
   * prefix and the commit that removes it.
   */
  @Test
  void statsKilledWhileWritingToS3LeavesNoRows() throws Exception {
    int files = 200;
    Path in = tmp.resolve("kill-input");
    GenerateJob.run(spark(), in.toString(), files, 8, 21, 2);
    String warehouse = "s3a://" + BUCKET + "/kill-warehouse";
    Path table = server.objectFile(BUCKET, "kill-warehouse/" + Tables.FILE_STATS);
    // S3Proxy keeps each object as a file: its folders show the staging prefix as a disk would.
    String killed = KilledRunsTest.killDuringTableWrite(tmp, table,
        child -> server.bucketSettings(BUCKET, S3Server.SECRET_KEY)
            .forEach((key, value) -> child.flag("-Dspark.hadoop." + key + "=" + value)),
        "--in", in.toString(), "--warehouse", warehouse, "--partitions", "2");

    // What the killed run left is hidden from readers: Spark's staging prefix, no partition.
    String partition = Tables.RUN_ID + "=" + killed + "/";
    assertThat(visibleObjects(Tables.path(warehouse, Tables.FILE_STATS)))
        .as("file_stats objects of the killed run").noneMatch(key -> key.contains(partition));
    assertThat(visibleObjects(Tables.path(warehouse, Tables.RUNS)))
        .as("runs objects of the killed run").noneMatch(key -> key.contains(partition));

    CliRun again = run("stats", "--in", in.toString(), "--warehouse", warehouse, "--run-id", killed);
    assertThat(again.code()).as(again.err()).isZero();
    Dataset<Row> rows = spark().read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("run_id = '" + killed + "'");
    assertThat(rows.count()).isEqualTo(files);
    assertThat(rows.select("path").distinct().count()).isEqualTo(files);
    assertThat(spark().read().parquet(Tables.path(warehouse, Tables.RUNS))
        .where("run_id = '" + killed + "'").count()).isEqualTo(1);
  }

  /** Every object under {@code table} that a reader of the table sees (no hidden prefix). */
  private static List<String> visibleObjects(String table) throws IOException {
    List<String> keys = new ArrayList<>();
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(table);
    if (!s3().exists(root)) {
      return keys;
    }
    var objects = s3().listFiles(root, true);
    while (objects.hasNext()) {
      String key = objects.next().getPath().toString().substring(table.length());
      if (!key.matches(".*/[._][^/]*.*")) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static void assertOneLineFailure(CliRun run) {
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err().lines().filter(line -> line.startsWith("error: ")).count())
        .as(run.err()).isEqualTo(1);
    assertThat(run.err()).as("no stack trace").doesNotContain("\tat ");
  }

  /** A run's rows without what differs between stores: the path's folder and the timing. */
  private static List<String> rows(String warehouse, String runId) {
    return spark().read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("run_id = '" + runId + "'")
        .selectExpr("regexp_extract(path, '[^/]+$', 0)", "status", "error", "dtype", "shape", "n",
            "mean", "std", "min", "max", "m2", "bytes")
        .orderBy("path").collectAsList().stream().map(Row::toString).toList();
  }

  private static long counter(IOStatistics statistics, String name) {
    return statistics.counters().getOrDefault(name, 0L);
  }

  private static IOStatistics difference(IOStatistics now, IOStatisticsSnapshot before) {
    IOStatisticsSnapshot after = new IOStatisticsSnapshot(now);
    after.counters().replaceAll((name, value) -> value - before.counters().getOrDefault(name, 0L));
    return after;
  }
}
