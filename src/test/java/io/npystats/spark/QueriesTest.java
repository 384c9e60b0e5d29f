package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueriesTest {
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.spark();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1",
      "select run_id, count(*) from file_stats group by run_id",
      "WITH t AS (SELECT 1 AS x) SELECT x FROM t",
      "VALUES (1), (2)",
      "TABLE runs",
      "FROM file_stats SELECT path",
      "(SELECT 1) UNION ALL (SELECT 2)",
      "SELECT * FROM parquet.`/tmp/x`",
      "SELECT * FROM runs WHERE run_id IN (SELECT run_id FROM file_stats)",
      "SHOW TABLES",
      "SHOW VIEWS",
      "SHOW COLUMNS IN runs",
      "SHOW FUNCTIONS",
      "DESCRIBE file_stats",
      "DESC TABLE runs",
      "DESCRIBE runs run_id",
      "DESCRIBE FUNCTION abs",
      "DESCRIBE QUERY SELECT 1",
      "EXPLAIN SELECT count(*) FROM file_stats",
      "EXPLAIN EXTENDED WITH t AS (SELECT 1) SELECT * FROM t"})
  void queriesPass(String sql) throws Exception {
    assertThat(Queries.notAQuery(spark, sql)).as(sql).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INSERT INTO file_stats SELECT * FROM file_stats|INSERT INTO",
      "INSERT OVERWRITE TABLE runs SELECT * FROM runs|INSERT OVERWRITE",
      "INSERT OVERWRITE DIRECTORY '/some/dir' USING csv SELECT 'x' AS x|INSERT OVERWRITE DIRECTORY",
      "INSERT OVERWRITE LOCAL DIRECTORY '/some/dir' SELECT 1|INSERT OVERWRITE DIRECTORY",
      "CREATE TABLE t AS SELECT 1|CREATE TABLE AS SELECT",
      "CREATE TEMPORARY VIEW v AS SELECT 1|CREATE VIEW",
      "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x|INSERT INTO",
      "FROM file_stats INSERT INTO t SELECT *|INSERT INTO",
      "EXPLAIN INSERT INTO t SELECT 1|INSERT INTO",
      "DROP TABLE t|DROP TABLE",
      "DELETE FROM t WHERE x = 1|DELETE FROM TABLE",
      "CACHE TABLE runs|CACHE TABLE",
      "SET spark.sql.shuffle.partitions = 1|SET",
      "ADD JAR /tmp/x.jar|ADD JARS",
      "EXECUTE IMMEDIATE 'SELECT 1'|EXECUTE IMMEDIATE",
      "REFRESH TABLE runs|REFRESH TABLE",
      "USE default|SET CATALOG AND NAMESPACE"})
  void everythingElseIsRefusedByKind(String sql, String kind) throws Exception {
    assertThat(Queries.notAQuery(spark, sql)).as(sql).contains(kind);
  }
}
