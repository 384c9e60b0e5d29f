package io.npystats.engine;

import io.npystats.task.Clocks;
import io.npystats.task.IndexRange;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * W child JVMs, each started with {@link ProcessBuilder} on a light class path ({@link
 * ChildClasspath}) and handed a contiguous share of the files on its standard input. Processes
 * share no memory, so the results come back as text on each child's standard output
 * ({@link ChildProtocol}) and the parent checks every line.
 *
 * <p>A child that exits early, is killed, prints something that is not a result, or stays silent
 * past a timeout fails the run with an {@link EngineException} naming the child and its files;
 * the other children are then killed. The run never hangs and never drops a file silently.
 * Children are started afresh for every run: a child's start-up and its JIT's warm-up are what
 * this engine pays, and they are measured apart from the work. The work ends when the last
 * result is in; that each child then exits cleanly is checked after. A class-data sharing archive
 * ({@link ClassDataArchive}), written by the first run's first child, makes later starts cheaper.
 */
public final class ProcessEngine implements Engine {
  public static final String NAME = "processes";

  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  static final Duration SILENCE_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
  private static final int STDERR_TAIL_CHARS = 2000;
  private static final List<String> JVM_OPTIONS = List.of(
      // One small heap and no parallel collector threads: the child holds two buffers.
      "-XX:+UseSerialGC", "-Xmx256m",
      // The JVM's own warnings (a class archive that does not match, say) go to stderr, never
      // into the results on stdout.
      "-Xlog:disable", "-Xlog:all=warning:stderr",
      // Hadoop logs through SLF4J, which children give no binding; keep its notice quiet.
      "-Dslf4j.internal.verbosity=ERROR");

  private final Configuration conf;
  private final List<String> command;
  private final ClassDataArchive archive;
  private final Duration readyTimeout;
  private final Duration silenceTimeout;

  /** Children run this JVM's {@code java} on the light class path. */
  public ProcessEngine(Configuration conf) {
    this(conf, null, defaultArchive(), READY_TIMEOUT, SILENCE_TIMEOUT);
  }

  /** Children run {@code command}, without a class-data archive. */
  ProcessEngine(Configuration conf, List<String> command, Duration readyTimeout,
      Duration silenceTimeout) {
    this(conf, command, null, readyTimeout, silenceTimeout);
  }

  /**
   * @param command the child's command line, or null for {@link #defaultCommand()}
   * @param archive the class-data archive children use or write, or null for none
   * @param readyTimeout how long a child may take to say it is ready
   * @param silenceTimeout how long a ready child may go without a line before it counts as hung
   */
  ProcessEngine(Configuration conf, List<String> command, ClassDataArchive archive,
      Duration readyTimeout, Duration silenceTimeout) {
    this.conf = conf;
    this.command = command;
    this.archive = archive;
    this.readyTimeout = readyTimeout;
    this.silenceTimeout = silenceTimeout;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String about() {
    return "W child JVMs share nothing but the disk: each pays for starting a JVM, warming up its"
        + " own JIT and Hadoop client, and sending its results back as text over a pipe.";
  }

  /**
   * {@code java}, its options, the light class path and {@link ChildMain}; each child also gets
   * the option to use, or to write, the class-data archive ({@link ClassDataArchive}).
   */
  public static List<String> defaultCommand() throws EngineException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, ChildClasspath.entries()));
    command.add(ChildMain.class.getName());
    return command;
  }

  /** The default command with the compiler options {@code work} runs best with. */
  static List<String> commandFor(List<String> defaultCommand, Work<?> work) {
    return commandFor(defaultCommand, work,
        ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /**
   * As {@link #commandFor(List, Work)}, for a parent JVM started with {@code parentOptions}: the
   * options {@link Work#childOptions} gives go right after {@code java} itself.
   */
  static List<String> commandFor(List<String> defaultCommand, Work<?> work,
      List<String> parentOptions) {
    List<String> command = new ArrayList<>(defaultCommand);
    command.addAll(1, work.childOptions(parentOptions));
    return command;
  }

  private static ClassDataArchive defaultArchive() {
    try {
      return ClassDataArchive.of(ChildClasspath.entries());
    } catch (EngineException e) {
      return null; // open() reports the missing jar
    }
  }

  @Override
  public EngineSession open(int workers) throws EngineException {
    if (workers < 1) {
      throw new IllegalArgumentException(NAME + " needs at least one worker, not " + workers);
    }
    List<String> childCommand = command != null ? List.copyOf(command) : defaultCommand();
    return new EngineSession() {
      @Override
      public <R> EngineRun<R> run(Work<R> work, Progress progress) throws EngineException {
        List<String> runCommand = command == null ? commandFor(childCommand, work) : childCommand;
        return new Run<>(work, Math.min(workers, work.size()), runCommand, progress).execute();
      }

      @Override
      public void close() {}
    };
  }

  /** What a child's threads report to the run: a line, or the end of its output. */
  private record Event(int child, String line, IOException error) {}

  /** One run: its children, and the loop that reads what they say. */
  private final class Run<R> {
    private final Work<R> work;
    private final int count;
    private final List<String> command;
    private final Progress progress;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Child> children = new ArrayList<>();

    Run(Work<R> work, int count, List<String> command, Progress progress) {
      this.work = work;
      this.count = count;
      this.command = command;
      this.progress = progress;
    }

    EngineRun<R> execute() throws EngineException {
      double cpuBefore = Clocks.processCpuSeconds();
      long start = System.nanoTime();
      if (count == 0) {
        return EngineRun.of(NAME, 0, work, List.of(), 0, 0, 0, "no files, no children");
      }
      String confText = ChildProtocol.encodeConf(conf);
      boolean shared = archive != null && archive.exists();
      Path draft = archive != null && !shared ? archive.newDraft() : null;
      boolean listened = false;
      try {
        List<IndexRange> shares = IndexRange.cut(0, work.size(), count);
        for (int c = 0; c < count; c++) {
          int from = (int) shares.get(c).start();
          int to = (int) shares.get(c).end();
          Child child = new Child(c, from, work.slice(from, to));
          children.add(child);
          List<String> options = shared ? List.of(archive.useOption())
              : draft != null && c == 0 ? List.of(ClassDataArchive.writeOption(draft)) : List.of();
          child.start(confText, options);
        }
        listen();
        listened = true;
      } finally {
        for (Child child : children) {
          child.stop();
        }
        if (draft != null) {
          if (listened) {
            archive.publish(draft);
          } else {
            ClassDataArchive.discard(draft);
          }
        }
      }
      long lastReady = start;
      long lastDone = start;
      double childCpu = 0;
      List<R> results = new ArrayList<>(work.size());
      List<String> startups = new ArrayList<>();
      for (Child child : children) {
        lastReady = Math.max(lastReady, child.readyAt);
        lastDone = Math.max(lastDone, child.doneAt);
        childCpu += child.cpuNanos / 1e9;
        results.addAll(child.results);
        startups.add(String.format(Locale.ROOT, "%.2f", (child.readyAt - child.startedAt) / 1e9));
      }
      String detail = "child start-up " + String.join(", ", startups) + " s"
          + (shared ? ", with the class-data archive" : draft != null ? ", the first writing the"
              + " class-data archive" : "");
      double cpu = childCpu + Clocks.processCpuSeconds() - cpuBefore;
      return EngineRun.of(NAME, count, work, results, (lastReady - start) / 1e9,
          (lastDone - lastReady) / 1e9, cpu, detail);
    }

    private void listen() throws EngineException {
      int running = count;
      while (running > 0) {
        Child due = null;
        long deadline = Long.MAX_VALUE;
        for (Child child : children) {
          if (!child.ended && child.deadline() < deadline) {
            deadline = child.deadline();
            due = child;
          }
        }
        Event event;
        try {
          event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException(NAME + ": interrupted while waiting for the children");
        }
        if (event == null) {
          if (System.nanoTime() >= deadline) {
            throw due.failure(!due.ready
                ? "did not say it was ready within " + seconds(readyTimeout)
                : "sent nothing for " + seconds(silenceTimeout));
          }
          continue;
        }
        Child child = children.get(event.child());
        if (event.line() != null) {
          child.accept(event.line());
        } else {
          child.end(event.error());
          running--;
        }
      }
    }

    /** One child process and what it has said so far. */
    private final class Child {
      private final int number;
      private final int from;
      private final Work<R> share;
      private final List<R> results = new ArrayList<>();
      private final StringBuilder stderr = new StringBuilder();
      private final List<Thread> threads = new ArrayList<>();
      private Process process;
      private long startedAt;
      private boolean ready;
      private long readyAt;
      private long heardAt;
      private boolean done;
      private long doneAt;
      private boolean ended;
      private long cpuNanos;

      Child(int number, int from, Work<R> share) {
        this.number = number;
        this.from = from;
        this.share = share;
      }

      void start(String confText, List<String> jvmOptions) throws EngineException {
        List<String> commandLine = new ArrayList<>(command);
        commandLine.addAll(1, jvmOptions);
        startedAt = System.nanoTime();
        heardAt = startedAt;
        try {
          process = new ProcessBuilder(commandLine).start();
        } catch (IOException e) {
          throw new EngineException(NAME + ": could not start child " + (number + 1) + " of "
              + count + " (" + files(0, share.size()) + "): " + e.getMessage(), e);
        }
        thread("in", () -> {
          try (Writer in = new BufferedWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            ChildProtocol.writeInput(in, confText, share);
          } catch (IOException e) {
            // The child stopped reading: its exit, or its silence, is reported from stdout.
          }
        });
        thread("out", () -> {
          try (BufferedReader out = new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = out.readLine()) != null) {
              events.add(new Event(number, line, null));
            }
            events.add(new Event(number, null, null));
          } catch (IOException e) {
            events.add(new Event(number, null, e));
          }
        });
        thread("err", () -> drain(process.getErrorStream()));
      }

      private void thread(String stream, Runnable body) {
        Thread thread = new Thread(body, "npystats-child-" + (number + 1) + "-" + stream);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }

      private void drain(InputStream err) {
        try (InputStreamReader reader = new InputStreamReader(err, StandardCharsets.UTF_8)) {
          char[] buffer = new char[4096];
          int n;
          while ((n = reader.read(buffer)) > 0) {
            synchronized (stderr) {
              stderr.append(buffer, 0, n);
              if (stderr.length() > 2 * STDERR_TAIL_CHARS) {
                stderr.delete(0, stderr.length() - STDERR_TAIL_CHARS);
              }
            }
          }
        } catch (IOException e) {
          // The child is gone; what it wrote so far is kept.
        }
      }

      long deadline() {
        return !ready ? startedAt + readyTimeout.toNanos() : heardAt + silenceTimeout.toNanos();
      }

      void accept(String line) throws EngineException {
        heardAt = System.nanoTime();
        try {
          if (!ready) {
            int items = ChildProtocol.parseReady(line);
            if (items != share.size()) {
              throw new ChildProtocol.ProtocolException("child says it has " + items
                  + " files, it was sent " + share.size());
            }
            ready = true;
            readyAt = heardAt;
          } else if (done) {
            throw new ChildProtocol.ProtocolException("a line after 'done': '"
                + ChildProtocol.shorten(line) + "'");
          } else if (line.startsWith(ChildProtocol.DONE + "\t")) {
            cpuNanos = Math.max(0, ChildProtocol.parseDone(line, results.size()));
            if (results.size() != share.size()) {
              throw new ChildProtocol.ProtocolException("'done' after " + results.size()
                  + " results");
            }
            done = true;
            doneAt = heardAt;
          } else {
            results.add(ChildProtocol.parseResult(share, results.size(), line));
            progress.advance(1);
          }
        } catch (ChildProtocol.ProtocolException e) {
          throw failure("printed something that is not the protocol: " + e.getMessage());
        }
      }

      void end(IOException error) throws EngineException {
        ended = true;
        if (error != null) {
          throw failure("could not be read: " + error.getMessage());
        }
        boolean exited;
        try {
          exited = process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException(NAME + ": interrupted while waiting for child " + (number + 1));
        }
        if (!exited) {
          throw failure("closed its output but did not exit within " + seconds(EXIT_TIMEOUT));
        }
        awaitErrorOutput();
        int code = process.exitValue();
        if (!done || code != 0) {
          String how = code > 128 && code <= 128 + 64
              ? "was killed by signal " + (code - 128) + " (exit code " + code + ")"
              : "exited with code " + code;
          throw failure(done ? how + " after its last result" : how);
        }
      }

      /** Lets the thread that drains standard error read what a finished child wrote last. */
      private void awaitErrorOutput() {
        try {
          threads.get(2).join(EXIT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      /** Stops the child if it still runs, and lets its threads finish. */
      void stop() {
        if (process == null) {
          return;
        }
        if (process.isAlive()) {
          process.destroyForcibly();
        }
        for (Thread thread : threads) {
          try {
            thread.join(EXIT_TIMEOUT.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }

      /** The run's error: which child, what happened, its files, the ones without a result. */
      EngineException failure(String what) {
        StringBuilder b = new StringBuilder(NAME).append(": child ").append(number + 1)
            .append(" of ").append(count);
        if (process != null) {
          b.append(" (pid ").append(process.pid()).append(')');
        }
        b.append(' ').append(what).append(", after ").append(results.size()).append(" of its ")
            .append(share.size()).append(" files. Its files: ").append(files(0, share.size()));
        if (results.size() < share.size()) {
          b.append(". No result for: ").append(files(results.size(), share.size()));
        }
        String tail = stderrTail();
        if (!tail.isEmpty()) {
          b.append(". Its last error output: ").append(tail);
        }
        return new EngineException(b.toString());
      }

      /** Names items {@code [a, b)} of the share: all of them when few, else the ends. */
      private String files(int a, int b) {
        int n = b - a;
        String range = " (" + n + " file" + (n == 1 ? "" : "s") + ", items " + (from + a) + " to "
            + (from + b - 1) + " of " + work.size() + ")";
        if (n <= 3) {
          List<String> names = new ArrayList<>();
          for (int i = a; i < b; i++) {
            names.add(share.file(i));
          }
          return String.join(", ", names) + range;
        }
        return share.file(a) + ", " + share.file(a + 1) + ", ..., " + share.file(b - 1) + range;
      }

      private String stderrTail() {
        String text;
        synchronized (stderr) {
          text = stderr.toString();
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
          if (!line.isBlank()) {
            lines.add(line.strip());
          }
        }
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
      }
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
