package io.npystats.engine;

import io.npystats.task.Columns;
import io.npystats.task.FileSummary;
import io.npystats.task.SummarizeFile;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** The statistics of each of a list of files, by {@link SummarizeFile}. */
public final class StatsWork implements Work<FileSummary> {
  /** The compiler directives of the JVMs that summarise, in conf/. */
  static final String STATS_DIRECTIVES = "stats-directives.json";

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
   * The options conf/jvm-options.conf gives stats-child, as the stats driver's: C2 for the
   * kernel's SIMD lanes only, with conf/stats-directives.json, which the child finds beside the
   * directives file its parent was started with (./submit.sh starts the compare driver with one
   * from conf/). A parent started otherwise has no such folder to point to: its children take
   * stats-child-c1's options, C1 alone, and the kernel's scalar lanes (the same bits).
   */
  @Override
  public List<String> childOptions(List<String> parentOptions) {
    JvmOptions policy = JvmOptions.bundled();
    return JvmOptions.directivesFolderWith(parentOptions, STATS_DIRECTIVES)
        .map(conf -> policy.forJvm("stats-child", conf))
        .orElseGet(() -> policy.forJvm("stats-child-c1"));
  }
}
