package io.npystats.engine;

import io.npystats.task.FileSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks that two runs gave the same answer for every file, exactly. Every engine runs the same
 * kernel over the same bytes in the same order within a file, so the doubles must be equal bit
 * for bit (NaN equal to NaN); any difference is a bug, never rounding.
 */
public final class Agreement {
  private Agreement() {}

  /**
   * The differences between two lists of file statistics, at most {@code limit}, each naming the
   * file, the first column that differs and both values; empty when they agree. Every column
   * counts but what reading the file cost (see {@link io.npystats.task.Column#exact}).
   */
  public static List<String> summaries(List<FileSummary> expected, List<FileSummary> actual,
      int limit) {
    List<String> out = new ArrayList<>();
    if (expected.size() != actual.size()) {
      out.add(actual.size() + " results, expected " + expected.size());
      return out;
    }
    for (int i = 0; i < expected.size() && out.size() < limit; i++) {
      FileSummary e = expected.get(i);
      FileSummary a = actual.get(i);
      if (!Objects.equals(e.path(), a.path())) {
        out.add("result " + i + " is for " + a.path() + ", expected " + e.path());
        continue;
      }
      String field = FileSummary.COLUMNS.firstDifference(e, a);
      if (field != null) {
        out.add(e.path() + ": " + field);
      }
    }
    return out;
  }

  /** The differences between the files two generation runs wrote; see {@link FileDigest}. */
  public static List<String> files(List<FileDigest> expected, List<FileDigest> actual, int limit) {
    List<String> out = new ArrayList<>();
    if (expected.size() != actual.size()) {
      out.add(actual.size() + " files, expected " + expected.size());
      return out;
    }
    for (int i = 0; i < expected.size() && out.size() < limit; i++) {
      FileDigest e = expected.get(i);
      FileDigest a = actual.get(i);
      if (!e.name().equals(a.name())) {
        out.add("file " + i + " is " + a.name() + ", expected " + e.name());
      } else if (e.length() != a.length() || e.crc32c() != a.crc32c()) {
        out.add(a.path() + ": " + a.length() + " bytes with CRC-32C " + Long.toHexString(a.crc32c())
            + ", expected " + e.length() + " bytes with " + Long.toHexString(e.crc32c()));
      }
    }
    return out;
  }
}
