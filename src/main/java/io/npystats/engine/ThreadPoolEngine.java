package io.npystats.engine;

import io.npystats.task.Clocks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;

/**
 * A fixed pool of W platform threads, each file submitted to it as its own task, the way a Java
 * program usually goes parallel. Each thread keeps one {@link FileTask} (and so one set of read
 * buffers) for the whole run.
 */
public final class ThreadPoolEngine implements Engine {
  public static final String NAME = "threads";

  private final Configuration conf;

  public ThreadPoolEngine(Configuration conf) {
    this.conf = conf;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String about() {
    return "A fixed pool of W threads in one JVM shares the heap, the compiled code and the file"
        + " system client; it pays only for handing each file to a waiting thread.";
  }

  @Override
  public EngineSession open(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException(NAME + " needs at least one worker, not " + workers);
    }
    long start = System.nanoTime();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("npystats-pool-"));
    pool.prestartAllCoreThreads();
    return new PoolSession(conf, pool, workers, Clocks.secondsSince(start));
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static final class PoolSession extends InJvmSession {
    private final ExecutorService pool;
    private final int workers;

    PoolSession(Configuration conf, ExecutorService pool, int workers, double startupSeconds) {
      super(NAME, conf, startupSeconds);
      this.pool = pool;
      this.workers = workers;
    }

    @Override
    <R> List<R> execute(Work<R> work, Progress progress) throws EngineException {
      ThreadLocal<FileTask<R>> tasks = ThreadLocal.withInitial(() -> work.newTask(conf));
      List<Future<R>> futures = new ArrayList<>(work.size());
      for (int i = 0; i < work.size(); i++) {
        int item = i;
        futures.add(pool.submit(() -> {
          R result = tasks.get().apply(item);
          progress.advance(1);
          return result;
        }));
      }
      List<R> results = new ArrayList<>(work.size());
      try {
        for (int i = 0; i < futures.size(); i++) {
          try {
            results.add(futures.get(i).get());
          } catch (ExecutionException e) {
            throw failed(work, i, e.getCause());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException(NAME + ": interrupted after " + results.size() + " of "
            + work.size() + " files");
      } finally {
        futures.forEach(f -> f.cancel(true));
      }
      return results;
    }

    @Override
    int workers(Work<?> work) {
      return workers;
    }

    @Override
    String detail(Work<?> work) {
      return workers + " pool thread" + (workers == 1 ? "" : "s");
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }
}
