package io.npystats.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Prints query results for people (an aligned table, numbers rounded as {@link Shown} does) and
 * for scripts (RFC 4180 CSV, every digit kept).
 */
final class ResultPrinter {
  private ResultPrinter() {}

  static void table(Dataset<Row> result, int maxRows, PrintWriter out) {
    String[] columns = result.columns();
    List<Row> rows = result.limit(maxRows + 1).collectAsList();
    boolean more = rows.size() > maxRows;
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      width[c] = columns[c].length();
    }
    for (Row row : rows.subList(0, Math.min(rows.size(), maxRows))) {
      String[] line = new String[columns.length];
      for (int c = 0; c < columns.length; c++) {
        line[c] = row.isNullAt(c) ? "NULL" : shown(row.get(c)).replace('\n', ' ');
        width[c] = Math.max(width[c], line[c].length());
      }
      cells.add(line);
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    out.println(rule);
    out.println(line(columns, width));
    out.println(rule);
    for (String[] line : cells) {
      out.println(line(line, width));
    }
    out.println(rule);
    out.printf("%d row%s%s%n", cells.size(), cells.size() == 1 ? "" : "s",
        more ? " shown (more not printed; use --max-rows or --format csv)" : "");
  }

  private static String shown(Object value) {
    if (value instanceof Double d) {
      return Shown.number(d);
    }
    if (value instanceof Float f) {
      return Shown.number(f);
    }
    if (value instanceof String text) {
      return Shown.path(text); // the tables keep Hadoop's qualified form; a person reads /data/x.npy
    }
    return String.valueOf(value);
  }

  private static String line(String[] values, int[] width) {
    StringBuilder b = new StringBuilder("|");
    for (int c = 0; c < values.length; c++) {
      b.append(' ').append(values[c]).append(" ".repeat(width[c] - values[c].length())).append(" |");
    }
    return b.toString();
  }

  static void csv(Dataset<Row> result, PrintWriter out) {
    out.println(csvLine(List.of(result.columns())));
    Iterator<Row> rows = result.toLocalIterator();
    while (rows.hasNext()) {
      Row row = rows.next();
      List<String> values = new ArrayList<>(row.size());
      for (int c = 0; c < row.size(); c++) {
        values.add(row.isNullAt(c) ? "" : String.valueOf(row.get(c)));
      }
      out.println(csvLine(values));
    }
  }

  private static String csvLine(List<String> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (i > 0) {
        b.append(',');
      }
      if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
        b.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        b.append(v);
      }
    }
    return b.toString();
  }
}
