package io.npystats.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Benchmark rows as an aligned text table, for a terminal, or as a Markdown table. */
public final class TextTables {
  private static final String[] HEADER = {"engine", "workers", "files", "wall s", "start-up s",
      "work s", "work min-max", "files/s", "MB/s", "speedup", "efficiency", "CPU s"};

  private TextTables() {}

  /** The median run's figures, and the range of the work seconds over every measured run. */
  static List<String> cells(Benchmarks.Summary s) {
    BenchmarkRow r = s.median();
    return List.of(r.engine(), Integer.toString(r.workers()), String.format(Locale.ROOT, "%,d", r.files()),
        fixed(r.wallSeconds(), 2), fixed(r.startupSeconds(), 2), fixed(r.workSeconds(), 2),
        s.runs() == 1 ? "-" : fixed(s.minWorkSeconds(), 3) + "-" + fixed(s.maxWorkSeconds(), 3),
        grouped(r.filesPerSecond()), grouped(r.mbPerSecond()),
        Double.isNaN(r.speedup()) ? "-" : fixed(r.speedup(), 2) + "x",
        Double.isNaN(r.efficiency()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * r.efficiency()),
        fixed(r.cpuSeconds(), 2));
  }

  private static String fixed(double value, int decimals) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  private static String grouped(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
  }

  /** Columns padded to their widest cell; text to the left, numbers to the right. */
  public static String text(List<Benchmarks.Summary> rows) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of(HEADER));
    rows.forEach(r -> lines.add(cells(r)));
    int[] width = new int[HEADER.length];
    for (List<String> line : lines) {
      for (int c = 0; c < width.length; c++) {
        width[c] = Math.max(width[c], line.get(c).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> line : lines) {
      for (int c = 0; c < width.length; c++) {
        String cell = line.get(c);
        String pad = " ".repeat(width[c] - cell.length());
        b.append(c == 0 ? "" : "  ").append(c == 0 ? cell + pad : pad + cell);
      }
      b.append('\n');
    }
    return b.toString();
  }

  public static String markdown(List<Benchmarks.Summary> rows) {
    StringBuilder b = new StringBuilder("| ").append(String.join(" | ", HEADER)).append(" |\n|");
    for (int c = 0; c < HEADER.length; c++) {
      b.append(c == 0 ? " --- |" : " ---: |");
    }
    b.append('\n');
    for (Benchmarks.Summary r : rows) {
      b.append("| ").append(String.join(" | ", cells(r))).append(" |\n");
    }
    return b.toString();
  }
}
