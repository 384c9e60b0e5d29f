package io.npystats.cli;

import io.npystats.task.Clocks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code sql} without a query: statements, each ended by {@code ;}, run one after another in one
 * session, so that only the first pays for Spark's start. At a terminal it is a prompt with line
 * editing and a history kept across runs ({@value #HISTORY_FILE} in the home folder), and
 * {@code \q} (or {@code quit}, {@code exit}, Ctrl-D) ends it; otherwise the statements are read
 * from standard input, and the first that fails ends the run with its error.
 */
final class SqlPrompt {
  static final String HISTORY_FILE = ".npystats_sql_history";
  private static final String PROMPT = "sql> ";
  private static final String MORE = "   > ";

  /** Runs one statement and prints its result. */
  interface Statement {
    void run(String sql) throws Exception;
  }

  private SqlPrompt() {}

  /** At a terminal, the prompt; the exit code is 0 however many statements failed. */
  static int interactive(List<String> tables, Statement statement, PrintWriter out, PrintWriter err)
      throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      Path history = Paths.get(System.getProperty("user.home"), HISTORY_FILE);
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("npystats sql")
          .variable(LineReader.HISTORY_FILE, history)
          .variable(LineReader.SECONDARY_PROMPT_PATTERN, MORE)
          // Statements are multi-line: the whole of one goes into the history as one entry.
          .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
          .build();
      out.println("Statements end with ';'. \\q to quit. Tables: "
          + (tables.isEmpty() ? "none yet" : String.join(", ", tables)));
      out.flush();
      Splitter splitter = new Splitter();
      while (true) {
        String line;
        try {
          line = reader.readLine(splitter.pending() ? MORE : PROMPT);
        } catch (UserInterruptException e) {
          splitter = new Splitter(); // Ctrl-C drops the statement being typed
          continue;
        } catch (EndOfFileException e) {
          return Main.OK;
        }
        if (!splitter.pending() && isQuit(line)) {
          return Main.OK;
        }
        for (String sql : splitter.add(line)) {
          long start = System.nanoTime();
          try {
            statement.run(sql);
            out.printf(Locale.ROOT, "(%.2f s)%n", Clocks.secondsSince(start));
          } catch (Exception e) {
            err.println("error: " + Main.firstLine(e));
          }
          out.flush();
          err.flush();
        }
      }
    }
  }

  /**
   * Statements read from {@code in}, run in turn; the first that fails stops the run.
   *
   * @return 0 when every statement ran, 1 when one failed
   */
  static int script(Reader in, Statement statement, PrintWriter err) throws IOException {
    BufferedReader lines = new BufferedReader(in);
    Splitter splitter = new Splitter();
    List<String> statements = new ArrayList<>();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (!splitter.pending() && isQuit(line)) {
        break;
      }
      statements.addAll(splitter.add(line));
      if (!runAll(statements, statement, err)) {
        return Main.FAILED;
      }
    }
    statements.addAll(splitter.rest()); // a last statement may go without its ';'
    return runAll(statements, statement, err) ? Main.OK : Main.FAILED;
  }

  private static boolean runAll(List<String> statements, Statement statement, PrintWriter err) {
    try {
      for (String sql : statements) {
        try {
          statement.run(sql);
        } catch (Exception e) {
          err.println("error: " + Main.firstLine(e) + " (in: " + sql.lines().findFirst().orElse("")
              + (sql.contains("\n") ? " ..." : "") + ")");
          return false;
        }
      }
      return true;
    } finally {
      statements.clear();
      err.flush();
    }
  }

  private static boolean isQuit(String line) {
    String word = line.strip().toLowerCase(Locale.ROOT);
    return word.equals("\\q") || word.equals("quit") || word.equals("exit")
        || word.equals("quit;") || word.equals("exit;");
  }

  /**
   * Cuts lines into statements at each {@code ;} that is not inside a quoted string, a quoted
   * name or a comment.
   */
  static final class Splitter {
    private final StringBuilder current = new StringBuilder();
    private char quote; // ', " or `, while inside one
    private boolean blockComment;

    boolean pending() {
      return !current.toString().isBlank() || quote != 0 || blockComment;
    }

    /** The statements that {@code line} completes, in order, without their {@code ;}. */
    List<String> add(String line) {
      List<String> done = new ArrayList<>();
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
        if (blockComment) {
          current.append(c);
          if (c == '*' && next == '/') {
            current.append(next);
            i++;
            blockComment = false;
          }
        } else if (quote != 0) {
          current.append(c);
          if (c == '\\' && quote != '`' && next != 0) {
            current.append(next);
            i++;
          } else if (c == quote) {
            quote = 0;
          }
        } else if (c == '-' && next == '-') {
          break; // the rest of the line is a comment
        } else if (c == '/' && next == '*') {
          current.append("/*");
          i++;
          blockComment = true;
        } else if (c == ';') {
          String sql = current.toString().strip();
          if (!sql.isEmpty()) {
            done.add(sql);
          }
          current.setLength(0);
        } else {
          if (c == '\'' || c == '"' || c == '`') {
            quote = c;
          }
          current.append(c);
        }
      }
      if (pending()) {
        current.append('\n');
      }
      return done;
    }

    /** What is left, as a statement, at the end of the input. */
    List<String> rest() {
      String sql = current.toString().strip();
      current.setLength(0);
      return sql.isEmpty() ? List.of() : List.of(sql);
    }
  }
}
