package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.Fixtures;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummarizeFileTest {
  final SummarizeFile task = new SummarizeFile(new Configuration());

  @Test
  void aGoodFileIsARowWithItsStatistics() {
    FileSummary s = task.apply(Fixtures.dir().resolve("one_f8.npy").toString());
    assertThat(s.isOk()).isTrue();
    assertThat(s.dtype()).isEqualTo("<f8");
    assertThat(s.shape()).isEqualTo("(1,)");
    assertThat(s.n()).isEqualTo(1);
    assertThat(s.mean()).isEqualTo(3.25);
    assertThat(s.bytes()).isEqualTo(136);
    assertThat(s.partial().count()).isEqualTo(1);
  }

  @Test
  void whatCannotBeReadIsAnErrorRowWithTheReason(@TempDir Path dir) {
    FileSummary missing = task.apply(dir.resolve("gone.npy").toString());
    assertThat(missing.status()).isEqualTo(FileSummary.ERROR);
    assertThat(missing.error()).isEqualTo("no such file");

    FileSummary folder = task.apply(dir.toString());
    assertThat(folder.error()).isEqualTo("is a directory, not a .npy file");

    FileSummary complex = task.apply(Fixtures.dir().resolve("complex.npy").toString());
    assertThat(complex.error())
        .isEqualTo("dtype '<c16' is refused: complex numbers have no real mean or standard deviation");
    assertThat(complex.bytes()).isEqualTo(1728);
    assertThat(complex.partial().count()).isZero();
  }
}
