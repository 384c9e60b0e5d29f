package io.npystats.compare;

import io.npystats.engine.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error while an engine runs, or nothing at all where the output is not
 * a terminal (a pipe, a file, a test), so logs stay clean.
 */
public final class ConsoleProgress implements Progress, AutoCloseable {
  private final ProgressBar bar;

  private ConsoleProgress(ProgressBar bar) {
    this.bar = bar;
  }

  public static boolean terminal() {
    return System.console() != null;
  }

  static ConsoleProgress start(String task, long files, boolean show) {
    if (!show) {
      return new ConsoleProgress(null);
    }
    return new ConsoleProgress(new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(files)
        .setUnit(" files", 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .clearDisplayOnFinish()
        .build());
  }

  @Override
  public void advance(int files) {
    if (bar != null) {
      bar.stepBy(files);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
