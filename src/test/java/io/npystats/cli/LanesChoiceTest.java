package io.npystats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.stats.StreamingStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code -Dnpystats.kernel.lanes}, checked before a command does anything. */
class LanesChoiceTest {
  private static final String CHOICE = "npystats.kernel.lanes";
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(CHOICE);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(CHOICE);
    } else {
      System.setProperty(CHOICE, before);
    }
  }

  @Test
  void aChoiceOtherThanScalarOrSimdIsOneLineOfErrorAndNoCommandRuns() {
    System.setProperty(CHOICE, "avx");
    CliRun run = CliRun.run("stats", "--in", "/no/such/folder");
    assertThat(run.code()).isEqualTo(Main.USAGE);
    assertThat(run.err().lines().toList())
        .containsExactly("error: -Dnpystats.kernel.lanes must be scalar or simd, not avx");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aChoiceRefusedLeavesTheKernelUsableWithItsOwnChoice() {
    System.setProperty(CHOICE, "avx");
    assertThat(CliRun.run("--version").code()).isEqualTo(Main.USAGE);
    // The refused property was never this JVM's choice: with it put back, the kernel sums (and,
    // where it had not yet chosen, chooses as it would have without the refused one).
    restore();
    StreamingStats stats = new StreamingStats();
    stats.add(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10);
    assertThat(stats.mean()).isEqualTo(5.5);
  }

  @Test
  void aChoiceThisJvmCanTakeLetsTheCommandRun() {
    System.setProperty(CHOICE, "scalar");
    CliRun run = CliRun.run("--version");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("npystats");
  }
}
