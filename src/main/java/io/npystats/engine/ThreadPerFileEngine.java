package io.npystats.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.hadoop.conf.Configuration;

/**
 * A new platform thread for every file, all started at once and then joined, as the classic
 * Python lesson does with {@code threading.Thread}. The worker count asked for is ignored: the
 * run's workers are its files. It is here to show what a pool saves.
 */
public final class ThreadPerFileEngine implements Engine {
  public static final String NAME = "thread-per-file";

  private final Configuration conf;

  public ThreadPerFileEngine(Configuration conf) {
    this.conf = conf;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String about() {
    return "One new thread per file shares the heap like the pool does, but every file pays for"
        + " creating a thread and its own read buffers, and thousands of threads queue for a few"
        + " cores.";
  }

  @Override
  public EngineSession open(int workers) {
    return new InJvmSession(NAME, conf, 0) {
      @Override
      <R> List<R> execute(Work<R> work, Progress progress) throws EngineException {
        int n = work.size();
        AtomicReferenceArray<R> results = new AtomicReferenceArray<>(n);
        AtomicReferenceArray<Throwable> errors = new AtomicReferenceArray<>(n);
        List<Thread> threads = new ArrayList<>(n);
        EngineException notStarted = null;
        for (int i = 0; i < n; i++) {
          int item = i;
          Thread thread = new Thread(() -> {
            try {
              results.set(item, work.newTask(conf).apply(item));
              progress.advance(1);
            } catch (Throwable t) {
              errors.set(item, t);
            }
          }, "npystats-file-" + i);
          try {
            thread.start();
          } catch (OutOfMemoryError e) {
            notStarted = new EngineException(NAME + ": could not start thread " + (i + 1)
                + " of " + n + " (for " + work.file(i) + "): " + e.getMessage(), e);
            break;
          }
          threads.add(thread);
        }
        join(threads);
        if (notStarted != null) {
          throw notStarted;
        }
        List<R> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          if (errors.get(i) != null) {
            throw failed(work, i, errors.get(i));
          }
          out.add(results.get(i));
        }
        return out;
      }

      @Override
      int workers(Work<?> work) {
        return work.size();
      }

      @Override
      String detail(Work<?> work) {
        return work.size() + " threads, one per file";
      }

      @Override
      public void close() {}
    };
  }

  private static void join(List<Thread> threads) throws EngineException {
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException(NAME + ": interrupted while waiting for " + thread.getName());
      }
    }
  }
}
