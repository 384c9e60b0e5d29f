package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.cli.Main;
import io.npystats.testing.ChildJvm;
import io.npystats.testing.FailsOnceFileSystem;
import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that dies on its first attempt is tried again, and the job succeeds, when the local
 * master says how many attempts a task gets ({@code local[N,F]}, as {@code submit.sh}'s default
 * {@code local[*,4]} and the test session's {@code local[2,2]} do); under {@code local[N]} the first
 * failure fails the job.
 *
 * <p>The fault is a store that fails hard on the first read of one file inside a task: a
 * {@code flaky://} view of the local disk whose first open of a file named {@code *fails-once*}
 * from a Spark task throws {@link IOError}. The per-file task turns an {@code IOException} into an
 * error row, so only an {@code Error} (the store, or the JVM, broken under the task) ends an
 * attempt; everything else here is the real stats job and the real per-file task. The shared
 * session knows the scheme from the start, so this suite changes none of its settings.
 */
class TaskRetryTest {
  static final String FLAKY = FailsOnceFileSystem.SCHEME;

  @TempDir static Path tmp;
  static SparkSession spark;
  static Path input;

  @BeforeAll
  static void setUp() throws IOException {
    spark = SharedSpark.spark();
    input = tmp.resolve("input");
    GenerateJob.run(spark, input.toString(), 4, 1000, 9, 2);
    Files.move(input.resolve("file_3.npy"), input.resolve("file_3-fails-once.npy"));
  }

  /** Records why tasks ended other than in success. */
  static final class FailedTasks extends SparkListener {
    final List<String> failures = new CopyOnWriteArrayList<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.reason() instanceof ExceptionFailure failure) {
        failures.add("attempt " + end.taskInfo().attemptNumber() + ": " + failure.className() + ": "
            + failure.description());
      }
    }
  }

  @Test
  void aTaskFailingOnceIsRetriedAndTheJobSucceeds() throws Exception {
    assertThat(spark.sparkContext().master()).isEqualTo("local[2,2]");
    FailedTasks listener = new FailedTasks();
    spark.sparkContext().addSparkListener(listener);
    String warehouse = tmp.resolve("warehouse").toString();
    try {
      StatsJob.Result r = StatsJob.run(spark, FLAKY + "://" + input, warehouse, "retried", 2, 0);
      assertThat(r.totals().files()).isEqualTo(4);
      assertThat(r.totals().ok()).as("every file read, the flaky one on the second attempt").isEqualTo(4);
      assertThat(r.totals().failed()).isZero();
      // Listener events arrive asynchronously.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (listener.failures.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    String flakyPath = FLAKY + ":" + input.resolve("file_3-fails-once.npy");
    // The first attempt fails where its read-ahead first opens the file; the second opens it
    // twice, to read it ahead into the page cache and then to read it.
    assertThat(FailsOnceFileSystem.ATTEMPTS.get(flakyPath)).as("attempts that read %s", flakyPath)
        .containsExactly(0, 1, 1);
    assertThat(listener.failures).containsExactly("attempt 0: java.io.IOError: java.io.IOException:"
        + " the store failed reading " + flakyPath + " (first read only)");

    List<Row> rows = spark.read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("run_id = 'retried'").orderBy("path").collectAsList();
    assertThat(rows).hasSize(4);
    assertThat(rows).extracting(row -> row.<String>getAs("status")).containsOnly("ok");
    assertThat(rows).extracting(row -> row.<Long>getAs("n")).containsOnly(1000L);
    assertThat(rows.get(3).<String>getAs("path")).isEqualTo(flakyPath);
  }

  /** The same job in a JVM whose master is plain local[2]: one attempt per task, so it fails. */
  @Test
  void underPlainLocalMasterTheFirstFailureFailsTheJob() throws Exception {
    ChildJvm child = ChildJvm.logTo(tmp.resolve("local2.log"), "1g")
        .flag("-Dspark.master=local[2]")
        .flag("-Dspark.ui.enabled=false")
        .flag("-Dspark.driver.host=127.0.0.1")
        .flag("-Dspark.driver.bindAddress=127.0.0.1")
        .flag("-Dspark.hadoop.fs." + FLAKY + ".impl=" + FailsOnceFileSystem.class.getName());
    Process process = child.main(Main.class.getName(), "stats", "--in", FLAKY + "://" + input,
        "--warehouse", tmp.resolve("local2-warehouse").toString(), "--run-id", "not-retried",
        "--partitions", "2");
    child.assertExit(process, Main.FAILED, 120);
    String flakyPath = FLAKY + ":" + input.resolve("file_3-fails-once.npy");
    List<String> errors = new ArrayList<>();
    for (String line : Files.readAllLines(child.log())) {
      if (line.startsWith("error: ")) {
        errors.add(line);
      }
    }
    assertThat(errors).hasSize(1);
    // The stage's number depends on how many jobs the command ran before this one.
    assertThat(errors.get(0))
        .containsPattern("^error: Job aborted due to stage failure: Task 1 in stage [0-9]+\\.0 failed"
            + " 1 times, most recent failure: Lost task 1\\.0 in stage [0-9]+\\.0 ")
        .contains("java.io.IOError: java.io.IOException: the store failed reading " + flakyPath
            + " (first read only)");
    assertThat(tmp.resolve("local2-warehouse/file_stats")).doesNotExist();
  }
}
