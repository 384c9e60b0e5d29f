package io.npystats.engine;

import io.npystats.task.FileSummary;
import io.npystats.task.SummarizeFile;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** The statistics of each of a list of files, by {@link SummarizeFile}. */
public final class StatsWork implements Work<FileSummary> {
  private final List<String> paths;

  public StatsWork(List<String> paths) {
    this.paths = List.copyOf(paths);
  }

  public List<String> paths() {
    return paths;
  }

  @Override
  public Phase phase() {
    return Phase.STATS;
  }

  @Override
  public int size() {
    return paths.size();
  }

  @Override
  public String item(int i) {
    return paths.get(i);
  }

  @Override
  public String file(int i) {
    return paths.get(i);
  }

  @Override
  public FileTask<FileSummary> newTask(Configuration conf) {
    SummarizeFile summarize = new SummarizeFile(conf);
    return i -> summarize.apply(paths.get(i));
  }

  @Override
  public boolean ok(FileSummary result) {
    return result.isOk();
  }

  @Override
  public long bytes(FileSummary result) {
    return Math.max(0, result.bytes());
  }

  @Override
  public StatsWork slice(int from, int to) {
    return new StatsWork(paths.subList(from, to));
  }
}
