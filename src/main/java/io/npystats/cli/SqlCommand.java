package io.npystats.cli;

import io.npystats.spark.Queries;
import io.npystats.spark.SparkSessions;
import io.npystats.spark.Tables;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Spark SQL query with every warehouse table (file_stats, runs, benchmarks) registered by name.",
      "Read-only: SELECT, WITH, VALUES, SHOW, DESCRIBE and EXPLAIN run; any other statement is refused"
          + " before it runs (exit code 2). file_stats shows the runs that have their runs row."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./submit.sh sql \"SELECT run_id, files, failed, files_per_second FROM runs ORDER BY started_at\"",
      "  ./submit.sh sql --format csv \"SELECT path, mean, std FROM file_stats WHERE status = 'ok'\"",
      "  ./submit.sh sql \"SELECT path, error FROM file_stats WHERE status = 'error'\"",
      "  ./submit.sh sql                                      a prompt: statements end with ';', \\q quits",
      "  ./submit.sh sql --format csv < queries.sql           each statement of a file, in one session"
    })
final class SqlCommand implements Callable<Integer>, Checked {
  enum Format { table, csv, json, jsonl }

  @Spec CommandSpec spec;

  @Option(names = "--warehouse", paramLabel = "DIR", description = "Tables to query (default: ${sys:npystats.warehouse}).")
  String warehouse;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "table (for people: numbers to 6 significant digits; the default); for"
          + " programs, with every digit: csv, json (one array of objects) or jsonl (one object a"
          + " line). JSON keeps null values, and writes NaN and infinities as null.")
  Format format = Format.table;

  @Option(names = "--max-rows", paramLabel = "N",
      description = "Rows to print as a table (default: ${DEFAULT-VALUE}); csv and json print all.")
  int maxRows = 1000;

  @Parameters(paramLabel = "QUERY", arity = "0..1", description = "The SQL statement. Without one,"
      + " statements ending in ';' run in one session: at a prompt, or read from standard input.")
  String query;

  @Override
  public void check() {
    Checks.inRange(spec, "--max-rows", maxRows, 1, 10_000_000);
  }

  @Override
  public Integer call() throws Exception {
    check();
    String tables = warehouse != null ? warehouse : Defaults.warehouse();
    PrintWriter out = spec.commandLine().getOut();
    try (SparkSessions.Handle session = SparkSessions.open("npystats sql")) {
      SparkSession spark = session.spark();
      Optional<String> refused = query == null ? Optional.empty() : refusal(spark, query);
      if (refused.isPresent()) {
        spec.commandLine().getErr().println("error: " + refused.get());
        return Main.USAGE;
      }
      List<String> names = Tables.register(spark, tables);
      if (names.isEmpty()) {
        spec.commandLine().getErr().println("note: no tables in " + tables + " yet; run stats first");
      }
      if (query == null) {
        return statements(spark, names, out);
      }
      show(spark, query, out);
      return Main.OK;
    }
  }

  /** Runs one statement; one that is not a query is refused, at the prompt too, before it runs. */
  private void answer(SparkSession spark, String sql, PrintWriter out) throws ParseException {
    Optional<String> refused = refusal(spark, sql);
    if (refused.isPresent()) {
      throw new IllegalArgumentException(refused.get());
    }
    show(spark, sql, out);
  }

  private void show(SparkSession spark, String sql, PrintWriter out) {
    Dataset<Row> result = spark.sql(sql);
    if (result.columns().length == 0) {
      return; // SHOW or DESCRIBE of nothing: no columns to print
    }
    switch (format) {
      case table -> ResultPrinter.table(result, maxRows, out);
      case csv -> ResultPrinter.csv(result, out);
      case json -> JsonWriter.write(result, out, true);
      case jsonl -> JsonWriter.write(result, out, false);
    }
    out.flush();
  }

  /** Without a query: a prompt at a terminal, else the statements standard input holds. */
  private int statements(SparkSession spark, List<String> tables, PrintWriter out) throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    SqlPrompt.Statement statement = sql -> answer(spark, sql, out);
    if (System.console() != null) {
      return SqlPrompt.interactive(tables, statement, out, err);
    }
    return SqlPrompt.script(new InputStreamReader(System.in, StandardCharsets.UTF_8), statement, err);
  }

  /** Why a statement is refused, judged on the plan Spark parses from it; empty for a query. */
  private static Optional<String> refusal(SparkSession spark, String sql) throws ParseException {
    return Queries.notAQuery(spark, sql).map(kind -> "sql is read-only: " + kind
        + " is not a query (SELECT, WITH, VALUES, SHOW, DESCRIBE or EXPLAIN)");
  }
}
