package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cutting items into contiguous shares: as even as whole items allow, and never a lost item. */
class IndexRangeTest {
  @Test
  void sharesDifferByOneAtMostAndCoverEveryItemOnce() {
    assertThat(IndexRange.cut(10, 7, 3)).containsExactly(new IndexRange(10, 12),
        new IndexRange(12, 14), new IndexRange(14, 17));
    assertThat(IndexRange.cut(0, 6, 3)).extracting(IndexRange::size).containsExactly(2L, 2L, 2L);
  }

  @Test
  void fewerItemsThanSlicesGiveOneItemEachAndNoneGiveOneEmptyRange() {
    assertThat(IndexRange.cut(0, 2, 8)).containsExactly(new IndexRange(0, 1), new IndexRange(1, 2));
    assertThat(IndexRange.cut(5, 0, 4)).containsExactly(new IndexRange(5, 5));
  }

  @Test
  void countsPastIntFitWithoutOverflow() {
    long count = 3_000_000_000L;
    assertThat(IndexRange.cut(0, count, 2)).containsExactly(new IndexRange(0, count / 2),
        new IndexRange(count / 2, count));
  }
}
