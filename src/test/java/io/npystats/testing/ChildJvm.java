package io.npystats.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a second JVM on the test class path, for what cannot happen inside the test JVM: being
 * killed, running without the shared Spark session, fuzzing with an instrumenting agent. It gets
 * the Java 17 opens that Spark needs from this JVM's own flags (surefire's {@code argLine}), and
 * writes everything it prints to a log file whose tail goes into every failure message.
 */
public final class ChildJvm {
  private final List<String> command = new ArrayList<>();
  private final Path log;
  private Path workDir;
  private final Map<String, String> environment = new LinkedHashMap<>();

  private ChildJvm(Path log, String heap) {
    this.log = log;
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")
          || arg.equals("-XX:+IgnoreUnrecognizedVMOptions")
          || arg.startsWith("-Djdk.reflect.useDirectMethodHandle")
          || arg.startsWith("-Dio.netty.tryReflectionSetAccessible")) {
        command.add(arg);
      }
    }
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
  }

  /** A child JVM with {@code heap} as its -Xmx, its output going to {@code log}. */
  public static ChildJvm logTo(Path log, String heap) {
    return new ChildJvm(log, heap);
  }

  /** A JVM flag such as {@code -Dspark.master=local[2]}; call before {@link #main}. */
  public ChildJvm flag(String flag) {
    command.add(flag);
    return this;
  }

  /** The working directory; the default is this JVM's. */
  public ChildJvm in(Path dir) {
    this.workDir = dir;
    return this;
  }

  /** An environment variable of the child, beside this JVM's own. */
  public ChildJvm env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Starts {@code mainClass} with {@code args}. */
  public Process main(String mainClass, String... args) throws IOException {
    List<String> full = new ArrayList<>(command);
    full.add(mainClass);
    full.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(full)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    builder.environment().putAll(environment);
    return builder.start();
  }

  public Path log() {
    return log;
  }

  /** Waits for the child to end and asserts its exit code, with its output's tail as the reason. */
  public void assertExit(Process process, int expected, long timeoutSeconds)
      throws IOException, InterruptedException {
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    assertThat(ended).as("child JVM ended within %d s; its output ends:%n%s", timeoutSeconds,
        tail(100)).isTrue();
    assertThat(process.exitValue()).as("child JVM's exit code; its output ends:%n%s", tail(100))
        .isEqualTo(expected);
  }

  /** The last {@code lines} lines the child printed. */
  public String tail(int lines) throws IOException {
    if (!Files.exists(log)) {
      return "(no output)";
    }
    List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
