package io.npystats.cli;

import io.npystats.spark.Queries;
import io.npystats.spark.SparkSessions;
import io.npystats.spark.Tables;
import java.io.PrintWriter;
import java.util.Iterator;
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
      "  ./submit.sh sql \"SELECT path, error FROM file_stats WHERE status = 'error'\""
    })
final class SqlCommand implements Callable<Integer> {
  enum Format { table, csv, json }

  @Spec CommandSpec spec;

  @Option(names = "--warehouse", paramLabel = "DIR", description = "Tables to query (default: data/warehouse).")
  String warehouse;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "table (readable, default), csv or json (one object a line), for scripts.")
  Format format = Format.table;

  @Option(names = "--max-rows", paramLabel = "N",
      description = "Rows to print as a table (default: ${DEFAULT-VALUE}); csv and json print all.")
  int maxRows = 1000;

  @Parameters(paramLabel = "QUERY", description = "The SQL statement.")
  String query;

  @Override
  public Integer call() throws Exception {
    Checks.inRange(spec, "--max-rows", maxRows, 1, 10_000_000);
    String tables = warehouse != null ? warehouse : Defaults.warehouse();
    PrintWriter out = spec.commandLine().getOut();
    try (SparkSessions.Handle session = SparkSessions.open("npystats sql")) {
      SparkSession spark = session.spark();
      if (!isQuery(spark)) {
        return Main.USAGE;
      }
      List<String> names = Tables.register(spark, tables);
      if (names.isEmpty()) {
        spec.commandLine().getErr().println("note: no tables in " + tables + " yet; run stats first");
      }
      Dataset<Row> result = spark.sql(query);
      switch (format) {
        case table -> ResultPrinter.table(result, maxRows, out);
        case csv -> ResultPrinter.csv(result, out);
        case json -> {
          Iterator<String> lines = result.toJSON().toLocalIterator();
          while (lines.hasNext()) {
            out.println(lines.next());
          }
        }
      }
      return Main.OK;
    }
  }

  /** Refuses, in one line, a statement that is not a query, on the plan Spark parses from it. */
  private boolean isQuery(SparkSession spark) throws ParseException {
    Optional<String> kind = Queries.notAQuery(spark, query);
    kind.ifPresent(k -> spec.commandLine().getErr().println("error: sql is read-only: " + k
        + " is not a query (SELECT, WITH, VALUES, SHOW, DESCRIBE or EXPLAIN)"));
    return kind.isEmpty();
  }
}
