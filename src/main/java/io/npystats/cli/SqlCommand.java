package io.npystats.cli;

import io.npystats.spark.SparkSessions;
import io.npystats.spark.Tables;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = "Run Spark SQL with every warehouse table (file_stats, runs, benchmarks) registered by name.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./submit.sh sql \"SELECT run_id, files, failed, files_per_second FROM runs ORDER BY started_at\"",
      "  ./submit.sh sql --format csv \"SELECT path, mean, std FROM file_stats WHERE status = 'ok'\"",
      "  ./submit.sh sql \"SELECT path, error FROM file_stats WHERE status = 'error'\""
    })
final class SqlCommand implements Callable<Integer>, Checked {
  enum Format { table, csv, json }

  @Spec CommandSpec spec;

  @Option(names = "--warehouse", paramLabel = "DIR", description = "Tables to query (default: ${sys:npystats.warehouse}).")
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
}
