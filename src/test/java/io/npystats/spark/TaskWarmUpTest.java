package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.npystats.npy.NpyWriter;
import io.npystats.task.SummarizeFile;
import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskWarmUpTest {
  @Test
  void runsTheTaskToItsEndAndLeavesNothingBehind(@TempDir Path temporary) throws IOException {
    assertThat(TaskWarmUp.warmUp(temporary)).as("ran to its end").isTrue();
    try (var left = Files.list(temporary)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void theJobsMessagesComeBackAsTheyWereSent(@TempDir Path temporary) throws IOException {
    // 100 values, whose data is more than half the file: two splits.
    double[] values = new double[100];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    values[0] = 1e15;
    values[1] = -1e15;
    Path npy = write(temporary.resolve("a.npy"), values);
    List<Object> sent = messagesOf(npy);

    assertThat(sent).hasSize(4);
    List<Object> received = TaskWarmUp.sentAndReceived(sent);
    assertThat(received.get(0)).isEqualTo(sent.get(0)).isInstanceOf(StatsJob.SplitInput.class);
    assertThat(((StatsJob.PathSlice) received.get(1)).paths()).containsExactly(npy.toString());
    StatsJob.ReadPartition partition = (StatsJob.ReadPartition) received.get(3);
    assertThat(partition.first().large()).hasSize(1);
    assertThat(partition.first().large().get(0).count()).isEqualTo(2);
    // Every field of the parts but the partials' working memory, which is not sent.
    assertThat(partition.first().parts()).usingRecursiveComparison()
        .ignoringFieldsMatchingRegexes("(.*\\.)?stats\\.(state|sums)")
        .isEqualTo(((StatsJob.ReadPartition) sent.get(3)).first().parts());
    // The row of the file merged from its two splits: its exact mean, 4,949 / 100.
    assertThat(partition.first().totals().stats().mean()).isEqualTo(4949.0 / 100);
  }

  @Test
  void aFileWhoseDataFitsInOneSplitGivesNoMessages(@TempDir Path temporary) throws IOException {
    assertThat(messagesOf(write(temporary.resolve("small.npy"), new double[] {1, 2}))).isNull();
  }

  private static Path write(Path npy, double[] values) throws IOException {
    try (var out = Files.newOutputStream(npy)) {
      NpyWriter writer = new NpyWriter(out, values.length, 64);
      writer.write(values, values.length);
      writer.finish();
    }
    return npy;
  }

  private static List<Object> messagesOf(Path npy) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(npy.toUri());
    Configuration conf = new Configuration(false);
    return StatsJob.sampleMessages(new SummarizeFile(conf), npy.toString(),
        path.getFileSystem(conf).getFileStatus(path), StatsJob.FileStatsFormat.of("test", null));
  }

  @Test
  void theWarmUpJobReadsEveryFileInTheTasksAndLeavesNothingBehind() throws IOException {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one core: the plain warm-up job");
    Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = warmUpJobFolders(temporary);
    // Every read of every task gave its file's figures, through the stats job's own task.
    assertThat(TaskWarmUp.job(SharedSpark.spark())).isTrue();
    assertThat(warmUpJobFolders(temporary)).containsExactlyInAnyOrderElementsOf(before);
  }

  private static List<Path> warmUpJobFolders(Path temporary) throws IOException {
    try (var all = Files.list(temporary)) {
      return all.filter(p -> p.getFileName().toString().startsWith("npystats-warm-up-job-"))
          .toList();
    }
  }

  @Test
  void aFolderItCannotWriteEndsItQuietly(@TempDir Path temporary) throws IOException {
    Path notAFolder = Files.writeString(temporary.resolve("file"), "x");
    assertThat(TaskWarmUp.warmUp(notAFolder)).isFalse();
  }
}
