package io.npystats.task;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A half-open range {@code [start, end)} of item indices: one partition's files to write, or one
 * child process's share of a list.
 */
public record IndexRange(long start, long end) implements Serializable {
  /**
   * {@code count} items from {@code first} cut into {@code slices} contiguous ranges whose sizes
   * differ by one at most; fewer ranges when there are fewer items, and one empty range for none.
   */
  public static List<IndexRange> cut(long first, long count, int slices) {
    int n = (int) Math.max(1, Math.min(count, slices));
    List<IndexRange> ranges = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ranges.add(new IndexRange(first + count * i / n, first + count * (i + 1) / n));
    }
    return ranges;
  }

  public long size() {
    return end - start;
  }
}
