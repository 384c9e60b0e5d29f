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
   * file, the field and both values; empty when they agree.
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
      String field = firstDifference(e, a);
      if (field != null) {
        out.add(e.path() + ": " + field);
      }
    }
    return out;
  }

  private static String firstDifference(FileSummary e, FileSummary a) {
    String[] names = {"status", "error", "dtype", "shape"};
    String[][] texts = {{e.status(), a.status()}, {e.error(), a.error()}, {e.dtype(), a.dtype()},
        {e.shape(), a.shape()}};
    for (int k = 0; k < names.length; k++) {
      if (!Objects.equals(texts[k][0], texts[k][1])) {
        return names[k] + " '" + texts[k][1] + "', expected '" + texts[k][0] + "'";
      }
    }
    if (e.n() != a.n()) {
      return "n " + a.n() + ", expected " + e.n();
    }
    String[] numbers = {"mean", "std", "min", "max", "m2", "mean low"};
    double[][] values = {{e.mean(), a.mean()}, {e.std(), a.std()}, {e.min(), a.min()},
        {e.max(), a.max()}, {e.m2(), a.m2()}, {e.meanLow(), a.meanLow()}};
    for (int k = 0; k < numbers.length; k++) {
      if (Double.doubleToLongBits(values[k][0]) != Double.doubleToLongBits(values[k][1])) {
        return numbers[k] + " " + values[k][1] + ", expected " + values[k][0];
      }
    }
    return null;
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
