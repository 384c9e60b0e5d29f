package io.npystats.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.engine.JvmOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The options that make a JVM inline the JDK's normal sampler name a method that exists, and
 * HotSpot takes them: a renamed method in a later JDK would make them silently do nothing. Runs
 * {@link DrawSamples} in a child JVM that prints its inlining decisions.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a child JVM that hangs fails the test
class SamplerInliningTest {
  private static final List<String> SAMPLER = List.of(
      "java.util.random.RandomGenerator::nextGaussian",
      "jdk.internal.util.random.RandomSupport::computeNextGaussian");

  /** Draws enough samples for C2 to compile {@link NormalSamples#fill}. */
  public static final class DrawSamples {
    public static void main(String[] args) {
      double[] values = new double[16 * 1024];
      double sum = 0;
      for (int file = 0; file < 400; file++) {
        NormalSamples samples = NormalSamples.forFile(1, file);
        for (int chunk = 0; chunk < 6; chunk++) {
          samples.fill(values, values.length);
          sum += values[chunk];
        }
      }
      System.out.println("drew " + (sum == sum ? "numbers" : "NaN"));
    }
  }

  private static String[] run(List<String> options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining",
        "-cp", System.getProperty("java.class.path"), DrawSamples.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor()).isZero();
    return new String(output, StandardCharsets.UTF_8).split("\n");
  }

  /** Whether every method of the sampler was inlined because the options said so. */
  private static boolean forcesSamplerInline(String[] lines) {
    for (String method : SAMPLER) {
      boolean forced = false;
      for (String line : lines) {
        forced |= line.contains(method) && line.contains("force inline");
      }
      if (!forced) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theOptionsForChildrenInlineTheSamplerAndPrintNothingOfTheirOwn() throws Exception {
    String[] lines = run(JvmOptions.bundled().forJvm("generate-child"));
    assertThat(forcesSamplerInline(lines)).isTrue();
    // Children speak on stdout, so the JVM must not announce the command there.
    assertThat(lines).noneMatch(line -> line.startsWith("CompileCommand:"));
    assertThat(forcesSamplerInline(run(List.of()))).isFalse(); // what the test would miss
  }

  @Test
  void clusterExecutorsGetTheSameOptions() throws IOException {
    List<String> lines = Files.readAllLines(Paths.get("conf", "spark-defaults.conf"));
    assertThat(lines).contains(String.format("%-43s %s", "spark.executor.extraJavaOptions",
        String.join(" ", JvmOptions.bundled().forJvm("executor"))));
    // The children's own, but for huge pages (an option of Linux's JVMs alone, where the
    // executors' options are the same on every system).
    assertThat(JvmOptions.bundled().forJvm("generate-child"))
        .filteredOn(option -> !option.equals("-XX:+UseTransparentHugePages"))
        .isEqualTo(JvmOptions.bundled().forJvm("executor"));
  }

  @Test
  void theGenerateDriversDirectivesInlineTheSamplerAndPrintNothingOfTheirOwn() throws Exception {
    String conf = Paths.get("conf").toAbsolutePath().toString();
    assertThat(Paths.get(conf, "compiler-directives.json")).exists();
    List<String> driver = new ArrayList<>();
    JvmOptions.bundled().forJvm("generate").forEach(o -> driver.add(o.replace("{conf}", conf)));
    assertThat(driver).anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile=" + conf));
    // -DisplayVMOutput hides the inlining decisions too, so they are read without it.
    List<String> shown = new ArrayList<>(driver);
    assertThat(shown.remove("-XX:-DisplayVMOutput")).isTrue();
    String[] lines = run(shown);
    assertThat(forcesSamplerInline(lines)).isTrue();
    assertThat(lines).anyMatch(line -> line.contains("compiler directives added"));
    assertThat(run(driver)).containsExactly("drew numbers");
  }
}
