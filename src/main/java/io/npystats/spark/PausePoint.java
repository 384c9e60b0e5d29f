package io.npystats.spark;

/**
 * A named moment in a job where a fault test can stop it: with {@code -Dnpystats.pause.at=NAME}
 * the first thread to reach {@code NAME} prints {@code npystats: paused at NAME} on stderr and
 * sleeps until the process is killed or the thread interrupted. Without the property, which
 * nothing but tests sets, it does nothing. Executors read the property too, so on {@code local}
 * masters a task can pause.
 */
final class PausePoint {
  static final String PROPERTY = "npystats.pause.at";
  private static final String AT = System.getProperty(PROPERTY);

  private PausePoint() {}

  static void reach(String name) {
    if (AT == null || !AT.equals(name)) {
      return;
    }
    synchronized (PausePoint.class) {
      System.err.println("npystats: paused at " + name);
      System.err.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // Spark stopping (a SIGTERM test) cancels the task: let it go on to notice
        Thread.currentThread().interrupt();
      }
    }
  }
}
