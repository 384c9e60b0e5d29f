package io.npystats.npy;

import static io.npystats.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.stats.StreamingStats;
import io.npystats.testing.Fixtures;
import io.npystats.testing.Fixtures.Expected;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file numpy wrote reads to numpy's own answer, or is refused with a reason. */
class NpyFixturesTest {
  static Stream<Expected> manifest() {
    return Fixtures.manifest().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifest")
  void readsAsNumpyDoes(Expected expected) throws Exception {
    Path file = Fixtures.dir().resolve(expected.file());
    // A small buffer makes every fixture span several chunks, and each merge gets exercised.
    NpyReader reader = new NpyReader(256);
    StreamingStats stats = new StreamingStats();
    try (InputStream in = Files.newInputStream(file)) {
      if (expected.refuse()) {
        assertThatThrownBy(() -> reader.read(in, Files.size(file), stats::add))
            .as(expected.why())
            .isInstanceOf(NpyFormatException.class)
            .hasMessageNotContaining("null");
        return;
      }
      NpyHeader header = reader.read(in, Files.size(file), stats::add);
      assertThat(header.dtype().descr()).isEqualTo(expected.dtype());
      assertThat(header.shape()).containsExactly(expected.shape());
    }
    assertThat(stats.count()).isEqualTo(expected.n());
    assertClose("mean", stats.mean(), expected.mean());
    assertClose("std", stats.std(), expected.std());
    assertClose("min", stats.min(), expected.min(), 0);
    assertClose("max", stats.max(), expected.max(), 0);
  }
}
