package io.npystats.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** Every file in turn on the calling thread: the baseline, and the reference for the others. */
public final class SequentialEngine implements Engine {
  public static final String NAME = "sequential";

  private final Configuration conf;

  public SequentialEngine(Configuration conf) {
    this.conf = conf;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String about() {
    return "One thread reads every file in turn: it shares nothing and pays for nothing, and every"
        + " other engine has to beat it.";
  }

  /** @param workers must be 1 */
  @Override
  public EngineSession open(int workers) {
    if (workers != 1) {
      throw new IllegalArgumentException(NAME + " runs on one thread, not " + workers);
    }
    return new InJvmSession(NAME, conf, 0) {
      @Override
      <R> List<R> execute(Work<R> work, Progress progress) throws EngineException {
        FileTask<R> task = work.newTask(conf);
        List<R> results = new ArrayList<>(work.size());
        for (int i = 0; i < work.size(); i++) {
          try {
            results.add(task.apply(i));
          } catch (RuntimeException e) {
            throw failed(work, i, e);
          }
          progress.advance(1);
        }
        return results;
      }

      @Override
      int workers(Work<?> work) {
        return 1;
      }

      @Override
      String detail(Work<?> work) {
        return "the calling thread";
      }

      @Override
      public void close() {}
    };
  }
}
