package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static io.npystats.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.spark.GenerateJob;
import io.npystats.testing.FileStatsRows;
import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate, stats and sql with their input and output on {@code hdfs://}: an in-process HDFS (one
 * name node, one data node on loopback) beside the shared Spark session.
 */
class HdfsCommandsTest {
  @TempDir static Path tmp;
  static MiniDFSCluster cluster;
  static String hdfs;
  static FileSystem fs;
  static SparkSession spark;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    fs = FileSystem.get(URI.create(hdfs), conf);
    spark = SharedSpark.spark();
  }

  @AfterAll
  static void stopHdfs() throws IOException {
    if (fs != null) {
      fs.close();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
  }


  @Test
  void generateStatsAndSqlWorkOnHdfs() throws IOException {
    String files = hdfs + "/data/files";
    String warehouse = hdfs + "/data/warehouse";

    CliRun gen = run("generate", "--out", files, "--files", "6", "--samples", "2500", "--seed", "11",
        "--partitions", "3");
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(gen.out()).contains("generate: 6 files in " + files + " (6 written, 0 already complete)");

    // Byte for byte what the same generation writes to the local disk, and nothing else there.
    Path local = tmp.resolve("local-files");
    GenerateJob.run(spark, local.toString(), 6, 2500, 11, 2);
    List<String> names = new ArrayList<>();
    for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(files))) {
      String name = status.getPath().getName();
      names.add(name);
      if (name.startsWith("_")) {
        continue; // the manifest, checked below
      }
      try (InputStream in = fs.open(status.getPath())) {
        assertThat(in.readAllBytes()).as(name).isEqualTo(Files.readAllBytes(local.resolve(name)));
      }
    }
    assertThat(names).containsExactlyInAnyOrder("file_0.npy", "file_1.npy", "file_2.npy", "file_3.npy",
        "file_4.npy", "file_5.npy", "_npystats_generate.json");
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(files, "_npystats_generate.json"))) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("\"seed\" : 11,").contains("\"complete\" : true");
    }

    // A file of the right length with another file's bytes is read back, found out and rewritten.
    org.apache.hadoop.fs.Path second = new org.apache.hadoop.fs.Path(files, "file_2.npy");
    byte[] secondBytes;
    try (InputStream in = fs.open(second)) {
      secondBytes = in.readAllBytes();
    }
    try (var out = fs.create(second, true)) {
      out.write(Files.readAllBytes(local.resolve("file_1.npy")));
    }

    CliRun again = run("generate", "--out", files, "--files", "6", "--samples", "2500", "--seed", "11");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("(0 written, 5 already complete, 1 rewritten that had the right"
        + " length but other bytes)");
    try (InputStream in = fs.open(second)) {
      assertThat(in.readAllBytes()).isEqualTo(secondBytes);
    }

    CliRun reseeded = run("generate", "--out", files, "--files", "6", "--samples", "2500", "--seed", "12");
    assertThat(reseeded.code()).isEqualTo(Main.USAGE);
    assertThat(reseeded.err()).startsWith("error: " + files
        + " was generated with --seed 11, not 12; add --overwrite to replace it\n");

    CliRun stats = run("stats", "--in", files, "--warehouse", warehouse, "--run-id", "on-hdfs");
    assertThat(stats.code()).as(stats.err()).isZero();
    assertThat(stats.out())
        .contains("stats: 6 files (6 ok, 0 failed), 15,000 samples")
        .contains("tables: " + warehouse + "/file_stats and " + warehouse + "/runs, run_id = on-hdfs");
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(warehouse + "/file_stats/run_id=on-hdfs")))
        .isTrue();

    CliRun sql = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT path, status, n FROM file_stats WHERE run_id = 'on-hdfs' ORDER BY path");
    assertThat(sql.code()).as(sql.err()).isZero();
    List<String> expected = new ArrayList<>(List.of("path,status,n"));
    for (int i = 0; i < 6; i++) {
      expected.add(files + "/file_" + i + ".npy,ok,2500");
    }
    assertThat(sql.out().lines()).containsExactlyElementsOf(expected);

    CliRun runs = run("sql", "--warehouse", warehouse, "--format", "jsonl",
        "SELECT run_id, input, files, failed FROM runs");
    assertThat(runs.out().strip()).isEqualTo(
        "{\"run_id\":\"on-hdfs\",\"input\":\"" + files + "\",\"files\":6,\"failed\":0}");
  }

  @Test
  void aBrokenFileOnHdfsIsARowWithItsReason() throws IOException {
    String dir = hdfs + "/broken";
    try (var out = fs.create(new org.apache.hadoop.fs.Path(dir + "/half.npy"))) {
      out.write(Files.readAllBytes(io.npystats.testing.Fixtures.dir().resolve("truncated_data.npy")));
    }
    // Selected by the rule a local folder follows: a folder named like a .npy file gets its row.
    fs.mkdirs(new org.apache.hadoop.fs.Path(dir + "/x.npy"));
    fs.mkdirs(new org.apache.hadoop.fs.Path(dir + "/sub"));
    CliRun stats = run("stats", "--in", dir, "--warehouse", hdfs + "/broken-warehouse",
        "--run-id", "broken");
    assertThat(stats.code()).isEqualTo(Main.FAILED);
    assertThat(stats.out()).contains("stats: 2 files (0 ok, 2 failed)");
    assertThat(stats.err()).contains("2 file(s) refused; each has a row with status 'error':")
        .contains(dir + "/half.npy: data shorter than the shape needs")
        .contains(dir + "/x.npy: is a directory, not a .npy file");
  }

  @Test
  void aFileLargerThanASplitOnHdfsIsReadInSplitsIntoTheRowOfItsWholeRead() throws IOException {
    Path local = tmp.resolve("large");
    GenerateJob.run(spark, local.toString(), 1, 300_000, 13, 1);
    String dir = hdfs + "/large";
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.resolve("file_0.npy").toString()),
        new org.apache.hadoop.fs.Path(dir + "/file_0.npy"));
    String warehouse = hdfs + "/large-warehouse";

    CliRun split = run("stats", "--in", dir, "--warehouse", warehouse, "--run-id", "split",
        "--split-size", "1m");
    assertThat(split.code()).as(split.err()).isZero();
    assertThat(split.out()).contains("stats: 1 files (1 ok, 0 failed), 300,000 samples")
        .contains("1 file larger than a split read in 3 splits, a task each");
    CliRun whole = run("stats", "--in", dir, "--warehouse", warehouse, "--run-id", "whole",
        "--split-size", "1g");
    assertThat(whole.code()).as(whole.err()).isZero();
    assertThat(whole.out()).doesNotContain("larger than a split");

    Row splitRow = FileStatsRows.byName(spark, warehouse, "split").get("file_0.npy");
    Row wholeRow = FileStatsRows.byName(spark, warehouse, "whole").get("file_0.npy");
    for (String column : List.of("status", "n", "min", "max", "bytes")) {
      assertThat((Object) splitRow.getAs(column)).as(column).isEqualTo(wholeRow.getAs(column));
    }
    assertClose("mean", splitRow.getAs("mean"), wholeRow.getAs("mean"));
    assertClose("std", splitRow.getAs("std"), wholeRow.getAs("std"));
  }
}
