package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunTotalsTest {
  private static FileSummary refused(int i) {
    return FileSummary.error(String.format("/in/f_%03d.npy", i), "reason " + i, i, 0);
  }

  @Test
  void partitionsMergedInAnyOrderKeepTheFirstRefusalsByPath() {
    List<FileSummary> files = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      files.add(refused(i));
      files.add(new FileSummary("/in/ok_" + i + ".npy", FileSummary.OK, null, "<f8", "(1,)", 1, i,
          0, i, i, 0, 0, 136, 0));
    }
    Collections.shuffle(files, new Random(7));
    RunTotals totals = new RunTotals();
    for (int p = 0; p < 4; p++) {
      RunTotals partition = new RunTotals();
      files.subList(p * 20, (p + 1) * 20).forEach(partition::add);
      totals.merge(partition);
    }

    assertThat(totals.failed()).isEqualTo(40);
    assertThat(totals.ok()).isEqualTo(40);
    List<RunTotals.Failure> expected = new ArrayList<>();
    for (int i = 0; i < RunTotals.FAILURES_KEPT; i++) {
      expected.add(new RunTotals.Failure(String.format("/in/f_%03d.npy", i), "reason " + i));
    }
    assertThat(totals.firstFailures()).containsExactlyElementsOf(expected);
  }

  @Test
  void fewerRefusalsThanKeptAreAllKept() {
    RunTotals totals = new RunTotals().add(refused(5)).merge(new RunTotals().add(refused(2)));
    assertThat(totals.firstFailures()).containsExactly(
        new RunTotals.Failure("/in/f_002.npy", "reason 2"),
        new RunTotals.Failure("/in/f_005.npy", "reason 5"));
    assertThat(new RunTotals().firstFailures()).isEmpty();
  }
}
