package io.npystats.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The names a mistyped one was most likely meant to be, for "did you mean ...?". */
final class Suggestions {
  private Suggestions() {}

  /**
   * The names closest to {@code given} by edits (a letter added, dropped, changed, or two swapped),
   * those at the smallest distance only, when that distance is small for the name's length.
   */
  static List<String> closest(String given, Collection<String> names) {
    int best = Integer.MAX_VALUE;
    for (String name : names) {
      best = Math.min(best, distance(given, name));
    }
    int allowed = Math.max(1, Math.min(3, given.replaceFirst("^-+", "").length() / 3));
    if (best > allowed) {
      return List.of();
    }
    int found = best;
    return names.stream().filter(n -> distance(given, n) == found).distinct()
        .sorted(Comparator.naturalOrder()).toList();
  }

  /** Optimal string alignment distance: Levenshtein's edits plus a swap of neighbours. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
