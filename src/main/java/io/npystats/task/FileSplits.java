package io.npystats.task;

import io.npystats.npy.NpyHeader;
import io.npystats.stats.StreamingStats;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A file whose data is larger than one split, cut into byte ranges that each hold whole items, to
 * be summarised by one task each and merged back into the file's one row. Made by the file's first
 * task, which has read the header and checked the file's length against it: the split tasks read
 * data only.
 *
 * <p>Statistics do not depend on the order of the values, so C and Fortran order alike are cut
 * anywhere between two items; only the item size matters.
 *
 * @param descr the header's dtype, numpy's descr
 * @param shape the header's shape, as numpy prints it
 * @param dataOffset where the data starts
 * @param dataLength the bytes of data the shape needs; any tail past it is not read, as numpy
 * @param splitBytes bytes a split reads: whole items, the last split may have fewer
 * @param headerSeconds what reading the header took, counted in the file's time
 */
public record FileSplits(String path, long fileLength, String descr, String shape, long dataOffset,
    long dataLength, int itemSize, long splitBytes, double headerSeconds) implements Serializable {

  /** More would be more tasks than any cluster schedules well; a split then grows instead. */
  static final long MAX_SPLITS = 1 << 20;

  /**
   * One split of a file: what a split task is given.
   *
   * @param exactSums whether its part keeps the exact sum of its values ({@link
   *     StreamingStats#exact()}): for a file whose splits' sums could not be vouched for
   */
  public record Split(FileSplits file, int index, boolean exactSums) implements Serializable {
    public long offset() {
      return file.dataOffset + index * file.splitBytes;
    }

    public long length() {
      return Math.min(file.splitBytes, file.dataLength - index * file.splitBytes);
    }
  }

  /**
   * What one split task found: the partial of its values, or why it has none.
   *
   * @param stats null where {@code error} says why
   */
  public record Part(String path, int index, StreamingStats stats, String error, double seconds)
      implements Serializable {}

  /**
   * The splits of a file whose data is larger than {@code maxSplitBytes}, or null where one task
   * reads it whole.
   */
  static FileSplits of(String path, long fileLength, NpyHeader header, long maxSplitBytes,
      double headerSeconds) {
    long data = header.dataLength();
    if (data <= maxSplitBytes) {
      return null;
    }
    int item = header.dtype().itemSize();
    long wanted = Math.max(maxSplitBytes, (data + MAX_SPLITS - 1) / MAX_SPLITS);
    long splitBytes = Math.max(item, wanted / item * item);
    return new FileSplits(path, fileLength, header.dtype().descr(), header.shapeString(),
        header.dataOffset(), data, item, splitBytes, headerSeconds);
  }

  public int count() {
    return (int) ((dataLength + splitBytes - 1) / splitBytes);
  }

  public List<Split> splits() {
    return splits(false);
  }

  /** The splits, read again with exact sums: see {@link #sumsVouchedFor}. */
  public List<Split> splitsWithExactSums() {
    return splits(true);
  }

  private List<Split> splits(boolean exactSums) {
    List<Split> splits = new ArrayList<>(count());
    for (int i = 0; i < count(); i++) {
      splits.add(new Split(this, i, exactSums));
    }
    return splits;
  }

  /**
   * Whether the merged parts' mean is within an ulp or two of the exact one: false where the
   * splits' own sums cancel each other beyond what their bounds vouch for (a +1e20 at the end of
   * one split, its -1e20 at the start of the next), and the splits are to be read again with
   * exact sums. A failed split has nothing to vouch for.
   */
  public boolean sumsVouchedFor(List<Part> parts) {
    StreamingStats stats = merged(inOrder(parts));
    return stats == null || stats.sumVouchedFor();
  }

  /** The parts' partials merged in split order, or null where a split failed. */
  private static StreamingStats merged(List<Part> ordered) {
    StreamingStats stats = null;
    for (Part part : ordered) {
      if (part.error() != null) {
        return null;
      }
      if (stats == null) {
        // Parts with exact sums merge into a partial that keeps them exact.
        stats = part.stats().hasExactSum() ? StreamingStats.exact() : new StreamingStats();
      }
      stats.merge(part.stats());
    }
    return stats;
  }

  private static List<Part> inOrder(List<Part> parts) {
    List<Part> ordered = new ArrayList<>(parts);
    ordered.sort(Comparator.comparingInt(Part::index));
    return ordered;
  }

  /**
   * The file's one row from the parts of all its splits. They are merged in split order, whatever
   * order they arrive in, so the figures are the same to the last bit on every run. A split that
   * failed makes the row an error with its reason, the first split's that failed.
   */
  public FileSummary merge(List<Part> parts) {
    List<Part> ordered = inOrder(parts);
    double seconds = headerSeconds;
    for (Part part : ordered) {
      seconds += part.seconds();
    }
    for (int i = 0; i < count(); i++) {
      if (i >= ordered.size() || ordered.get(i).index() != i || ordered.size() != count()) {
        throw new IllegalArgumentException(path + ": parts of splits " + ordered.stream()
            .map(Part::index).toList() + ", expected each of 0 to " + (count() - 1) + " once");
      }
    }
    StreamingStats stats = merged(ordered);
    if (stats == null) {
      String firstError = ordered.stream().map(Part::error).filter(e -> e != null).findFirst()
          .orElseThrow();
      return FileSummary.error(path, firstError, fileLength, seconds);
    }
    return FileSummary.ok(path, descr, shape, stats, fileLength, seconds);
  }
}
