package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  void aFolderItCannotWriteEndsItQuietly(@TempDir Path temporary) throws IOException {
    Path notAFolder = Files.writeString(temporary.resolve("file"), "x");
    assertThat(TaskWarmUp.warmUp(notAFolder)).isFalse();
  }
}
