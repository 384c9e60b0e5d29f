package io.npystats.cli;

import io.npystats.spark.SparkSessions;
import io.npystats.spark.Tables;
import io.npystats.spark.Warehouse;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List the runs in the warehouse, or delete one from every table.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.DeleteRun.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./submit.sh runs list",
      "  ./submit.sh runs delete stats-20260101-120000-0a1b",
      "  ./submit.sh runs list --warehouse hdfs://nn:8020/warehouse"
    })
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Main.USAGE;
  }

  /** The warehouse both subcommands work on: declared once, so that they read alike. */
  static final class WarehouseOption {
    @Option(names = "--warehouse", paramLabel = "DIR",
        description = "The tables (default: ${sys:npystats.warehouse}).")
    String given;

    String warehouse() {
      return given != null ? given : Defaults.warehouse();
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "One line per committed run, oldest first: stats runs from the runs table, compare runs from"
            + " the benchmarks table (their files are per engine run, their job_seconds the engines'"
            + " wall time added up)."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  ./submit.sh runs list", "  ./submit.sh runs list --warehouse /mnt/warehouse"})
  static final class ListRuns implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin WarehouseOption warehouse = new WarehouseOption();

    @Override
    public Integer call() throws Exception {
      String tables = warehouse.warehouse();
      try (SparkSessions.Handle session = SparkSessions.open("npystats runs")) {
        SparkSession spark = session.spark();
        List<String> names = Tables.register(spark, tables);
        Dataset<Row> runs = null;
        if (names.contains(Tables.RUNS)) {
          runs = spark.sql("SELECT run_id, command, files, ok, failed, started_at, job_seconds"
              + " FROM " + Tables.RUNS);
        }
        if (names.contains(Tables.BENCHMARKS)) {
          Dataset<Row> compares = spark.sql("SELECT run_id, 'compare' AS command, max(files) AS files,"
              + " max(files) - max(failed) AS ok, max(failed) AS failed, min(started_at) AS started_at,"
              + " sum(wall_seconds) AS job_seconds FROM " + Tables.BENCHMARKS + " GROUP BY run_id");
          runs = runs == null ? compares : runs.unionByName(compares);
        }
        if (runs == null) {
          spec.commandLine().getErr().println("note: no runs in " + tables + " yet");
          return Main.OK;
        }
        Dataset<Row> shown = runs.orderBy("started_at", "run_id").selectExpr("run_id", "command",
            "files", "ok", "failed", "date_format(started_at, 'yyyy-MM-dd HH:mm:ss') AS started_at",
            "round(job_seconds, 2) AS job_seconds");
        ResultPrinter.table(shown, Integer.MAX_VALUE - 1, spec.commandLine().getOut());
        return Main.OK;
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Delete one run from every table (runs, file_stats, benchmarks): its runs row first, so"
            + " readers stop seeing it before its rows go. The only command that deletes table data.",
        "Exit code 1 when no table holds the run."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  ./submit.sh runs delete ones", "  ./submit.sh runs delete --warehouse /mnt/warehouse ones"})
  static final class DeleteRun implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin WarehouseOption warehouse = new WarehouseOption();

    @Parameters(paramLabel = "ID", description = "The run id, as runs list shows it.")
    String runId;

    @Override
    public Integer call() throws Exception {
      Checks.runId(spec, "ID", runId);
      String tables = warehouse.warehouse();
      PrintWriter out = spec.commandLine().getOut();
      try (SparkSessions.Handle session = SparkSessions.open("npystats runs");
          Warehouse w = Warehouse.forWriting(tables, session.spark().sparkContext().hadoopConfiguration())) {
        List<String> held = w.delete(runId);
        if (held.isEmpty()) {
          spec.commandLine().getErr().println("error: no run '" + runId + "' in " + tables);
          return Main.FAILED;
        }
        out.println("deleted run " + runId + " from " + String.join(", ", held) + " in "
            + new Path(tables));
        return Main.OK;
      }
    }
  }
}
