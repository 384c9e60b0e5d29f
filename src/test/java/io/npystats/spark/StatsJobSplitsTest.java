package io.npystats.spark;

import static io.npystats.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.FileStatsRows;
import io.npystats.testing.Fixtures;
import io.npystats.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/** Files larger than a split, read by one task per split and merged back into one row each. */
class StatsJobSplitsTest {
  @TempDir static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.spark();
  }

  /** Counts the tasks of the jobs that read splits. */
  static final class SplitTasks extends SparkListener {
    final AtomicInteger tasks = new AtomicInteger();

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      String description = job.properties().getProperty("spark.job.description", "");
      if (description.contains(" splits of ")) {
        for (StageInfo stage : CollectionConverters.asJava(job.stageInfos())) {
          tasks.addAndGet(stage.numTasks());
        }
      }
    }
  }

  /**
   * Counts the jobs that read files or splits, and the tasks of those that read files (not those
   * that read splits again with exact sums).
   */
  static final class ReadJobs extends SparkListener {
    final AtomicInteger jobs = new AtomicInteger();
    final AtomicInteger tasks = new AtomicInteger();

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      String description = job.properties().getProperty("spark.job.description", "");
      if (description.startsWith("stats of ") || description.startsWith("exact sums of ")) {
        jobs.incrementAndGet();
        if (description.startsWith("exact sums of ")) {
          return;
        }
        for (StageInfo stage : CollectionConverters.asJava(job.stageInfos())) {
          tasks.addAndGet(stage.numTasks());
        }
      }
    }
  }

  private static Map<String, Row> run(String input, String runId, long splitBytes,
      SparkListener listener) throws Exception {
    String warehouse = tmp.resolve("warehouse").toString();
    spark.sparkContext().addSparkListener(listener);
    try {
      StatsJob.run(spark, input, warehouse, runId, 3, splitBytes, 0);
    } finally {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      spark.sparkContext().removeSparkListener(listener);
    }
    return FileStatsRows.byName(spark, warehouse, runId);
  }

  private static void assertSameRow(String file, Row split, Row whole) {
    for (String column : List.of("status", "error", "dtype", "shape", "n", "bytes", "min", "max")) {
      assertThat((Object) split.getAs(column)).as(file + " " + column).isEqualTo(whole.getAs(column));
    }
    for (String column : List.of("mean", "std")) {
      if (whole.getAs(column) == null) { // a refused file has no figures
        assertThat((Object) split.getAs(column)).as(file + " " + column).isNull();
      } else {
        assertClose(file + " " + column, split.<Double>getAs(column), whole.<Double>getAs(column));
      }
    }
  }

  /**
   * As {@link #assertSameRow}, and both means within 2 ulps of the exactly rounded one, however
   * the values cancel across splits (the splits' sums are taken again exactly where the
   * compensated ones cannot vouch for the mean).
   */
  private static void assertSameFixtureRow(Fixtures.Expected e, Row split, Row whole) {
    assertSameRow(e.file(), split, whole);
    if ("ok".equals(split.getAs("status")) && Double.isFinite(e.mean())) {
      for (Row row : List.of(split, whole)) {
        double mean = row.<Double>getAs("mean");
        assertThat(Math.abs(mean - e.mean()))
            .as("%s mean %s, exact %s", e.file(), mean, e.mean())
            .isLessThanOrEqualTo(2 * Math.ulp(e.mean()));
      }
    }
  }

  @Test
  void everyFixtureReadInSmallSplitsGetsTheRowOfItsWholeRead() throws Exception {
    String fixtures = Fixtures.dir() + "/*.npy";
    Map<String, Row> whole = run(fixtures, "whole", Long.MAX_VALUE, new SplitTasks());
    ReadJobs reads = new ReadJobs();
    Map<String, Row> split = run(fixtures, "split", 4096, reads);

    assertThat(split.keySet()).isEqualTo(whole.keySet());
    long expectedTasks = 0;
    for (Fixtures.Expected e : Fixtures.manifest()) {
      assertSameFixtureRow(e, split.get(e.file()), whole.get(e.file()));
      if (!e.refuse()) {
        long data = e.n() * Integer.parseInt(e.dtype().substring(2));
        expectedTasks += data > 4096 ? (data + 4095) / 4096 : 0;
      }
    }
    assertThat(expectedTasks).isGreaterThan(500);
    // A glob's listing gives the lengths: the splits are read in the job that reads the small
    // files, in its 3 partitions.
    assertThat(reads.tasks.get()).as("one task per split").isEqualTo((int) expectedTasks + 3);
  }

  @Test
  void aGeneratedFileReadInThreeSplitsGetsOneRowAndTheRunItsSamples() throws Exception {
    Path dir = tmp.resolve("generated");
    GenerateJob.run(spark, dir.toString(), 2, 20_000, 11, 2);
    Files.copy(Fixtures.dir().resolve("truncated_data.npy"), dir.resolve("truncated_data.npy"));
    Map<String, Row> whole = run(dir.toString(), "generated-whole", Long.MAX_VALUE, new SplitTasks());
    SplitTasks tasks = new SplitTasks();
    Map<String, Row> split = run(dir.toString(), "generated-split", 64 * 1024, tasks);

    // The folder's listing gives the lengths: the two files' three splits each are read in the
    // job that reads the third file, in one task more.
    assertThat(tasks.tasks.get()).isEqualTo(2 * 3 + 1);
    assertThat(split).containsOnlyKeys("file_0.npy", "file_1.npy", "truncated_data.npy");
    split.forEach((file, row) -> assertSameRow(file, row, whole.get(file)));
    assertThat(split.get("file_0.npy").<Long>getAs("n")).isEqualTo(20_000);

    // Splits merge in their order, whatever order their tasks ran in.
    Map<String, Row> again = run(dir.toString(), "generated-again", 64 * 1024, new SplitTasks());
    for (String file : split.keySet()) {
      for (String column : List.of("n", "mean", "std", "min", "max", "m2")) {
        assertThat((Object) again.get(file).getAs(column)).as(file + " " + column)
            .isEqualTo(split.get(file).getAs(column));
      }
    }
    assertThat(split.get("truncated_data.npy").<String>getAs("error")).isEqualTo(
        "data shorter than the shape needs: shape (1000,) of <f8 needs 8128 bytes with the header,"
            + " file has 8028");
  }

  @Test
  void filesTheListingSaysAreLargeAreReadInSplitsInTheJobThatReadsTheOthers() throws Exception {
    Path dir = tmp.resolve("listed");
    GenerateJob.run(spark, dir.toString(), 3, 20_000, 12, 2);
    byte[] whole = Files.readAllBytes(dir.resolve("file_2.npy"));
    Files.write(dir.resolve("file_2.npy"), Arrays.copyOf(whole, 100_000));
    Files.copy(Fixtures.dir().resolve("one_f8.npy"), dir.resolve("small.npy"));
    // A glob's listing gives each file's length: the driver knows the large files before the job.
    String input = dir + "/*.npy";
    Map<String, Row> wholeRows = run(input, "listed-whole", Long.MAX_VALUE, new ReadJobs());
    ReadJobs reads = new ReadJobs();
    Map<String, Row> split = run(input, "listed-split", 64 * 1024, reads);

    assertThat(reads.jobs.get()).as("one job reads the files and the splits").isEqualTo(1);
    assertThat(reads.tasks.get()).as("two files in 3 splits each, and one task of small files")
        .isEqualTo(2 * 3 + 1);
    assertThat(split).containsOnlyKeys("file_0.npy", "file_1.npy", "file_2.npy", "small.npy");
    split.forEach((file, row) -> assertSameRow(file, row, wholeRows.get(file)));
    assertThat(split.get("file_0.npy").<Long>getAs("n")).isEqualTo(20_000);
    assertThat(split.get("file_2.npy").<String>getAs("error")).isEqualTo(
        "data shorter than the shape needs: shape (20000,) of <f8 needs 160128 bytes with the"
            + " header, file has 100000");

    // The folder's own listing gives each file's length as well.
    ReadJobs folderReads = new ReadJobs();
    Map<String, Row> folder = run(dir.toString(), "listed-folder", 64 * 1024, folderReads);
    assertThat(folderReads.jobs.get()).as("one job reads the folder's files and splits")
        .isEqualTo(1);
    assertThat(folderReads.tasks.get()).isEqualTo(2 * 3 + 1);
    assertThat(folder).containsOnlyKeys(split.keySet());
    folder.forEach((file, row) -> assertSameRow(file, row, split.get(file)));
  }

  @Test
  void aSingleLargeFileIsReadInSplitsInOneJob() throws Exception {
    Path dir = tmp.resolve("single");
    GenerateJob.run(spark, dir.toString(), 1, 20_000, 13, 1);
    String input = dir.resolve("file_0.npy").toString();
    Map<String, Row> wholeRows = run(input, "single-whole", Long.MAX_VALUE, new ReadJobs());
    ReadJobs reads = new ReadJobs();
    Map<String, Row> split = run(input, "single-split", 64 * 1024, reads);

    assertThat(reads.jobs.get()).isEqualTo(1);
    assertThat(reads.tasks.get()).as("its 3 splits and nothing else").isEqualTo(3);
    assertSameRow("file_0.npy", split.get("file_0.npy"), wholeRows.get("file_0.npy"));
    assertThat(split.get("file_0.npy").<Long>getAs("n")).isEqualTo(20_000);
  }
}
