package io.npystats.testing;

import java.io.File;
import java.io.IOError;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.TaskContext;

/**
 * A local file system under its own scheme, {@code flaky://}, whose first read of a file named
 * {@code *fails-once*} from a Spark task throws {@link IOError}: a store that breaks under a task.
 * The shared session knows the scheme, so a fault test need not change the session's settings.
 */
public class FailsOnceFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "flaky";
  private static final URI NAME = URI.create(SCHEME + ":///");
  /** Per path, the attempt number of each task that tried to read it. */
  public static final Map<String, List<Integer>> ATTEMPTS = new ConcurrentHashMap<>();

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public File pathToFile(org.apache.hadoop.fs.Path path) {
    TaskContext task = TaskContext.get();
    if (task != null && path.getName().contains("fails-once")) {
      List<Integer> attempts = ATTEMPTS.computeIfAbsent(path.toString(), k -> new CopyOnWriteArrayList<>());
      attempts.add(task.attemptNumber());
      if (attempts.size() == 1) {
        throw new IOError(new IOException("the store failed reading " + path + " (first read only)"));
      }
    }
    return super.pathToFile(path);
  }
}
