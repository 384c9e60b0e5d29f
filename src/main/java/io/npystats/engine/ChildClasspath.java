package io.npystats.engine;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path of a child process: this application and the Hadoop client, found where this
 * JVM loaded them from, and nothing of Spark. A child that loads a few hundred classes instead of
 * Spark's thousands starts in a fraction of the time.
 */
final class ChildClasspath {
  /** A class from each jar a child needs, with what it is for. */
  private static final String[][] REQUIRED = {
    {"io.npystats.engine.ChildMain", "this application"},
    {"org.apache.hadoop.fs.FileSystem", "hadoop-client-api"},
    {"org.apache.hadoop.shaded.com.ctc.wstx.stax.WstxInputFactory", "hadoop-client-runtime"},
  };

  /** Logging APIs Hadoop calls, where this JVM has them. */
  private static final String[] OPTIONAL = {
    "org.slf4j.LoggerFactory", "org.apache.commons.logging.LogFactory",
  };

  private ChildClasspath() {}

  static List<String> entries() throws EngineException {
    Set<String> entries = new LinkedHashSet<>();
    for (String[] required : REQUIRED) {
      String location = locate(required[0]);
      if (location == null) {
        throw new EngineException(ProcessEngine.NAME + ": cannot find " + required[1] + " (class "
            + required[0] + ") to put on the class path of child processes");
      }
      entries.add(location);
    }
    for (String optional : OPTIONAL) {
      String location = locate(optional);
      if (location != null) {
        entries.add(location);
      }
    }
    return new ArrayList<>(entries);
  }

  private static String locate(String className) {
    try {
      Class<?> type = Class.forName(className, false, ChildClasspath.class.getClassLoader());
      CodeSource source = type.getProtectionDomain().getCodeSource();
      URL url = source == null ? null : source.getLocation();
      return url == null ? null : Paths.get(url.toURI()).toString();
    } catch (ClassNotFoundException | URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
