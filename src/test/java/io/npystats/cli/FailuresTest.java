package io.npystats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.spark.WarehouseWriteException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** The one line a failed command ends with names what it was writing and the root cause. */
class FailuresTest {
  @Test
  void aFullDiskDeepInATaskFailureIsNamed() {
    // The chain Spark gives the driver for a task that hit a full disk: the job, the task, the
    // writer, Hadoop's wrapper of the JDK's IOException.
    Throwable chain = new WarehouseWriteException("file:/w/file_stats", new SparkException(
        "Job aborted due to stage failure: Task 0 in stage 2.0 failed 4 times\n\tat ...",
        new SparkException("[TASK_WRITE_FAILED] Task failed while writing rows to"
            + " file:/w/file_stats/.spark-staging-1234. SQLSTATE: 58030",
            new RuntimeException("java.io.IOException: No space left on device",
                new IOException("No space left on device")))));
    assertThat(Failures.describe(chain))
        .isEqualTo("cannot write file:/w/file_stats: no space left on device");
  }

  @Test
  void aFolderThatCannotBeWrittenIsNamed() {
    assertThat(Failures.describe(new WarehouseWriteException("/w", new AccessDeniedException("/w/_writer.lock"))))
        .isEqualTo("cannot write /w: /w/_writer.lock is not writable (permission denied)");
    assertThat(Failures.describe(new WarehouseWriteException("/ro/w",
        new FileSystemException("/ro/w", null, "Read-only file system"))))
        .isEqualTo("cannot write /ro/w: /ro/w is not writable (read-only file system)");
    assertThat(Failures.describe(new WarehouseWriteException("/f/w",
        new FileSystemException("/f/w", null, "Not a directory"))))
        .isEqualTo("cannot write /f/w: /f/w is not writable (part of its path is a file, not a folder)");
  }

  @Test
  void aFolderHadoopCouldNotMakeIsNotWritable() {
    assertThat(Failures.describe(new WarehouseWriteException("file:/w/runs",
        new IOException("Mkdirs failed to create file:/w/runs/.spark-staging-1/_temporary/0"))))
        .isEqualTo("cannot write file:/w/runs: not writable (Mkdirs failed to create"
            + " file:/w/runs/.spark-staging-1/_temporary/0)");
  }

  @Test
  void anUnknownCauseKeepsItsOwnFirstLine() {
    assertThat(Failures.describe(new WarehouseWriteException("/w", new IllegalStateException("odd\nmore"))))
        .isEqualTo("cannot write /w: odd");
    assertThat(Failures.describe(new IOException("input /x does not exist")))
        .isEqualTo("input /x does not exist");
  }
}
