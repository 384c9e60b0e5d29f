package io.npystats.spark;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedExecuteImmediate;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.Call;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.DescribeColumn;
import org.apache.spark.sql.catalyst.plans.logical.DescribeFunction;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ShowColumns;
import org.apache.spark.sql.catalyst.plans.logical.ShowFunctions;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.ShowViews;
import org.apache.spark.sql.execution.command.DescribeQueryCommand;
import org.apache.spark.sql.execution.command.ExplainCommand;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tells a query from a statement that changes something, on the plan Spark parses, before any of
 * it runs: {@code sql} is a read-only window on the warehouse.
 */
public final class Queries {
  /** Commands that only read the catalog: the views this application registers, functions. */
  private static final Set<Class<?>> READING_COMMANDS = Set.of(ShowTables.class, ShowViews.class,
      ShowColumns.class, ShowFunctions.class, DescribeFunction.class, DescribeRelation.class,
      DescribeColumn.class);

  private Queries() {}

  /**
   * What kind of statement {@code sql} is, such as {@code INSERT INTO}, when it is not a query;
   * empty for a query (SELECT, WITH, VALUES, TABLE), a SHOW or DESCRIBE of the catalog, or an
   * EXPLAIN or DESCRIBE QUERY of a query.
   *
   * @throws ParseException when it is not SQL at all
   */
  public static Optional<String> notAQuery(SparkSession spark, String sql) throws ParseException {
    return notAQuery(spark.sessionState().sqlParser().parsePlan(sql));
  }

  static Optional<String> notAQuery(LogicalPlan plan) {
    if (plan instanceof ExplainCommand explain) {
      return notAQuery(explain.logicalPlan());
    }
    if (plan instanceof DescribeQueryCommand describe) {
      return notAQuery(describe.plan());
    }
    if (READING_COMMANDS.contains(plan.getClass())) {
      return Optional.empty();
    }
    return firstChange(plan);
  }

  /** The first node, depth first, that is a command or a write, counting CTEs and subqueries. */
  private static Optional<String> firstChange(QueryPlan<?> node) {
    if (node instanceof Command || node instanceof InsertIntoStatement || node instanceof InsertIntoDir
        || node instanceof UnresolvedExecuteImmediate || node instanceof Call) {
      return Optional.of(kind(node));
    }
    for (QueryPlan<?> child : CollectionConverters.asJava(node.children())) {
      Optional<String> found = firstChange(child);
      if (found.isPresent()) {
        return found;
      }
    }
    for (QueryPlan<?> inner : CollectionConverters.asJava(node.innerChildren())) {
      Optional<String> found = firstChange(inner);
      if (found.isPresent()) {
        return found;
      }
    }
    for (QueryPlan<?> subquery : CollectionConverters.asJava(node.subqueries())) {
      Optional<String> found = firstChange(subquery);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** A statement's kind in SQL's words, from its plan's class: CreateTableAsSelect, CREATE TABLE AS SELECT. */
  static String kind(QueryPlan<?> node) {
    if (node instanceof InsertIntoDir) {
      return "INSERT OVERWRITE DIRECTORY";
    }
    if (node instanceof InsertIntoStatement insert) {
      return insert.overwrite() ? "INSERT OVERWRITE" : "INSERT INTO";
    }
    String name = node.getClass().getSimpleName().replace("$", "")
        .replaceFirst("^Unresolved", "").replaceFirst("(Command|Statement)$", "");
    return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
  }
}
