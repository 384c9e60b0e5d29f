package io.npystats.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;

/**
 * Where things go when the command line does not say: the project's {@code data/} folder, found
 * through {@code NPYSTATS_HOME} (set by {@code submit.sh}) or else the working directory.
 */
final class Defaults {
  static final long SEED = 42;
  static final long FILES = 200;
  static final long SAMPLES = 100_000;
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");

  private Defaults() {}

  static Path dataDir() {
    String home = System.getenv("NPYSTATS_HOME");
    return (home == null || home.isBlank() ? Paths.get("") : Paths.get(home))
        .resolve("data").toAbsolutePath();
  }

  static String files() {
    return dataDir().resolve("files").toString();
  }

  static String warehouse() {
    return dataDir().resolve("warehouse").toString();
  }

  /** A path the user gave, absolute when it is a local one without a scheme; others as given. */
  static String absolute(String path) {
    if (path.isEmpty() || SCHEME.matcher(path).lookingAt()) {
      return path;
    }
    return Paths.get(path).toAbsolutePath().normalize().toString();
  }
}
