package io.npystats.cli;

import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Spark logs a failed task's stack trace from the task, the executor, the scheduler and the
 * writer, hundreds of lines for one full disk; the command's own last line names the cause. So
 * these loggers are off unless {@code --verbose} asks for them.
 */
final class SparkLogging {
  static final List<String> TASK_FAILURE_LOGGERS = List.of(
      "org.apache.spark.executor.Executor",
      "org.apache.spark.scheduler.TaskSetManager",
      "org.apache.spark.scheduler.DAGScheduler",
      "org.apache.spark.util.Utils",
      "org.apache.spark.util.SignalUtils",
      "org.apache.spark.sql.execution.datasources.FileFormatWriter",
      "org.apache.spark.internal.io.SparkHadoopWriter");

  private SparkLogging() {}

  /** Every logger off, for a JVM that is ending. */
  static void silence() {
    Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
  }

  static void taskFailures(boolean shown) {
    Level level = shown ? LogManager.getRootLogger().getLevel() : Level.OFF;
    for (String name : TASK_FAILURE_LOGGERS) {
      Configurator.setLevel(name, level);
    }
  }
}
