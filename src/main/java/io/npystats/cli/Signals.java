package io.npystats.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A command ended by SIGTERM, SIGINT or SIGHUP says so in one line, and exits as the JVM does for
 * the signal (128 + its number: 143 for SIGTERM). Without this the user sees Spark's jobs fail
 * one by one as its shutdown hook stops them, each with a stack trace.
 */
final class Signals {
  private static volatile String received;
  private static volatile boolean verbose;

  private Signals() {}

  /** The signal that is ending this JVM, such as {@code SIGTERM}; null while none has come. */
  static String received() {
    return received;
  }

  /** With {@code --verbose}, what Spark prints as it stops after the signal is shown too. */
  static void verbose(boolean shown) {
    verbose = shown;
  }

  static void reportIn(PrintWriter err) {
    for (String name : List.of("TERM", "INT", "HUP")) {
      Signal signal = new Signal(name);
      // A signal ignored by whoever started the JVM (nohup, say) stays ignored: the JVM keeps it so.
      SignalHandler[] previous = new SignalHandler[1];
      previous[0] = Signal.handle(signal, s -> {
        if (received == null) {
          received = "SIG" + s.getName();
          err.println("error: interrupted by signal " + received);
          err.flush();
          if (!verbose) {
            // The line above has said all there is to say. Spark, stopping, logs what it drops,
            // and threads of its that fail print their stack traces straight to System.err.
            SparkLogging.silence();
            System.setErr(new PrintStream(OutputStream.nullOutputStream(), true));
          }
        }
        if (previous[0] == SignalHandler.SIG_DFL || previous[0] == SignalHandler.SIG_IGN) {
          System.exit(128 + s.getNumber());
        }
        previous[0].handle(s);
      });
    }
  }
}
