package io.npystats.engine;

import io.npystats.task.Columns;
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

  /** The work a child process is sent: it has no parameters, its items are the paths. */
  static StatsWork fromWire(List<String> parameters, List<String> items)
      throws ChildProtocol.ProtocolException {
    ChildProtocol.expectParameters(Phase.STATS, parameters, 0);
    return new StatsWork(items);
  }

  @Override
  public <T> T on(Cases<T> cases) {
    return cases.stats(this);
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
  public String itemOf(FileSummary result) {
    return result.path();
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

  @Override
  public Columns<FileSummary> resultColumns() {
    return FileSummary.COLUMNS;
  }

  @Override
  public List<String> parameters() {
    return List.of();
  }

  /**
   * The options conf/jvm-options.conf gives stats-child: C1 alone, and so the kernel's scalar
   * lanes (the same bits as the SIMD ones). A child is a fresh JVM for every run, and the SIMD
   * lanes run slowly until C2 has compiled them: children with them were slower
   * (docs/performance.md#child-processes).
   */
  @Override
  public List<String> childOptions(List<String> parentOptions) {
    return JvmOptions.bundled().forJvm("stats-child");
  }
}
