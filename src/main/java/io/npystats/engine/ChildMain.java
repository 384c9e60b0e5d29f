package io.npystats.engine;

import io.npystats.task.Stores;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The entry point of a child process of {@link ProcessEngine}: reads its configuration and its
 * share of the files from standard input, and writes one result line per file to standard output
 * ({@link ChildProtocol}). Its own {@code System.out} is pointed at standard error first, so that
 * a library that prints cannot corrupt the results.
 *
 * <p>Exit codes: 0 every result written; 1 a file could not be processed (the reason on standard
 * error); 2 the input was not the protocol.
 */
public final class ChildMain {
  private static final int MAX_CAUSES = 8;

  private ChildMain() {}

  public static void main(String[] args) {
    PrintStream results = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
        StandardCharsets.UTF_8);
    System.setOut(System.err);
    int code;
    try {
      code = run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), results);
    } catch (IOException | RuntimeException | Error e) {
      System.err.println("npystats child: " + described(e));
      code = 1;
    }
    results.flush();
    System.exit(code);
  }

  /**
   * {@code e} and what caused it, on one line: the parent quotes a child's last lines, and an
   * error such as a class's failed initialisation says nothing of why without its cause.
   */
  static String described(Throwable e) {
    StringBuilder line = new StringBuilder(e.toString());
    // At most a few causes: a chain can be made to loop, and this line must end.
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
      line.append(", caused by ").append(cause);
    }
    return line.toString();
  }

  static int run(BufferedReader in, PrintStream out) throws IOException {
    ChildProtocol.Input input;
    try {
      input = ChildProtocol.readInput(in);
    } catch (ChildProtocol.ProtocolException e) {
      System.err.println("npystats child: input is not the protocol: " + e.getMessage());
      return 2;
    }
    return serve(input.work(), input.conf(), out);
  }

  private static <R> int serve(Work<R> work, Configuration conf, PrintStream out) throws IOException {
    FileTask<R> task = work.newTask(conf);
    if (work.size() > 0) {
      // Ready means ready to read: the file system is loaded and set up before the line goes out.
      Stores.of(new Path(work.file(0)), conf);
    }
    out.println(ChildProtocol.ready(work.size()));
    out.flush();
    for (int i = 0; i < work.size(); i++) {
      R result;
      try {
        result = task.apply(i);
      } catch (RuntimeException e) {
        System.err.println("npystats child: " + work.file(i) + ": " + e.getMessage());
        return 1;
      }
      out.println(ChildProtocol.result(work, i, result));
      out.flush();
    }
    out.println(ChildProtocol.done(work.size(), cpuNanos()));
    out.flush();
    return 0;
  }

  private static long cpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }
}
