package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectIoTest {
  @Test
  void aDataSetGoesPastThePageCacheOnlyOverAFifthOfMemory() {
    long memory = DirectIo.machineMemory();
    assertThat(memory).isPositive();
    assertThat(DirectIo.pastPageCache(0)).isFalse();
    assertThat(DirectIo.pastPageCache(memory / 5 - 1)).isFalse();
    assertThat(DirectIo.pastPageCache(memory / 5 + (1 << 20))).isTrue();
    assertThat(DirectIo.pastPageCache(2 * memory)).isTrue();
  }

  @Test
  void onlyALocalRunGoesPastThePageCacheByDefault() {
    long large = 2 * DirectIo.machineMemory();
    assertThat(DirectIo.byDefault(true, large)).isTrue();
    assertThat(DirectIo.byDefault(false, large)).isFalse();
    assertThat(DirectIo.byDefault(true, 0)).isFalse();
  }
}
