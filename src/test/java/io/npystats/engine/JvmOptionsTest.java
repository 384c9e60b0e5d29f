package io.npystats.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {
  @Test
  void aJvmTakesTheOptionsOfTheLinesThatNameItInTheirOrder() {
    JvmOptions policy = JvmOptions.parse(String.join("\n",
        "# a comment = not an option",
        "",
        " a, b = -Xone ",
        "b=-Dtwo=2",
        "c ,a = -XX:Path={conf}/x y.json"), "test.conf");

    assertThat(policy.forJvm("a")).containsExactly("-Xone", "-XX:Path={conf}/x y.json");
    assertThat(policy.forJvm("b")).containsExactly("-Xone", "-Dtwo=2");
    assertThat(policy.forJvm("c")).containsExactly("-XX:Path={conf}/x y.json");
    assertThat(policy.forJvm("d")).isEmpty();
  }

  @Test
  void aLineThatIsNotJvmsEqualsOptionIsRefusedWithItsNumber() {
    assertThatThrownBy(() -> JvmOptions.parse("a = -Xone\n-Xtwo\n", "test.conf"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("test.conf line 2: expected '[SYSTEM:] JVMS = OPTION', got '-Xtwo'");
    assertThatThrownBy(() -> JvmOptions.parse("a =\n", "test.conf"))
        .hasMessage("test.conf line 1: expected '[SYSTEM:] JVMS = OPTION', got 'a ='");
    assertThatThrownBy(() -> JvmOptions.parse(": a = -Xone\n", "test.conf"))
        .hasMessage("test.conf line 1: expected '[SYSTEM:] JVMS = OPTION', got ': a = -Xone'");
  }

  @Test
  void aLineThatNamesASystemIsForThatSystemAlone() {
    JvmOptions policy = JvmOptions.parse(String.join("\n",
        "a = -Xone",
        "Linux: a, b = -XX:+UseTransparentHugePages",
        "a = -Xtwo"), "test.conf");

    assertThat(policy.forJvm("a", "linux")).containsExactly("-Xone",
        "-XX:+UseTransparentHugePages", "-Xtwo");
    assertThat(policy.forJvm("b", "linux")).containsExactly("-XX:+UseTransparentHugePages");
    assertThat(policy.forJvm("a", "mac os x")).containsExactly("-Xone", "-Xtwo");
    assertThat(policy.forJvm("b", "windows 11")).isEmpty();
  }

  @Test
  void hugePagesAreAskedForOnLinuxAloneAndNotOfTheExecutorsNorTheStatsDriver() {
    JvmOptions bundled = JvmOptions.bundled();
    for (String jvm : List.of("sql", "runs", "generate", "compare", "demo", "stats-child",
        "generate-child")) {
      assertThat(bundled.forJvm(jvm, "linux")).as(jvm)
          .containsOnlyOnce("-XX:+UseTransparentHugePages");
      assertThat(bundled.forJvm(jvm, "mac os x")).as(jvm)
          .doesNotContain("-XX:+UseTransparentHugePages");
    }
    // The stats driver's young collections under the parallel collector fault huge pages in.
    assertThat(bundled.forJvm("stats", "linux")).contains("-XX:+UseParallelGC")
        .doesNotContain("-XX:+UseTransparentHugePages");
    // spark-defaults.conf gives executors their options whatever the system.
    assertThat(bundled.forJvm("executor", "linux"))
        .doesNotContain("-XX:+UseTransparentHugePages");
  }

  @Test
  void theJarCarriesConfJvmOptionsAsItIs() throws Exception {
    String conf = Files.readString(Paths.get("conf", JvmOptions.RESOURCE));
    for (String jvm : List.of("stats", "sql", "runs", "generate", "compare", "stats-child",
        "generate-child", "executor")) {
      assertThat(JvmOptions.bundled().forJvm(jvm))
          .as(jvm).isEqualTo(JvmOptions.parse(conf, "conf").forJvm(jvm)).isNotEmpty();
    }
  }
}
