package io.npystats.engine;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
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

  /**
   * The packages S3A reads {@code s3a://} paths with: Hadoop's connector, the AWS SDK and the
   * HTTP client under it, and what they call. Where this JVM has S3A, every jar holding one of
   * them goes to the children too; found by package, as the SDK alone is some thirty jars.
   */
  private static final String S3A = "org.apache.hadoop.fs.s3a.S3AFileSystem";
  private static final String[] S3A_PACKAGES = {
    "org/apache/hadoop/fs/s3a/", "software/amazon/", "org/apache/http/", "org/reactivestreams/",
    "org/wildfly/openssl/", "org/apache/commons/lang3/", "org/apache/commons/codec/",
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
    if (locate(S3A) != null) {
      for (String packageFolder : S3A_PACKAGES) {
        entries.addAll(jarsHolding(packageFolder));
      }
    }
    return new ArrayList<>(entries);
  }

  /** Every jar or folder on this JVM's class path that holds the package folder given. */
  private static List<String> jarsHolding(String packageFolder) throws EngineException {
    List<String> jars = new ArrayList<>();
    try {
      Enumeration<URL> found = ChildClasspath.class.getClassLoader().getResources(packageFolder);
      while (found.hasMoreElements()) {
        URL url = found.nextElement();
        String location = switch (url.getProtocol()) {
          case "jar" -> url.getPath().substring(0, url.getPath().indexOf("!/"));
          case "file" -> url.toString().substring(0, url.toString().length() - packageFolder.length());
          default -> null;
        };
        if (location != null) {
          jars.add(Paths.get(new URL(location).toURI()).toString());
        }
      }
    } catch (IOException | URISyntaxException | IllegalArgumentException e) {
      throw new EngineException(ProcessEngine.NAME + ": cannot find the jars of " + packageFolder
          + " for the class path of child processes: " + e.getMessage());
    }
    return jars;
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
