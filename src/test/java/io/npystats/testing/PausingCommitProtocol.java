package io.npystats.testing;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.spark.internal.io.FileCommitProtocol.TaskCommitMessage;
import org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol;
import scala.collection.immutable.Seq;

/**
 * Spark's own commit protocol, stopped at the moment a fault test names: with
 * {@code -Dspark.sql.sources.commitProtocolClass} set to this class and
 * {@code -Dnpystats.pause.at=TABLE-commit}, the job that writes {@code TABLE} prints
 * {@code npystats: paused at TABLE-commit} when every task has written its files and the job
 * commit is about to move them in, and sleeps there until the process is killed.
 */
public class PausingCommitProtocol extends SQLHadoopMapReduceCommitProtocol {
  private static final long serialVersionUID = 1L;
  private final String table;

  public PausingCommitProtocol(String jobId, String path, boolean dynamicPartitionOverwrite) {
    super(jobId, path, dynamicPartitionOverwrite);
    this.table = new Path(path).getName();
  }

  @Override
  public void commitJob(JobContext jobContext, Seq<TaskCommitMessage> taskCommits) {
    String phase = table + "-commit";
    if (phase.equals(System.getProperty("npystats.pause.at"))) {
      System.err.println("npystats: paused at " + phase);
      System.err.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    super.commitJob(jobContext, taskCommits);
  }
}
